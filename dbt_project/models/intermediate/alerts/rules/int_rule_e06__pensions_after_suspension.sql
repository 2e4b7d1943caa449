{{ config(tags=['alert_rule']) }}

-- E06 pension after suspension: a pension paid for a period strictly after the month
-- that holds the insured person's suspended_date (that month's payment is still owed).
-- The insured record is found by the payee's normalized identity number, as every rule
-- joins people (int_benefit_payments took that number from the same record).
with

payments as (
    select * from {{ ref('int_rule_support_eligibility__person_payments') }}
    where
        is_judgeable
        and source_system = 'pension'
),

insured as (
    select * from {{ ref('stg_pension__insured_persons') }}
    where suspended_date is not null
),

after_suspension as (
    select
        payments.*,
        insured.person_no,
        insured.suspended_date,
        insured.suspend_reason
    from payments
    inner join insured
        on payments.id_number = insured.id_number
    where payments.period > to_char(insured.suspended_date, 'YYYYMM')
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        min(person_no) as person_no,
        min(suspended_date) as suspended_date,
        min(suspend_reason) as suspend_reason,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from after_suspension
    group by id_number, period
),

final as (
    select
        'E06'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- the bureau itself stopped the pension, yet paid it: a control that failed
        'red'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object('system', 'pension', 'object', 'insured_person', 'key', person_no)
            ),
            'measured', period,
            'threshold', to_char(suspended_date, 'YYYYMM'),
            'threshold_source',
            'pension.insured_person.suspended_date (periods after the suspension month)',
            'suspended_date', suspended_date,
            'suspend_reason', suspend_reason
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
