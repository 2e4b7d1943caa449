{{ config(tags=['alert_rule']) }}

-- S01 over the standard, three checks whose excesses add up per subject and period:
-- - a dibao or tekun payment to a case above the line's standard times the members on
--   the case in the paid month (subject: the case, by its case_id, also a one-person case;
--   a month with no member on record is not judged);
-- - one payment of an allowance, education aid or employment subsidy above its line's
--   standard per month, term or award (subject: the person). Pensions are not checked:
--   the basic part is not delivered apart from the personal account;
-- - a yearly cap (per household or person, calendar year of payment): payments are
--   totalled in the order they were made, and only those past the cap count, each for
--   what it adds above the cap.
-- At risk: the excess. A standard comes from int_fund_line_policies (the line's override
-- when it has one); the caps from policy_categories.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

members_paid as (
    select
        payment_key,
        count(*) as members
    from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
    group by payment_key
),

case_payments as (
    select
        'household'::text as subject_type,
        dibao_payments.household_key as subject_key,
        dibao_payments.*,
        members_paid.members
    from {{ ref('int_rule_support_eligibility__dibao_case_payments') }} as dibao_payments
    -- a case with no member on record for the paid month is not a case of zero members:
    -- it is not judged here, and the singular test case_paid_with_no_member_on_record
    -- reports it as a data-quality warning of the night
    inner join members_paid
        on dibao_payments.payment_key = members_paid.payment_key
    where dibao_payments.amount > 0
),

case_excess as (
    select
        subject_type,
        subject_key,
        period,
        fund_line_code,
        village_code,
        paid_date,
        payment_key,
        amount - standard_amount * members as excess,
        jsonb_build_object(
            'check', 'case payment above standard x members',
            'record', jsonb_build_object(
                'system', source_system, 'object', source_object, 'key', source_key
            ),
            'measured', amount,
            'threshold', standard_amount * members,
            'threshold_source',
            case
                when standard_is_overridden then 'fund line ' || fund_line_code || ' override'
                else 'policy_categories standard for ' || category
            end || ' x ' || members || ' member(s) on case ' || subject_key || ' in ' || period
        ) as part
    from case_payments
    where amount > standard_amount * members
),

person_excess as (
    select
        'person'::text as subject_type,
        payments.id_number as subject_key,
        payments.period,
        payments.fund_line_code,
        payments.village_code,
        payments.paid_date,
        payments.payment_key,
        payments.amount - policies.standard_amount as excess,
        jsonb_build_object(
            'check', 'payment above its standard',
            'record', jsonb_build_object(
                'system', payments.source_system,
                'object', payments.source_object,
                'key', payments.source_key
            ),
            'measured', payments.amount,
            'threshold', policies.standard_amount,
            'threshold_source',
            case
                when policies.standard_is_overridden
                    then 'fund line ' || payments.fund_line_code || ' override'
                else 'policy_categories standard for ' || payments.category
            end
        ) as part
    from payments
    inner join policies
        on payments.fund_line_code = policies.fund_line_code
    where payments.source_system in ('allowance', 'education', 'employment')
        and payments.id_number is not null
        and payments.amount > policies.standard_amount
),

capped as (
    select
        case
            when policies.cap_per_household_year is not null then 'household'
            else 'person'
        end as subject_type,
        case
            when policies.cap_per_household_year is not null then payments.household_key
            else payments.id_number
        end as subject_key,
        coalesce(policies.cap_per_household_year, policies.cap_per_person_year) as cap,
        case
            when policies.cap_per_household_year is not null
                then 'policy_categories.cap_per_household_year for ' || payments.category
            else 'policy_categories.cap_per_person_year for ' || payments.category
        end as cap_source,
        payments.*
    from payments
    inner join policies
        on payments.fund_line_code = policies.fund_line_code
    where policies.cap_per_household_year is not null
        or policies.cap_per_person_year is not null
),

running as (
    select
        capped.*,
        sum(capped.amount) over (
            partition by capped.category, capped.subject_type, capped.subject_key, capped.paid_year
            order by capped.paid_date, capped.payment_key
            rows between unbounded preceding and current row
        ) as year_total
    from capped
    where capped.subject_key is not null
),

cap_excess as (
    select
        subject_type,
        subject_key,
        period,
        fund_line_code,
        village_code,
        paid_date,
        payment_key,
        year_total - greatest(year_total - amount, cap) as excess,
        jsonb_build_object(
            'check', 'yearly total past the cap',
            'record', jsonb_build_object(
                'system', source_system, 'object', source_object, 'key', source_key
            ),
            'measured', year_total,
            'threshold', cap,
            'threshold_source', cap_source || ' (' || paid_year || ')'
        ) as part
    from running
    where year_total > cap
),

excesses as (
    select * from case_excess
    union all
    select * from person_excess
    union all
    select * from cap_excess
),

per_period as (
    select
        subject_type,
        subject_key,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('part') }} as first_part,
        sum(excess) as excess,
        jsonb_agg(part -> 'record' order by paid_date, payment_key) as records,
        jsonb_agg(part - 'record' order by paid_date, payment_key) as parts
    from excesses
    group by subject_type, subject_key, period
),

final as (
    select
        'S01'::text as rule_code,
        subject_type,
        subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(excess, 0)::numeric(14, 2) as amount_at_risk,
        -- money paid beyond what policy allows: recoverable, checked by the department
        'orange'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', first_part -> 'measured',
            'threshold', first_part -> 'threshold',
            'threshold_source', first_part -> 'threshold_source',
            'checks', parts
        ) as evidence,
        subject_type || '|' || subject_key || '|' || period as finding_key
    from per_period
)

select * from final
