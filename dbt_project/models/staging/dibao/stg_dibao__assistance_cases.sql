with

source as (
    {{ latest_version(source('dibao', 'dibao__assistance_case'), [normalize_code('case_id')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('case_id') }} as case_id,
        {{ normalize_id_number('head_id_number') }} as head_id_number,
        {{ is_valid_id_number(normalize_id_number('head_id_number')) }} as head_id_number_is_valid,
        head_id_number as head_id_number_raw,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ clean_text('category') }} as category,
        {{ clean_text('status') }} as status,

        ---------- numerics
        {{ to_integer('member_count') }} as member_count,
        {{ to_amount('monthly_amount') }} as monthly_amount,

        ---------- dates
        {{ to_local_date('approved_date') }} as approved_date,
        {{ to_local_date('terminated_date') }} as terminated_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
