with

source as (
    {{ latest_version(
        source('dibao', 'dibao__case_member'),
        [normalize_code('case_id'), normalize_id_number('id_number')],
        to_timestamptz('updated_at')
    ) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('case_id') }} as case_id,
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('relation') }} as relation,

        ---------- dates
        {{ to_local_date('joined_date') }} as joined_date,
        {{ to_local_date('left_date') }} as left_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
