with

source as (
    {{ latest_version(source('reference', 'reference__enterprise'), [normalize_credit_code('credit_code')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_credit_code('credit_code') }} as credit_code,
        {{ is_valid_credit_code(normalize_credit_code('credit_code')) }} as credit_code_is_valid,
        credit_code as credit_code_raw,
        {{ normalize_id_number('legal_rep_id_number') }} as legal_rep_id_number,
        {{ is_valid_id_number(normalize_id_number('legal_rep_id_number')) }} as legal_rep_id_number_is_valid,
        legal_rep_id_number as legal_rep_id_number_raw,

        ---------- strings
        {{ clean_text('name') }} as name,

        ---------- numerics
        {{ to_amount('registered_capital') }} as registered_capital,

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
