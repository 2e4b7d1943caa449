-- A leaf indicator (no child) is where money is spent; upper levels only pass it down,
-- so summing every level would count each yuan up to four times. A withdrawn child still
-- makes its parent a non-leaf: the parent was split, whatever became of the part.
with recursive

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

-- Walk up from every indicator to the highest ancestor the budget system knows. The
-- depth bound stops a corrupt parent cycle from looping forever.
ancestry as (
    select
        indicator_id,
        indicator_id as ancestor_id,
        parent_indicator_id as next_id,
        0 as steps
    from indicators

    union all

    select
        ancestry.indicator_id,
        parents.indicator_id as ancestor_id,
        parents.parent_indicator_id as next_id,
        ancestry.steps + 1 as steps
    from ancestry
    inner join indicators as parents
        on ancestry.next_id = parents.indicator_id
    where ancestry.steps < 10
),

roots as (
    select distinct on (indicator_id)
        indicator_id,
        ancestor_id as root_indicator_id,
        steps as depth
    from ancestry
    order by indicator_id asc, steps desc
),

classified as (
    select
        indicators.*,
        coalesce(children.child_count, 0) as child_count,
        children.parent_indicator_id is null as is_leaf,
        children.parent_indicator_id is null
        and not coalesce(indicators.is_withdrawn, false) as is_traceable,
        roots.root_indicator_id,
        roots.depth
    from indicators
    left join children
        on indicators.indicator_id = children.parent_indicator_id
    left join roots
        on indicators.indicator_id = roots.indicator_id
)

select * from classified
