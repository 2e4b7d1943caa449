{{ config(tags=['alert_rule']) }}

-- D02 double payment: one person, one fund line, one period, paid more than once net of
-- reversals (payments less reversals >= 2). A payment reversed and made again to a new
-- account is paid once. At risk: the total less the largest payment. Two fund lines
-- paid twice in one period make one finding (the key is person and period).
with

all_payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
),

-- the cheap count first: evidence is built for the few lines that fire
paid_twice as (
    select
        id_number,
        fund_line_code,
        period
    from all_payments
    group by id_number, fund_line_code, period
    having count(*) filter (where amount > 0) - count(*) filter (where amount < 0) >= 2
),

payments as (
    select all_payments.*
    from all_payments
    inner join paid_twice
        on all_payments.id_number = paid_twice.id_number
            and all_payments.fund_line_code = paid_twice.fund_line_code
            and all_payments.period = paid_twice.period
),

per_line as (
    select
        id_number,
        fund_line_code,
        period,
        count(*) filter (where amount > 0) - count(*) filter (where amount < 0) as times_paid,
        sum(amount) - max(amount) as amount_at_risk,
        {{ first_paid('village_code') }} as village_code,
        jsonb_agg(
            jsonb_build_object(
                'system', source_system, 'object', source_object, 'key', source_key,
                'amount', amount, 'paid_date', paid_date
            )
            order by paid_date, payment_key
        ) as records
    from payments
    group by id_number, fund_line_code, period
    having count(*) filter (where amount > 0) - count(*) filter (where amount < 0) >= 2
),

per_period as (
    select
        id_number,
        period,
        (array_agg(fund_line_code order by fund_line_code))[1] as fund_line_code,
        (array_agg(village_code order by fund_line_code))[1] as village_code,
        max(times_paid) as times_paid,
        sum(amount_at_risk) as amount_at_risk,
        jsonb_agg(fund_line_code order by fund_line_code) as fund_line_codes,
        jsonb_path_query_array(jsonb_agg(records order by fund_line_code), 'strict $[*][*]')
            as records
    from per_line
    group by id_number, period
),

final as (
    select
        'D02'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount_at_risk, 0)::numeric(14, 2) as amount_at_risk,
        -- the same entitlement paid twice: the surplus is money owed back
        'red'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', times_paid,
            'threshold', 2,
            'threshold_source', 'rules.md D02: paid more than once net of reversals',
            'fund_line_codes', fund_line_codes
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
