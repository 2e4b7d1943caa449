{{ config(tags=['alert_rule']) }}

-- D04 mutually exclusive benefits: one person paid, in one period, two benefits of which
-- only one can be held. Two families are exclusive within themselves: the assistance
-- categories of the dibao system (urban dibao, rural dibao, tekun: a member of a paid case
-- holds its category) and the old-age allowance bands (allowance categories with an age
-- floor, told by the allowance type). At risk: the smaller of the two, net of reversals.
-- The first pair by family and band order is the finding; one per person and period.
with

members_paid as (
    select * from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
),

person_payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
    where source_system = 'allowance'
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

families as (
    select
        category,
        case
            when source_system = 'dibao' then 'assistance'
            when source_system = 'allowance' and min_age is not null then 'old_age_band'
        end as family,
        coalesce(min_age, 0) as band_order
    from {{ ref('policy_categories') }}
),

benefits as (
    select
        members_paid.member_id_number as id_number,
        members_paid.period,
        policies.category as benefit,
        members_paid.fund_line_code,
        members_paid.village_code,
        members_paid.amount,
        members_paid.paid_date,
        members_paid.payment_key,
        members_paid.source_system,
        members_paid.source_object,
        members_paid.source_key,
        members_paid.case_id
    from members_paid
    inner join policies
        on members_paid.fund_line_code = policies.fund_line_code
    union all
    select
        id_number,
        period,
        benefit,
        fund_line_code,
        village_code,
        amount,
        paid_date,
        payment_key,
        source_system,
        source_object,
        source_key,
        null::text as case_id
    from person_payments
),

per_benefit as (
    select
        benefits.id_number,
        benefits.period,
        benefits.benefit,
        families.family,
        families.band_order,
        sum(benefits.amount) as amount,
        (array_agg(benefits.fund_line_code order by benefits.paid_date desc, benefits.payment_key desc))[1]
            as fund_line_code,
        (array_agg(benefits.village_code order by benefits.paid_date desc, benefits.payment_key desc))[1]
            as village_code,
        (array_agg(benefits.case_id order by benefits.paid_date, benefits.payment_key))[1]
            as case_id,
        jsonb_agg(
            jsonb_build_object(
                'system', benefits.source_system,
                'object', benefits.source_object,
                'key', benefits.source_key
            )
            order by benefits.paid_date, benefits.payment_key
        ) as records
    from benefits
    inner join families
        on benefits.benefit = families.category
    where families.family is not null
    group by
        benefits.id_number, benefits.period, benefits.benefit, families.family, families.band_order
    -- a benefit reversed in full was not held
    having sum(benefits.amount) > 0
),

pairs as (
    select
        held.id_number,
        held.period,
        held.family,
        held.benefit as first_benefit,
        held.case_id as first_case_id,
        held.amount as first_amount,
        other.benefit as second_benefit,
        other.case_id as second_case_id,
        other.amount as second_amount,
        other.fund_line_code,
        other.village_code,
        held.records || other.records as records,
        row_number() over (
            partition by held.id_number, held.period
            order by held.family, held.band_order, held.benefit, other.band_order, other.benefit
        ) as pair_order
    from per_benefit as held
    inner join per_benefit as other
        on held.id_number = other.id_number
            and held.period = other.period
            and held.family = other.family
            and (held.band_order, held.benefit) < (other.band_order, other.benefit)
),

final as (
    select
        'D04'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        least(first_amount, second_amount)::numeric(14, 2) as amount_at_risk,
        -- one of the two was paid without entitlement
        'orange'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', jsonb_build_array(first_benefit, second_benefit),
            'threshold', 'one benefit of the ' || family || ' family per period',
            'threshold_source', 'rules.md D04; families from policy_categories (source_system, min_age)',
            'cases', jsonb_strip_nulls(jsonb_build_object(first_benefit, first_case_id, second_benefit, second_case_id)),
            'amounts', jsonb_build_object(first_benefit, first_amount, second_benefit, second_amount)
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from pairs
    where pair_order = 1
)

select * from final
