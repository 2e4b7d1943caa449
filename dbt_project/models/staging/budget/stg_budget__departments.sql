with

source as (
    {{ latest_version(source('budget', 'budget__department'), [normalize_code('department_code')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('department_code') }} as department_code,

        ---------- strings
        {{ clean_text('department_name') }} as department_name,

        ---------- dates
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
