with

source as (
    {{ latest_version(source('budget', 'budget__budget_indicator'), [normalize_code('indicator_id')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('indicator_id') }} as indicator_id,
        {{ normalize_code('parent_indicator_id') }} as parent_indicator_id,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_code('district_code') }} as district_code,

        ---------- strings
        {{ clean_text('level') }} as level,
        {{ clean_text('document_no') }} as document_no,
        {{ clean_text('status') }} as status,

        ---------- numerics
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ to_amount('amount') }} as amount,

        ---------- booleans
        {{ clean_text('status') }} = 'withdrawn' as is_withdrawn,

        ---------- dates
        {{ to_local_date('issued_date') }} as issued_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
