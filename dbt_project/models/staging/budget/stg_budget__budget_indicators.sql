with

source as (
    {{ latest_version(source('budget', 'budget__budget_indicator'), ['indicator_id'], 'updated_at::timestamp') }}
),

renamed as (
    select
        ---------- ids
        trim(indicator_id) as indicator_id,
        nullif(trim(parent_indicator_id), '') as parent_indicator_id,
        trim(fund_line_code) as fund_line_code,
        trim(district_code) as district_code,

        ---------- strings
        trim(level) as level,
        trim(document_no) as document_no,
        trim(status) as status,

        ---------- numerics
        fiscal_year::integer as fiscal_year,
        amount::numeric(14, 2) as amount,

        ---------- booleans
        trim(status) = 'withdrawn' as is_withdrawn,

        ---------- dates
        issued_date::date as issued_date,
        updated_at::timestamp as updated_at
    from source
)

select * from renamed
