-- A leaf indicator (no live child) is where money is spent; upper levels only pass it
-- down, so summing every level would count each yuan up to four times.
with

indicators as (
    select * from {{ ref('stg_budget__budget_indicators') }}
),

children as (
    select
        parent_indicator_id,
        count(*) as child_count
    from indicators
    where parent_indicator_id is not null
    group by parent_indicator_id
),

classified as (
    select
        indicators.*,
        coalesce(children.child_count, 0) as child_count,
        children.parent_indicator_id is null as is_leaf
    from indicators
    left join children
        on indicators.indicator_id = children.parent_indicator_id
)

select * from classified
