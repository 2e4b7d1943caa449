-- Payments that cite a treasury voucher reach the voucher's indicator through it. A
-- number the treasury never issued links to nothing (B02); money that reached someone
-- on a voucher that was not paid, or on an indicator that is not a live leaf, is kept
-- unlinked with the reason. An attempt that did not pay belongs to the indicator even
-- when its voucher went back (a returned enterprise voucher is such an attempt).
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where voucher_no is not null
),

vouchers as (
    select * from {{ ref('int_payment_vouchers_classified') }}
),

linked as (
    select
        payments.*,
        case
            when vouchers.voucher_no is null then 'voucher_unknown'
            when payments.is_paid and coalesce(vouchers.status, '') <> 'paid'
                then 'voucher_not_paid'
            else vouchers.indicator_link_status
        end as link_status,
        vouchers.indicator_id as cited_indicator_id,
        vouchers.payee_type as voucher_payee_type
    from payments
    left join vouchers
        on payments.voucher_no = vouchers.voucher_no
),

final as (
    select
        payment_key,
        source_system,
        voucher_no,
        case when link_status = 'linked' then cited_indicator_id end as indicator_id,
        link_status,
        cited_indicator_id,
        voucher_payee_type,
        fund_line_code,
        district_code,
        town_code,
        paid_year,
        paid_date,
        status,
        amount
    from linked
)

select * from final
