{{ config(tags=['alert_rule']) }}

-- E03 underage (or overage) old-age allowance: an allowance whose type has an age band
-- (policy_categories min_age / max_age), paid for a month in which the recipient's age,
-- reached by the month's last day and taken from the register, is outside the band.
-- Someone who turns 80 on the 31st is 80 for that whole month.
with

payments as (
    select * from {{ ref('int_rule_support_eligibility__person_payments') }}
    where
        is_judgeable
        and source_system = 'allowance'
        and birth_date is not null
),

bands as (
    select
        category,
        min_age,
        max_age
    from {{ ref('policy_categories') }}
    where min_age is not null or max_age is not null
),

aged as (
    select
        payments.*,
        bands.min_age,
        bands.max_age,
        {{ age_in_period('payments.birth_date', 'payments.period_start') }} as age
    from payments
    -- the band of the allowance type actually paid
    inner join bands
        on payments.benefit_kind = bands.category
),

out_of_band as (
    select * from aged
    where age < min_age or age > max_age
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('benefit_kind') }} as allowance_type,
        {{ first_paid('min_age') }} as min_age,
        {{ first_paid('max_age') }} as max_age,
        min(age) as age,
        min(birth_date) as birth_date,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from out_of_band
    group by id_number, period
),

final as (
    select
        'E03'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- a wrong band is usually a date or a late switch: small sums, a check by the office
        'yellow'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object('system', 'reference', 'object', 'resident', 'key', id_number)
            ),
            'measured', age,
            'threshold', jsonb_build_object('min_age', min_age, 'max_age', max_age),
            'threshold_source', 'policy_categories.min_age, max_age for ' || allowance_type,
            'birth_date', birth_date
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
