{{ config(tags=['alert_rule']) }}

-- B03 disbursed over funding: the payments that reached households citing a treasury
-- voucher add up, net of reversals, to more than the voucher. Every voucher the treasury
-- knows counts, whatever its status (a returned voucher that was still spent is worse).
-- At risk: the excess.
with

vouchers as (
    select * from {{ ref('int_rule_support_budget__vouchers') }}
    where is_cited
        and cited_amount > amount
),

final as (
    select
        'B03'::text as rule_code,
        'voucher'::text as subject_type,
        voucher_no as subject_key,
        null::text as period,
        fund_line_code,
        village_code,
        (cited_amount - amount)::numeric(14, 2) as amount_at_risk,
        -- households were paid money the treasury never sent: the agent bank advanced it
        'orange'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object('system', 'treasury', 'object', 'payment_voucher', 'key', voucher_no)
            ) || cited_records,
            'measured', cited_amount,
            'threshold', amount,
            'threshold_source', 'treasury.payment_voucher.amount of ' || voucher_no,
            'voucher_status', status,
            'payee_type', payee_type,
            'payments', cited_payments
        ) as evidence,
        'voucher|' || voucher_no as finding_key
    from vouchers
)

select * from final
