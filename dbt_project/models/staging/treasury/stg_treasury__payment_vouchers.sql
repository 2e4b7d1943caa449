with

source as (
    {{ latest_version(source('treasury', 'treasury__payment_voucher'), [normalize_code('voucher_no')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('voucher_no') }} as voucher_no,
        {{ normalize_code('indicator_id') }} as indicator_id,
        {{ normalize_code('payer_department_code') }} as payer_department_code,
        {{ normalize_account_no('payee_account') }} as payee_account,
        {{ normalize_credit_code('payee_code') }} as payee_code,
        case
            when {{ normalize_credit_code('payee_code') }} ~ '^[0-9]{12}$'
                then {{ normalize_credit_code('payee_code') }}
        end as payee_village_code,
        case
            when {{ normalize_credit_code('payee_code') }} !~ '^[0-9]{12}$'
                then {{ is_valid_credit_code(normalize_credit_code('payee_code')) }}
        end as payee_credit_code_is_valid,

        ---------- strings
        {{ clean_text('payee_type') }} as payee_type,
        {{ clean_text('payee_name') }} as payee_name,
        {{ clean_text('status') }} as status,

        ---------- numerics
        {{ to_amount('amount') }} as amount,

        ---------- dates
        {{ to_local_date('voucher_date') }} as voucher_date,
        {{ to_local_date('paid_date') }} as paid_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
