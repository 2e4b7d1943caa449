{{ config(tags=['alert_rule']) }}

-- D01 paid in several villages: one person, one benefit, one period, with money left in
-- two or more villages once reversals are netted. At risk: all but the largest village's
-- share. Two benefits of one period make one finding (the key is person and period).
with

all_payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
    where village_code is not null
),

-- the cheap count first: evidence is built for the few benefits that fire
several_villages as (
    select
        id_number,
        benefit,
        period
    from (
        select
            id_number,
            benefit,
            period,
            village_code
        from all_payments
        group by id_number, benefit, period, village_code
        having sum(amount) > 0
    ) as paid_villages
    group by id_number, benefit, period
    having count(*) >= 2
),

payments as (
    select all_payments.*
    from all_payments
    inner join several_villages
        on all_payments.id_number = several_villages.id_number
            and all_payments.benefit = several_villages.benefit
            and all_payments.period = several_villages.period
),

per_village as (
    select
        id_number,
        benefit,
        period,
        village_code,
        sum(amount) as amount,
        min(paid_date) as first_paid_date,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ payment_records() }} as records
    from payments
    group by id_number, benefit, period, village_code
),

per_benefit as (
    select
        id_number,
        benefit,
        period,
        (array_agg(fund_line_code order by first_paid_date, village_code))[1] as fund_line_code,
        (array_agg(village_code order by amount desc, village_code asc))[1] as main_village_code,
        count(*) as villages,
        sum(amount) - max(amount) as amount_at_risk,
        jsonb_agg(village_code order by village_code) as village_codes,
        jsonb_agg(benefit || ' ' || village_code || ': ' || amount order by village_code)
            as amounts,
        jsonb_agg(records order by village_code) as records
    from per_village
    -- a village whose payment was reversed in full did not pay
    where amount > 0
    group by id_number, benefit, period
    having count(*) >= 2
),

per_period as (
    select
        id_number,
        period,
        (array_agg(fund_line_code order by benefit))[1] as fund_line_code,
        (array_agg(main_village_code order by benefit))[1] as village_code,
        max(villages) as villages,
        sum(amount_at_risk) as amount_at_risk,
        jsonb_agg(benefit order by benefit) as benefits,
        jsonb_agg(village_codes order by benefit) as village_codes,
        jsonb_agg(amounts order by benefit) as amounts,
        jsonb_path_query_array(jsonb_agg(records order by benefit), 'strict $[*][*][*]') as records
    from per_benefit
    group by id_number, period
),

final as (
    select
        'D01'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        amount_at_risk::numeric(14, 2) as amount_at_risk,
        -- the same month paid twice in different places: money certainly paid too much
        'orange'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', villages,
            'threshold', 2,
            'threshold_source', 'rules.md D01: two or more villages for one person, benefit and period',
            'benefits', benefits,
            'villages', village_codes,
            'amounts', amounts
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
