with

source as (
    {{ latest_version(source('budget', 'budget__fund_line'), ['fund_line_code'], 'updated_at::timestamp') }}
),

renamed as (
    select
        ---------- ids
        trim(fund_line_code) as fund_line_code,
        trim(department_code) as department_code,

        ---------- strings
        trim(fund_line_name) as fund_line_name,
        trim(category) as category,

        ---------- numerics: overrides of the category's policy parameters, null = inherit
        nullif(trim(standard_amount), '')::numeric(12, 2) as standard_amount_override,
        nullif(trim(disburse_within_days), '')::integer as disburse_within_days_override,

        ---------- timestamps
        updated_at::timestamp as updated_at
    from source
)

select * from renamed
