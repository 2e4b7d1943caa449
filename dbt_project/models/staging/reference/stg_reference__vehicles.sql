with

source as (
    {{ latest_version(source('reference', 'reference__vehicle'), [normalize_plate_no('plate_no')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_plate_no('plate_no') }} as plate_no,
        plate_no as plate_no_raw,
        {{ normalize_id_number('owner_id_number') }} as owner_id_number,
        {{ is_valid_id_number(normalize_id_number('owner_id_number')) }} as owner_id_number_is_valid,
        owner_id_number as owner_id_number_raw,

        ---------- strings
        {{ clean_text('vehicle_type') }} as vehicle_type,

        ---------- numerics
        {{ to_amount('purchase_price') }} as purchase_price,

        ---------- dates
        {{ to_local_date('registered_date') }} as registered_date,
        {{ to_local_date('deregistered_date') }} as deregistered_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
