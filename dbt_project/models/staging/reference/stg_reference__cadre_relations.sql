with

source as (
    {{ latest_version(
        source('reference', 'reference__cadre_relation'),
        [normalize_id_number('cadre_id_number'), normalize_id_number('relative_id_number')],
        to_timestamptz('updated_at')
    ) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_id_number('cadre_id_number') }} as cadre_id_number,
        {{ is_valid_id_number(normalize_id_number('cadre_id_number')) }} as cadre_id_number_is_valid,
        cadre_id_number as cadre_id_number_raw,
        {{ normalize_id_number('relative_id_number') }} as relative_id_number,
        {{ is_valid_id_number(normalize_id_number('relative_id_number')) }} as relative_id_number_is_valid,
        relative_id_number as relative_id_number_raw,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ normalize_person_name('cadre_name') }} as cadre_name,
        {{ normalize_person_name('relative_name') }} as relative_name,
        {{ clean_text('post') }} as post,
        {{ clean_text('relation') }} as relation,

        ---------- dates
        {{ to_local_date('term_start') }} as term_start,
        {{ to_local_date('term_end') }} as term_end,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
