with

source as (
    -- The latest version of each household by updatedAt; a deleted one is dropped below.
    {{ latest_version(source('poverty', 'poverty__households'), [normalize_code('household_id')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('household_id') }} as household_id,
        {{ normalize_id_number('head_id_number') }} as head_id_number,
        {{ is_valid_id_number(normalize_id_number('head_id_number')) }} as head_id_number_is_valid,
        head_id_number as head_id_number_raw,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ clean_text('monitor_status') }} as monitor_status,
        case
            when risk_types is json array
                then array(select jsonb_array_elements_text(risk_types::jsonb))
        end as risk_types,

        ---------- json: members as delivered, [{idNumber, name, relation}], unnested in intermediate
        case when members is json array then members::jsonb end as members,
        case when members is json array then jsonb_array_length(members::jsonb) end as member_count,

        ---------- dates
        {{ to_local_date('identified_at') }} as identified_date,
        {{ to_local_date('eliminated_at') }} as eliminated_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
    where {{ to_boolean('deleted') }} is not true
)

select * from renamed
