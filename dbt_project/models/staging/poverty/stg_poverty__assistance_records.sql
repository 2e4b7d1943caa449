with

source as (
    -- The latest version of each record by updatedAt; a deleted one is dropped below.
    {{ latest_version(source('poverty', 'poverty__assistance'), [normalize_code('record_id')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('record_id') }} as record_id,
        {{ normalize_code('household_id') }} as household_id,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_code('voucher_no') }} as voucher_no,

        ---------- strings
        {{ clean_text('measure') }} as measure,

        ---------- numerics
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,

        ---------- dates
        {{ to_local_date('granted_at') }} as granted_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
    where {{ to_boolean('deleted') }} is not true
)

select * from renamed
