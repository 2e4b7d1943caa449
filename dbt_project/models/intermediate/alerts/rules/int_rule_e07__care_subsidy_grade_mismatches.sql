{{ config(tags=['alert_rule']) }}

-- E07 care subsidy grade mismatch: an allowance whose type has a grade limit
-- (policy_categories.max_disability_grade: the care subsidy, grades 1-2) paid to a
-- disability grade above it. The living subsidy has no limit and is never checked.
with

payments as (
    select * from {{ ref('int_rule_support_eligibility__person_payments') }}
    where
        is_judgeable
        and source_system = 'allowance'
        and disability_grade is not null
),

limits as (
    select
        category,
        max_disability_grade
    from {{ ref('policy_categories') }}
    where max_disability_grade is not null
),

above_limit as (
    select
        payments.*,
        limits.max_disability_grade
    from payments
    inner join limits
        on payments.benefit_kind = limits.category
    where payments.disability_grade > limits.max_disability_grade
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('benefit_kind') }} as allowance_type,
        max(disability_grade) as disability_grade,
        min(max_disability_grade) as max_disability_grade,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from above_limit
    group by id_number, period
),

final as (
    select
        'E07'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- the grade is on the certificate: a clerical check with a small sum
        'yellow'::text as severity,
        jsonb_build_object(
            'records', payment_records,
            'measured', disability_grade,
            'threshold', max_disability_grade,
            'threshold_source', 'policy_categories.max_disability_grade for ' || allowance_type
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
