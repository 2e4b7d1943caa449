with

source as (
    {{ latest_version(source('budget', 'budget__fund_line'), [normalize_code('fund_line_code')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_code('department_code') }} as department_code,

        ---------- strings
        {{ clean_text('fund_line_name') }} as fund_line_name,
        {{ clean_text('category') }} as category,

        ---------- numerics: overrides of the category's policy parameters, null = inherit
        {{ to_amount('standard_amount') }} as standard_amount_override,
        {{ to_integer('disburse_within_days') }} as disburse_within_days_override,

        ---------- dates
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
