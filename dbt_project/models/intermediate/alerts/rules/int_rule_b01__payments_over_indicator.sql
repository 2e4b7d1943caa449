{{ config(tags=['alert_rule']) }}

-- B01 payments over the indicator: the paid treasury vouchers drawn on a leaf indicator
-- that is not withdrawn add up to more than its current amount (after adjustments).
-- Returned and voided vouchers moved no money and do not count; a voucher on a withdrawn
-- indicator is B02's. At risk: the excess.
with

indicators as (
    select * from {{ ref('stg_budget__budget_indicators') }}
),

children as (
    select distinct parent_indicator_id
    from indicators
    where parent_indicator_id is not null
),

leaves as (
    select indicators.*
    from indicators
    left join children
        on indicators.indicator_id = children.parent_indicator_id
    where children.parent_indicator_id is null
        and not indicators.is_withdrawn
),

paid as (
    select
        indicator_id,
        sum(amount) as paid_amount,
        jsonb_agg(
            jsonb_build_object('system', 'treasury', 'object', 'payment_voucher', 'key', voucher_no)
            order by paid_date, voucher_no
        ) as records
    from {{ ref('stg_treasury__payment_vouchers') }}
    where status = 'paid'
    group by indicator_id
),

over as (
    select
        leaves.indicator_id,
        leaves.fund_line_code,
        leaves.district_code,
        leaves.amount,
        leaves.status,
        paid.paid_amount,
        paid.records
    from leaves
    inner join paid
        on leaves.indicator_id = paid.indicator_id
    where paid.paid_amount > leaves.amount
),

final as (
    select
        'B01'::text as rule_code,
        'indicator'::text as subject_type,
        indicator_id as subject_key,
        null::text as period,
        fund_line_code,
        null::text as village_code,
        (paid_amount - amount)::numeric(14, 2) as amount_at_risk,
        -- treasury money paid beyond its budget authority
        'orange'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object('system', 'budget', 'object', 'budget_indicator', 'key', indicator_id)
            ) || records,
            'measured', paid_amount,
            'threshold', amount,
            'threshold_source', 'budget.budget_indicator.amount of ' || indicator_id,
            'indicator_status', status,
            'district_code', district_code
        ) as evidence,
        'indicator|' || indicator_id as finding_key
    from over
)

select * from final
