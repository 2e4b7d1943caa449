{{ config(tags=['alert_rule']) }}

-- D05 repeated one-off subsidy: a category that is once_per_lifetime paid more than once to
-- one person, or to one enterprise. Payments are taken in the order they were made (pay
-- date, then record); every one after the first is a finding in its period, and its
-- amount is at risk. The person and the enterprise are judged apart: one repeated award
-- can raise both.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
    where once_per_lifetime
),

once as (
    select payments.*
    from payments
    inner join policies
        on payments.fund_line_code = policies.fund_line_code
),

subjects as (
    select
        once.*,
        'person'::text as subject_type,
        once.id_number as subject_key
    from once
    where once.id_number is not null
    union all
    select
        once.*,
        'enterprise'::text as subject_type,
        once.enterprise_credit_code as subject_key
    from once
    where once.enterprise_credit_code is not null
),

ordered as (
    select
        subjects.*,
        row_number() over (
            partition by subjects.subject_type, subjects.subject_key, subjects.category
            order by subjects.paid_date, subjects.payment_key
        ) as times_paid,
        count(*) over (
            partition by subjects.subject_type, subjects.subject_key, subjects.category
        ) as payments,
        first_value(jsonb_build_object(
            'system', subjects.source_system,
            'object', subjects.source_object,
            'key', subjects.source_key,
            'paid_date', subjects.paid_date
        )) over (
            partition by subjects.subject_type, subjects.subject_key, subjects.category
            order by subjects.paid_date, subjects.payment_key
        ) as first_record
    from subjects
),

per_period as (
    select
        subject_type,
        subject_key,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('first_record') }} as first_record,
        max(payments) as payments,
        sum(amount) as amount,
        jsonb_agg(category order by category) as categories,
        {{ payment_records() }} as records
    from ordered
    where times_paid > 1
    group by subject_type, subject_key, period
),

final as (
    select
        'D05'::text as rule_code,
        subject_type,
        subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- a second one-off award has no entitlement behind it at all
        'red'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(first_record - 'paid_date') || records,
            'measured', payments,
            'threshold', 1,
            'threshold_source', 'policy_categories.once_per_lifetime',
            'categories', categories,
            'first_payment', first_record
        ) as evidence,
        subject_type || '|' || subject_key || '|' || period as finding_key
    from per_period
)

select * from final
