with

source as (
    -- The newest version of each term's workbook; rows it repeats exactly count once.
    {{ drop_exact_repeats('(' ~ latest_file_version(source('education', 'education__aid_record')) ~ ') as delivered') }}
),

renamed as (
    select
        ---------- ids
        {{ clean_text('term') }} as term,
        {{ normalize_code('student_no') }} as student_no,
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,
        {{ normalize_code('village_code') }} as village_code,
        {{ normalize_code('fund_line_code') }} as fund_line_code,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('school_name') }} as school_name,
        {{ clean_text('stage') }} as stage,
        case {{ clean_text('aid_type') }}
            when '雨露计划' then 'yulu_plan' when '国家助学金' then 'student_grant'
        end as aid_type,
        {{ clean_text('aid_type') }} as aid_type_zh,

        ---------- numerics
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,

        ---------- dates: the school year and term the file name states (education_<YYYY>_<1|2>,
        -- a shape the contract fixes); 学年学期 shows its shape only by example (2026-2027-1),
        -- so it is read only where the name says nothing
        coalesce(
            {{ to_integer("substring(_file_base from '^education_([0-9]{4})_[12]')") }},
            {{ to_integer("split_part(" ~ clean_text('term') ~ ", '-', 1)") }}
        ) as school_year_start,
        coalesce(
            {{ to_integer("substring(_file_base from '^education_[0-9]{4}_([12])')") }},
            {{ to_integer("split_part(" ~ clean_text('term') ~ ", '-', 3)") }}
        ) as term_no,
        {{ to_local_date('pay_date') }} as pay_date,

        ---------- lineage
        {{ file_lineage() }}
    from source
)

select * from renamed
