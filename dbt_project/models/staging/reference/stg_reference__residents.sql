with

source as (
    {{ latest_version(source('reference', 'reference__resident'), [normalize_id_number('id_number')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids: promised clean, normalized and checked all the same
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        {{ normalize_code('household_no') }} as household_no,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        upper({{ clean_text('gender') }}) as gender,

        ---------- dates
        {{ to_local_date('birth_date') }} as birth_date,
        {{ to_local_date('death_date') }} as death_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
