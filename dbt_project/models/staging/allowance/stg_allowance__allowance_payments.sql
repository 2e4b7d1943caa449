with

source as (
    -- The newest version of each month's file; rows it repeats exactly count once.
    {{ drop_exact_repeats('(' ~ latest_file_version(source('allowance', 'allowance__allowance_payment')) ~ ') as delivered') }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('recipient_id') }} as recipient_id,
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,
        {{ normalize_code('disability_cert_no') }} as disability_cert_no,
        {{ normalize_code('village_code') }} as village_code,
        {{ normalize_code('fund_line_code') }} as fund_line_code,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('allowance_type') }} as allowance_type,

        ---------- numerics
        {{ to_integer('disability_grade') }} as disability_grade,
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,

        ---------- dates
        {{ normalize_period('period') }} as period,
        {{ period_start(normalize_period('period')) }} as period_start,
        {{ to_local_date('pay_date') }} as pay_date,

        ---------- lineage
        {{ file_lineage() }}
    from source
)

select * from renamed
