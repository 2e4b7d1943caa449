{{ config(materialized='table') }}

-- How far each live leaf indicator's money got, from the traced payments: what reached
-- payees (net of reversals), what is stuck in failed or returned attempts, and the day
-- the money that reached payees first added up to the indicator. Nothing here depends
-- on the night: deadlines and lateness are the marts' business.
with

indicators as (
    select * from {{ ref('int_budget_indicators_classified') }}
    where is_traceable
),

vouchers as (
    select
        indicator_id,
        count(*) as voucher_count,
        coalesce(sum(amount) filter (where status = 'paid'), 0) as treasury_paid_amount
    from {{ ref('int_payment_vouchers_classified') }}
    group by indicator_id
),

traced as (
    select * from {{ ref('int_benefit_payments_traced') }}
    where indicator_id is not null
),

totals as (
    select
        indicator_id,
        coalesce(sum(amount) filter (where is_paid), 0) as disbursed_amount,
        coalesce(sum(amount) filter (where status = 'failed'), 0) as failed_attempt_amount,
        coalesce(sum(amount) filter (where status = 'returned'), 0)
            as returned_attempt_amount,
        count(distinct payment_key) filter (where is_paid) as payment_count,
        min(paid_date) filter (where is_paid and amount > 0) as first_disbursed_date,
        max(paid_date) filter (where is_paid and amount > 0) as last_disbursed_date
    from traced
    group by indicator_id
),

paid as (
    select * from traced
    where is_paid
),

completion as (
    {{ completion_dates('paid', 'indicator_id', 'indicators') }}
),

final as (
    select
        indicators.indicator_id,
        indicators.fund_line_code,
        indicators.district_code,
        indicators.fiscal_year,
        indicators.level,
        indicators.document_no,
        indicators.status,
        indicators.issued_date,
        indicators.amount as budgeted_amount,
        coalesce(vouchers.voucher_count, 0) as voucher_count,
        coalesce(vouchers.treasury_paid_amount, 0) as treasury_paid_amount,
        coalesce(totals.disbursed_amount, 0) as disbursed_amount,
        coalesce(totals.failed_attempt_amount, 0) as failed_attempt_amount,
        coalesce(totals.returned_attempt_amount, 0) as returned_attempt_amount,
        coalesce(totals.payment_count, 0) as payment_count,
        totals.first_disbursed_date,
        totals.last_disbursed_date,
        -- an indicator of nothing has nothing to wait for; money that reached payees
        -- through a voucher dated before the indicator was issued completes it no
        -- earlier than its issue day (first issued, first consumed never draws early);
        -- greatest() skips nulls, so a null stays null (not complete) explicitly
        case
            when indicators.amount <= 0 then indicators.issued_date
            when completion.completed_date is not null
                then greatest(completion.completed_date, indicators.issued_date)
        end as completed_date
    from indicators
    left join vouchers
        on indicators.indicator_id = vouchers.indicator_id
    left join totals
        on indicators.indicator_id = totals.indicator_id
    left join completion
        on indicators.indicator_id = completion.indicator_id
)

select * from final
