{{ config(tags=['alert_rule']) }}

-- E08 pension under age: a basic pension paid for a month before the recipient reached
-- the fund line's min_age by that month's last day (age from the register's birth
-- date; someone who turns 60 on the 31st is 60 for that month).
with

payments as (
    select * from {{ ref('int_rule_support_eligibility__person_payments') }}
    where
        is_judgeable
        and source_system = 'pension'
        and birth_date is not null
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
    where min_age is not null
),

under_age as (
    select
        payments.*,
        policies.min_age,
        policies.category as policy_category,
        {{ age_in_period('payments.birth_date', 'payments.period_start') }} as age
    from payments
    inner join policies
        on payments.fund_line_code = policies.fund_line_code
    where {{ age_in_period('payments.birth_date', 'payments.period_start') }} < policies.min_age
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('policy_category') }} as policy_category,
        min(age) as age,
        min(min_age) as min_age,
        min(birth_date) as birth_date,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from under_age
    group by id_number, period
),

final as (
    select
        'E08'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- paid a month or two early: recoverable, and a check of the start date
        'yellow'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object('system', 'reference', 'object', 'resident', 'key', id_number)
            ),
            'measured', age,
            'threshold', min_age,
            'threshold_source', 'policy_categories.min_age for ' || policy_category,
            'birth_date', birth_date
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
