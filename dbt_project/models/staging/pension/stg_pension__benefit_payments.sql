with

source as (
    {{ latest_version(source('pension', 'pension__benefit_payment'), [to_integer('payment_id', 'bigint')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ to_integer('payment_id', 'bigint') }} as payment_id,
        {{ normalize_code('person_no') }} as person_no,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_account_no('account_no') }} as account_no,

        ---------- numerics
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,

        ---------- dates
        {{ normalize_period('period') }} as period,
        {{ period_start(normalize_period('period')) }} as period_start,
        {{ to_local_date('paid_date') }} as paid_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
