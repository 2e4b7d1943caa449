{{ config(tags=['alert_rule']) }}

-- T01: a live leaf indicator whose money has not reached payees in full by issued_date +
-- disburse_within_days, as of tonight. One completed late is no longer a finding (the
-- framework resolves it); disbursement_delays keeps it.
with

delayed as (
    select * from {{ ref('int_disbursements_delayed') }}
    where
        subject_type = 'indicator'
        and not is_resolved
        and severity is not null
),

findings as (
    select
        'T01'::text as rule_code,
        'indicator'::text as subject_type,
        indicator_id::text as subject_key,
        to_char(start_date, 'YYYYMM') as period,
        fund_line_code::text as fund_line_code,
        null::text as village_code,
        undisbursed_amount::numeric(14, 2) as amount_at_risk,
        severity::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object(
                    'system', 'budget', 'object', 'budget_indicator', 'key', indicator_id
                )
            ),
            'measured', as_of_night - start_date,
            'threshold', disburse_within_days,
            'threshold_source',
            case
                when deadline_is_overridden
                    then 'fund line ' || fund_line_code || ' override'
                else 'policy_categories.disburse_within_days for ' || category
            end,
            'issued_date', start_date,
            'deadline_date', deadline_date,
            'night', as_of_night,
            'days_overdue', days_overdue,
            'budgeted_amount', amount,
            'disbursed_amount', disbursed_amount
        ) as evidence,
        'indicator|' || indicator_id as finding_key
    from delayed
)

select * from findings
