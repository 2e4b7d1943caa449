-- The largest object of all (a payment per pensioner and month), so it is incremental:
-- a night reads only the raw rows loaded since the last build and keeps, per payment,
-- the newest version; a full refresh gives the same table (tests/test_incremental_models.py).
{{ config(
    materialized='incremental',
    unique_key='payment_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[{'columns': ['payment_id'], 'unique': true}, {'columns': ['person_no']}]
) }}

with

delivered as (
    select * from {{ source('pension', 'pension__benefit_payment') }}
    {% if is_incremental() %}
        -- load ids only grow: rows of earlier loads were all weighed by an earlier build
        where _load_id > (select coalesce(max(built.load_id), 0) from {{ this }} as built)
    {% endif %}
),

source as (
    {{ latest_version('delivered', [to_integer('payment_id', 'bigint')], to_timestamptz('updated_at')) }}
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

{% if is_incremental() %}
    -- A newer load wins unless it carries an older change stamp (a late stale copy), the
    -- same order latest_version() applies to the whole history.
    select renamed.*
    from renamed
    left join {{ this }} as built
        on renamed.payment_id = built.payment_id
    where built.payment_id is null
        or built.updated_at is null
        or renamed.updated_at >= built.updated_at
{% else %}
    select * from renamed
{% endif %}
