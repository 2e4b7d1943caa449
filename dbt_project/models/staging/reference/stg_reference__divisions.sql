with

source as (
    {{ latest_version(source('reference', 'reference__division'), [normalize_code('code')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('code') }} as division_code,
        {{ normalize_code('parent_code') }} as parent_code,

        ---------- strings
        {{ clean_text('name') }} as division_name,
        lower({{ clean_text('level') }}) as division_level,

        ---------- dates
        {{ to_local_date('valid_from') }} as valid_from,
        {{ to_local_date('valid_to') }} as valid_to,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
