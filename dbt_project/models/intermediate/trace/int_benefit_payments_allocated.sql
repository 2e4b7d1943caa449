{{ config(materialized='table') }}

-- First issued, first consumed: money paid without a voucher is counted against its fund
-- line's live leaf indicators of the district and the pay date's year, oldest first.
-- Both queues become running totals, so a payment covers the interval [start, end) of
-- its pool's money and an indicator the interval of its capacity; a payment's share of
-- an indicator is the overlap of the two. One pass of window sums and one join, however
-- many payments: no loop per payment. Whatever lies past the last indicator's capacity
-- is kept as a slice without indicator. It depends on the whole year's history (a late
-- correction moves every later payment), so the table is rebuilt, never merged.
-- Reversals (negative amounts) do not move the queue: they are not allocated here.
with

payments as (
    select
        payment_key,
        fund_line_code,
        district_code,
        paid_year as fiscal_year,
        paid_date,
        amount
    from {{ ref('int_benefit_payments') }}
    where
        voucher_no is null
        and is_paid
        and amount > 0
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
)

select * from within_indicators
union all
select * from beyond_indicators
