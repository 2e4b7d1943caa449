-- Whether a voucher can carry money to its indicator: only a paid voucher moved money,
-- and only a live leaf is where money is budgeted to be spent. The first reason that
-- fails is kept, so every voucher has exactly one link status; the indicator's part of
-- it is kept apart for attempts that did not pay (they belong to the indicator whatever
-- became of the voucher).
with

vouchers as (
    select * from {{ ref('stg_treasury__payment_vouchers') }}
),

indicators as (
    select * from {{ ref('int_budget_indicators_classified') }}
),

classified as (
    select
        vouchers.voucher_no,
        vouchers.indicator_id,
        vouchers.payer_department_code,
        vouchers.payee_type,
        vouchers.payee_name,
        vouchers.payee_code,
        vouchers.payee_village_code,
        vouchers.status,
        vouchers.amount,
        vouchers.voucher_date,
        vouchers.paid_date,
        indicators.fund_line_code,
        indicators.district_code,
        indicators.fiscal_year,
        indicators.issued_date as indicator_issued_date,
        case
            when indicators.indicator_id is null then 'indicator_unknown'
            when indicators.is_withdrawn then 'indicator_withdrawn'
            when not indicators.is_leaf then 'indicator_not_leaf'
            else 'linked'
        end as indicator_link_status
    from vouchers
    left join indicators
        on vouchers.indicator_id = indicators.indicator_id
),

final as (
    select
        classified.*,
        case
            when coalesce(classified.status, '') <> 'paid' then 'voucher_not_paid'
            else classified.indicator_link_status
        end as link_status
    from classified
)

select * from final
