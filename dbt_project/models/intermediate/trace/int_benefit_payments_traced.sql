-- Every payment row once, on the indicator its money came from or, when none can be
-- named, with the reason why: through its voucher when it cites one, first issued first
-- consumed when it does not. Amounts add up to int_benefit_payments' to the fen.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
),

vouchered as (
    select * from {{ ref('int_benefit_payments_vouchered') }}
),

allocated as (
    select * from {{ ref('int_benefit_payments_allocated') }}
),

through_vouchers as (
    select
        payment_key,
        'voucher' as trace_method,
        indicator_id,
        case when link_status <> 'linked' then link_status end as unlinked_reason,
        voucher_no,
        fund_line_code,
        district_code,
        town_code,
        paid_year as fiscal_year,
        paid_date,
        status,
        amount
    from vouchered
),

first_in_first_out as (
    select
        allocated.payment_key,
        'fifo' as trace_method,
        allocated.indicator_id,
        case when allocated.indicator_id is null then 'beyond_indicators' end
            as unlinked_reason,
        null::text as voucher_no,
        allocated.fund_line_code,
        allocated.district_code,
        payments.town_code,
        allocated.fiscal_year,
        allocated.paid_date,
        payments.status,
        allocated.amount
    from allocated
    inner join payments
        on allocated.payment_key = payments.payment_key
),

-- An attempt that did not pay has no place in the queue, nor a reversal of a payment
-- the warehouse never saw.
untraced as (
    select
        payments.payment_key,
        'none' as trace_method,
        null::text as indicator_id,
        case
            when payments.is_paid then 'reversal_without_payment'
            else 'attempt_without_voucher'
        end as unlinked_reason,
        null::text as voucher_no,
        payments.fund_line_code,
        payments.district_code,
        payments.town_code,
        payments.paid_year as fiscal_year,
        payments.paid_date,
        payments.status,
        payments.amount
    from payments
    where
        payments.voucher_no is null
        and not exists (
            select 1 from allocated
            where allocated.payment_key = payments.payment_key
        )
),

unioned as (
    select * from through_vouchers
    union all
    select * from first_in_first_out
    union all
    select * from untraced
)

select
    unioned.payment_key || '|' || coalesce(unioned.indicator_id, '-') as trace_slice_key,
    unioned.*,
    unioned.status = 'success' as is_paid
from unioned
