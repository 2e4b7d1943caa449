{{ config(materialized='table') }}

-- First issued, first consumed, as contracts/README.md ("Where the money reaches
-- people") states it: money paid without a voucher draws on its fund line's live leaf
-- indicators of the district that were issued on or before its pay date, oldest first,
-- each only up to what is left after the payments traced to it through its own
-- vouchers. No fiscal-year pool: January spending may complete last year's indicator.
-- What finds no indicator with money left is a slice without indicator (unlinked).
-- A voucher to a village collective is no payment (int_benefit_payments leaves it
-- out): it does not use the capacity up, the collective's expense lines draw on it.
--
-- No loop per payment. Take the payments of a pool by (pay date, key): S_k is the
-- running sum of their amounts, C_k the capacity of the indicators issued by payment
-- k's date (in issue order, so indicator spans line up on one capacity line). Linked
-- money so far L_k = min(L_(k-1) + a_k, C_k) unrolls to
-- L_k = S_k + min(0, min over j <= k of (C_j - S_j)), a running window min; payment k
-- covers [L_(k-1), L_k) of the capacity line, shared with the indicators by overlap,
-- and the rest of it is unlinked. It depends on the whole history of its pool (a late
-- row moves every later payment), so the table is rebuilt, never merged.
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

-- what reached payees through the indicator's own vouchers, net of reversals
through_vouchers as (
    select
        indicator_id,
        sum(amount) as amount
    from {{ ref('int_benefit_payments_vouchered') }}
    where
        link_status = 'linked'
        and status = 'success'
    group by indicator_id
),

indicators as (
    select
        i.indicator_id,
        i.fund_line_code,
        i.district_code,
        i.issued_date,
        greatest(i.amount - coalesce(v.amount, 0), 0) as capacity
    from {{ ref('int_budget_indicators_classified') }} as i
    left join through_vouchers as v
        on i.indicator_id = v.indicator_id
    where i.is_traceable
),

indicator_spans as (
    select
        indicators.*,
        sum(indicators.capacity) over (
            partition by indicators.fund_line_code, indicators.district_code
            order by indicators.issued_date, indicators.indicator_id
            rows between unbounded preceding and current row
        ) as span_end
    from indicators
    where indicators.capacity > 0
),

-- One stream of both queues: on a day, indicators issued come before payments paid,
-- so a running sum of capacity gives each payment the C_k of its date.
stream as (
    select
        fund_line_code,
        district_code,
        issued_date as event_date,
        0 as event_order,
        indicator_id as event_key,
        capacity,
        0::numeric as amount
    from indicator_spans
    union all
    select
        fund_line_code,
        district_code,
        paid_date as event_date,
        1 as event_order,
        payment_key as event_key,
        0::numeric as capacity,
        amount
    from payments
),

running as (
    select
        stream.*,
        sum(stream.capacity) over pool_order as issued_capacity,
        sum(stream.amount) over pool_order as paid_so_far
    from stream
    window pool_order as (
        partition by stream.fund_line_code, stream.district_code
        order by stream.event_date, stream.event_order, stream.event_key
        rows between unbounded preceding and current row
    )
),

linked_so_far as (
    select
        running.event_key as payment_key,
        running.paid_so_far
        + least(
            0,
            min(running.issued_capacity - running.paid_so_far) over (
                partition by running.fund_line_code, running.district_code
                order by running.event_date, running.event_key
                rows between unbounded preceding and current row
            )
        ) as linked_end
    from running
    where running.event_order = 1
),

payment_spans as (
    select
        payments.*,
        coalesce(
            lag(linked_so_far.linked_end) over (
                partition by payments.fund_line_code, payments.district_code
                order by payments.paid_date, payments.payment_key
            ),
            0
        ) as linked_start,
        linked_so_far.linked_end
    from payments
    inner join linked_so_far
        on payments.payment_key = linked_so_far.payment_key
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
        least(p.linked_end, i.span_end)
        - greatest(p.linked_start, i.span_end - i.capacity) as amount
    from payment_spans as p
    inner join indicator_spans as i
        on
            p.fund_line_code = i.fund_line_code
            and p.district_code = i.district_code
            and p.linked_start < i.span_end
            and i.span_end - i.capacity < p.linked_end
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
        p.amount - (p.linked_end - p.linked_start) as amount
    from payment_spans as p
    where p.amount > p.linked_end - p.linked_start
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
