with

source as (
    {{ latest_version(
        source('dibao', 'dibao__monthly_payment'),
        [normalize_code('case_id'), normalize_period('period')],
        to_timestamptz('updated_at')
    ) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('case_id') }} as case_id,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_id_number('payee_id_number') }} as payee_id_number,
        {{ is_valid_id_number(normalize_id_number('payee_id_number')) }} as payee_id_number_is_valid,
        payee_id_number as payee_id_number_raw,

        ---------- numerics
        {{ to_amount('amount') }} as amount,

        ---------- dates
        {{ normalize_period('period') }} as period,
        {{ period_start(normalize_period('period')) }} as period_start,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
