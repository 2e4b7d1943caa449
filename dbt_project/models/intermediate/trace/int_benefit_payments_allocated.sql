{{ config(materialized='table') }}

-- First issued, first consumed: money paid without a voucher is counted against its fund
-- line's live leaf indicators of the district and the pay date's year, oldest first.
-- Both queues become running totals, so a payment covers the interval [start, end) of
-- its pool's money and an indicator the interval of its capacity; a payment's share of
-- an indicator is the overlap of the two. One pass of window sums and one join, however
-- many payments: no loop per payment. Whatever lies past the last indicator's capacity
-- is kept as a slice without indicator. It depends on the whole year's history (a late
-- correction moves every later payment), so the table is rebuilt, never merged.
-- A reversal does not move the queue (as truth.py): it takes back the slices of the
-- payment it undoes, so the money returns to the indicators that payment drew on.
with

all_payments as (
    select * from {{ ref('int_benefit_payments') }}
    where
        voucher_no is null
        and is_paid
),

payments as (
    select
        payment_key,
        fund_line_code,
        district_code,
        paid_year as fiscal_year,
        paid_date,
        amount
    from all_payments
    where amount > 0
),

indicators as (
    select
        indicator_id,
        fund_line_code,
        district_code,
        fiscal_year,
        issued_date,
        amount
    from {{ ref('int_budget_indicators_classified') }}
    where
        is_traceable
        and amount > 0
),

payment_spans as (
    select
        payments.*,
        sum(payments.amount) over (
            partition by payments.fund_line_code, payments.district_code, payments.fiscal_year
            order by payments.paid_date, payments.payment_key
            rows between unbounded preceding and current row
        ) as span_end
    from payments
),

indicator_spans as (
    select
        indicators.*,
        sum(indicators.amount) over (
            partition by indicators.fund_line_code, indicators.district_code, indicators.fiscal_year
            order by indicators.issued_date, indicators.indicator_id
            rows between unbounded preceding and current row
        ) as span_end
    from indicators
),

capacities as (
    select
        fund_line_code,
        district_code,
        fiscal_year,
        max(span_end) as capacity
    from indicator_spans
    group by fund_line_code, district_code, fiscal_year
),

within_indicators as (
    select
        p.payment_key,
        i.indicator_id,
        p.fund_line_code,
        p.district_code,
        p.fiscal_year,
        p.paid_date,
        p.amount as payment_amount,
        least(p.span_end, i.span_end)
        - greatest(p.span_end - p.amount, i.span_end - i.amount) as amount
    from payment_spans as p
    inner join indicator_spans as i
        on
            p.fund_line_code = i.fund_line_code
            and p.district_code = i.district_code
            and p.fiscal_year = i.fiscal_year
            and p.span_end - p.amount < i.span_end
            and i.span_end - i.amount < p.span_end
),

beyond_indicators as (
    select
        p.payment_key,
        null::text as indicator_id,
        p.fund_line_code,
        p.district_code,
        p.fiscal_year,
        p.paid_date,
        p.amount as payment_amount,
        p.span_end - greatest(p.span_end - p.amount, coalesce(c.capacity, 0)) as amount
    from payment_spans as p
    left join capacities as c
        on
            p.fund_line_code = c.fund_line_code
            and p.district_code = c.district_code
            and p.fiscal_year = c.fiscal_year
    where p.span_end > coalesce(c.capacity, 0)
),

slices as (
    select * from within_indicators
    union all
    select * from beyond_indicators
),

-- A reversal is a negative row for the same beneficiary, fund line and period; the k-th
-- reversal of an amount undoes the k-th payment of it, if that was paid no later.
reversals as (
    select
        payment_key,
        paid_date,
        fund_line_code,
        beneficiary_key,
        period,
        amount,
        row_number() over (
            partition by fund_line_code, beneficiary_key, period, -amount
            order by paid_date, payment_key
        ) as occurrence
    from all_payments
    where amount < 0
),

-- Only payments of an amount that was reversed are numbered: a few, not millions.
reversed_amounts as (
    select distinct
        fund_line_code,
        beneficiary_key,
        period,
        -amount as amount
    from reversals
),

reversible as (
    select
        p.payment_key,
        p.paid_date,
        row_number() over (
            partition by p.fund_line_code, p.beneficiary_key, p.period, p.amount
            order by p.paid_date, p.payment_key
        ) as occurrence,
        p.fund_line_code,
        p.beneficiary_key,
        p.period,
        p.amount
    from all_payments as p
    inner join reversed_amounts as r
        on
            p.fund_line_code = r.fund_line_code
            and p.beneficiary_key = r.beneficiary_key
            and p.period = r.period
            and p.amount = r.amount
),

undone as (
    select
        reversals.payment_key as reversal_key,
        reversals.paid_date as reversal_date,
        reversals.amount as reversal_amount,
        reversible.payment_key as original_key
    from reversals
    inner join reversible
        on
            reversals.fund_line_code = reversible.fund_line_code
            and reversals.beneficiary_key = reversible.beneficiary_key
            and reversals.period = reversible.period
            and -reversals.amount = reversible.amount
            and reversals.occurrence = reversible.occurrence
            and reversals.paid_date >= reversible.paid_date
),

taken_back as (
    select
        undone.reversal_key as payment_key,
        slices.indicator_id,
        slices.fund_line_code,
        slices.district_code,
        slices.fiscal_year,
        undone.reversal_date as paid_date,
        undone.reversal_amount as payment_amount,
        -slices.amount as amount
    from undone
    inner join slices
        on undone.original_key = slices.payment_key
)

select * from slices
union all
select * from taken_back
