with

source as (
    {{ latest_version(source('pension', 'pension__insured_person'), [normalize_code('person_no')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('person_no') }} as person_no,
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('status') }} as status,
        {{ clean_text('suspend_reason') }} as suspend_reason,

        ---------- dates
        {{ normalize_period('benefit_start_period') }} as benefit_start_period,
        {{ period_start(normalize_period('benefit_start_period')) }} as benefit_start_date,
        {{ to_local_date('suspended_date') }} as suspended_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
