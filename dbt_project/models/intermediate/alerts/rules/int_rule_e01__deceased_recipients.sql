{{ config(tags=['alert_rule']) }}

-- E01 deceased recipient: a payment for a period strictly after the month of death (the
-- death month itself is still owed). One finding per person and period paid.
with

payments as (
    select * from {{ ref('int_rule_support_eligibility__person_payments') }}
    where
        is_judgeable
        and death_date is not null
        and period > to_char(death_date, 'YYYYMM')
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        sum(amount) as amount,
        min(death_date) as death_date,
        {{ payment_records() }} as payment_records
    from payments
    group by id_number, period
),

final as (
    select
        'E01'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- money to the dead is lost unless recovered: the most urgent of the eligibility rules
        'red'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object('system', 'reference', 'object', 'resident', 'key', id_number)
            ),
            'measured', period,
            'threshold', to_char(death_date, 'YYYYMM'),
            'threshold_source', 'reference.resident.death_date (periods after the death month)',
            'death_date', death_date
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
