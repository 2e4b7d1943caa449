{{ config(materialized='table') }}

-- How far the money of each paid voucher to a one-card special account or to town
-- finance got: those accounts only hold money until households are paid from them, and
-- the payments cite the voucher, so its progress can be read voucher by voucher. (A
-- voucher to an enterprise is the final payment; agencies and village collectives pay
-- without citing it, so their money is traced per indicator instead.)
with

vouchers as (
    select * from {{ ref('int_payment_vouchers_classified') }}
    where
        status = 'paid'
        and payee_type in ('onecard_account', 'town_finance')
),

payments as (
    select * from {{ ref('int_benefit_payments_vouchered') }}
    where status = 'success'
),

totals as (
    select
        voucher_no,
        sum(amount) as disbursed_amount,
        count(*) as payment_count,
        min(paid_date) filter (where amount > 0) as first_disbursed_date,
        max(paid_date) filter (where amount > 0) as last_disbursed_date,
        -- the town is known when every household it paid lives in one
        case when count(distinct town_code) = 1 then min(town_code) end as town_code,
        min(fund_line_code) as payments_fund_line_code,
        min(district_code) as payments_district_code
    from payments
    group by voucher_no
),

completion as (
    {{ completion_dates('payments', 'voucher_no', 'vouchers') }}
),

final as (
    select
        vouchers.voucher_no,
        vouchers.indicator_id,
        vouchers.link_status,
        vouchers.payee_type,
        vouchers.payee_name,
        coalesce(vouchers.fund_line_code, totals.payments_fund_line_code) as fund_line_code,
        coalesce(vouchers.district_code, totals.payments_district_code) as district_code,
        totals.town_code,
        vouchers.voucher_date,
        vouchers.paid_date,
        vouchers.amount,
        coalesce(totals.disbursed_amount, 0) as disbursed_amount,
        coalesce(totals.payment_count, 0) as payment_count,
        totals.first_disbursed_date,
        totals.last_disbursed_date,
        case
            when vouchers.amount <= 0 then vouchers.paid_date
            else completion.completed_date
        end as completed_date
    from vouchers
    left join totals
        on vouchers.voucher_no = totals.voucher_no
    left join completion
        on vouchers.voucher_no = completion.voucher_no
)

select * from final
