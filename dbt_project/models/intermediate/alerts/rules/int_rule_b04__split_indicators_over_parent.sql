{{ config(tags=['alert_rule']) }}

-- B04 split indicator over parent: the live (not withdrawn) indicators split from one
-- parent add up to more than the parent's current amount. A withdrawn child gave its money
-- back and does not count; a parent whose only children are withdrawn is not over.
-- At risk: the excess.
with

indicators as (
    select * from {{ ref('stg_budget__budget_indicators') }}
),

children as (
    select
        parent_indicator_id,
        count(*) as child_count,
        coalesce(sum(amount) filter (where not is_withdrawn), 0) as live_children_amount,
        jsonb_agg(
            jsonb_build_object('system', 'budget', 'object', 'budget_indicator', 'key', indicator_id)
            order by indicator_id
        ) filter (where not is_withdrawn) as records
    from indicators
    where parent_indicator_id is not null
    group by parent_indicator_id
),

over as (
    select
        parents.indicator_id,
        parents.fund_line_code,
        parents.level,
        parents.district_code,
        parents.amount,
        parents.status,
        children.child_count,
        children.live_children_amount,
        children.records
    from indicators as parents
    inner join children
        on parents.indicator_id = children.parent_indicator_id
    where children.live_children_amount > parents.amount
),

final as (
    select
        'B04'::text as rule_code,
        'indicator'::text as subject_type,
        indicator_id as subject_key,
        null::text as period,
        fund_line_code,
        null::text as village_code,
        (live_children_amount - amount)::numeric(14, 2) as amount_at_risk,
        -- a book inconsistency between budget levels: money promised twice, none yet lost
        'yellow'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object('system', 'budget', 'object', 'budget_indicator', 'key', indicator_id)
            ) || coalesce(records, '[]'::jsonb),
            'measured', live_children_amount,
            'threshold', amount,
            'threshold_source', 'budget.budget_indicator.amount of parent ' || indicator_id,
            'indicator_level', level,
            'indicator_status', status,
            'children', child_count,
            'district_code', district_code
        ) as evidence,
        'indicator|' || indicator_id as finding_key
    from over
)

select * from final
