with

source as (
    {{ latest_version(
        source('reference', 'reference__public_employee'),
        [normalize_id_number('id_number'), normalize_credit_code('employer_code'), to_local_date('payroll_start')],
        to_timestamptz('updated_at')
    ) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,
        {{ normalize_credit_code('employer_code') }} as employer_code,
        {{ is_valid_credit_code(normalize_credit_code('employer_code')) }} as employer_code_is_valid,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('employer_name') }} as employer_name,
        {{ clean_text('employer_type') }} as employer_type,
        {{ clean_text('position') }} as position,

        ---------- numerics
        {{ to_amount('monthly_salary') }} as monthly_salary,

        ---------- dates
        {{ to_local_date('payroll_start') }} as payroll_start,
        {{ to_local_date('payroll_end') }} as payroll_end,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
