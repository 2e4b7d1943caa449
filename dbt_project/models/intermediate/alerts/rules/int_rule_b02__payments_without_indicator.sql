{{ config(tags=['alert_rule']) }}

-- B02 payment without an indicator, two ways: a live (paid or pending) treasury voucher
-- drawn on an indicator the budget does not know or has withdrawn (an adjusted one is
-- still live), dated by the voucher; or a voucher number that payments to households
-- cite and the treasury never issued, dated by the first such payment. Either way the
-- subject is the voucher number. At risk: the voucher, or what its citing payments add up to.
with

vouchers as (
    select * from {{ ref('int_rule_support_budget__vouchers') }}
),

cited as (
    select * from {{ ref('int_rule_support_budget__cited_vouchers') }}
),

unfunded_vouchers as (
    select
        voucher_no,
        to_char(voucher_date, 'YYYYMM') as period,
        fund_line_code,
        village_code,
        amount,
        jsonb_build_array(
            jsonb_build_object('system', 'treasury', 'object', 'payment_voucher', 'key', voucher_no)
        ) || cited_records as records,
        case
            when indicator_is_known then 'indicator withdrawn'
            else 'indicator unknown to the budget'
        end as reason,
        indicator_id,
        status as voucher_status
    from vouchers
    where status in ('paid', 'pending')
        and (not indicator_is_known or indicator_is_withdrawn)
),

unknown_vouchers as (
    select
        cited.voucher_no,
        to_char(cited.first_paid_date, 'YYYYMM') as period,
        cited.fund_line_code,
        cited.village_code,
        cited.cited_amount as amount,
        cited.records,
        'voucher unknown to the treasury' as reason,
        null::text as indicator_id,
        null::text as voucher_status
    from cited
    left join vouchers
        on cited.voucher_no = vouchers.voucher_no
    where vouchers.voucher_no is null
),

findings as (
    select * from unfunded_vouchers
    union all
    select * from unknown_vouchers
),

final as (
    select
        'B02'::text as rule_code,
        'voucher'::text as subject_type,
        voucher_no as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- money paid out with no budget authority behind it
        'red'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', reason,
            'threshold', 'a live indicator of the budget behind a voucher of the treasury',
            'threshold_source', 'budget.budget_indicator, treasury.payment_voucher',
            'indicator_id', indicator_id,
            'voucher_status', voucher_status
        ) as evidence,
        'voucher|' || voucher_no as finding_key
    from findings
)

select * from final
