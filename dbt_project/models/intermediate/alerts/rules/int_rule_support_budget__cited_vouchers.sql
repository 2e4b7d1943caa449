-- The voucher numbers that money reaching households (one-card, poverty aid) cites, with
-- what those payments add up to net of reversals. A treasury award row is the voucher
-- itself, not a use of it, so it cites nothing here.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid
        and voucher_no is not null
        and source_system <> 'treasury'
),

cited as (
    select
        voucher_no,
        sum(amount) as cited_amount,
        count(*) as cited_payments,
        min(paid_date) as first_paid_date,
        max(paid_date) as last_paid_date,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        case when count(distinct village_code) = 1 then min(village_code) end as village_code,
        {{ payment_records() }} as records
    from payments
    group by voucher_no
)

select * from cited
