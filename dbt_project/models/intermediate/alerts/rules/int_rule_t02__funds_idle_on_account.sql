{{ config(tags=['alert_rule']) }}

-- T02 funds idle on account: a paid voucher to a one-card special account or a town
-- finance office whose citing payments (net of reversals, whenever made) still add up to
-- less than the voucher once its fund line's disbursement deadline, counted from the day
-- the treasury paid it, has passed. At risk: the part of the voucher not paid out.
with

vouchers as (
    select * from {{ ref('int_rule_support_budget__vouchers') }}
    where status = 'paid'
        and payee_type in ('onecard_account', 'town_finance')
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

parameters as (
    select * from {{ ref('int_supervision_parameters') }}
),

due as (
    select
        vouchers.*,
        policies.disburse_within_days,
        policies.deadline_is_overridden,
        vouchers.paid_date + policies.disburse_within_days as deadline,
        {{ current_night() }} - (vouchers.paid_date + policies.disburse_within_days)
            as days_overdue
    from vouchers
    inner join policies
        on vouchers.fund_line_code = policies.fund_line_code
),

idle as (
    select * from due
    where days_overdue > 0
        and cited_amount < amount
),

final as (
    select
        'T02'::text as rule_code,
        'voucher'::text as subject_type,
        idle.voucher_no as subject_key,
        to_char(idle.paid_date, 'YYYYMM') as period,
        idle.fund_line_code,
        idle.village_code,
        (idle.amount - idle.cited_amount)::numeric(14, 2) as amount_at_risk,
        -- a finding even short of the yellow delay (the deadline has passed): yellow then
        coalesce({{ delay_severity('idle.days_overdue') }}, 'yellow') as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object(
                    'system', 'treasury', 'object', 'payment_voucher', 'key', idle.voucher_no
                )
            ) || idle.cited_records,
            'measured', idle.cited_amount,
            'threshold', idle.amount,
            'threshold_source', 'treasury.payment_voucher.amount; deadline paid_date + '
            || idle.disburse_within_days || ' days ('
            || case
                when idle.deadline_is_overridden
                    then 'fund line ' || idle.fund_line_code || ' override'
                else 'policy_categories.disburse_within_days'
            end || ')',
            'payee_type', idle.payee_type,
            'paid_date', idle.paid_date,
            'deadline', idle.deadline,
            'days_overdue', idle.days_overdue
        ) as evidence,
        'voucher|' || idle.voucher_no as finding_key
    from idle
    cross join parameters
)

select * from final
