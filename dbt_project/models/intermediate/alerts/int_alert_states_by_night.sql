{{ config(materialized='table') }}

-- The status of every alert on every night its rule ran, from its first detection up to
-- the night built: recomputed whole from the detection history and the dispositions, so
-- a rerun of a night gives the same statuses and the history cannot drift.
with

parameters as (
    select * from {{ ref('int_supervision_parameters') }}
),

runs as (
    select distinct
        night,
        rule_code
    from {{ ref('alert_rule_runs') }}
    where night <= {{ current_night() }}
),

detections as (
    select * from {{ ref('alert_detections') }}
    where night <= {{ current_night() }}
),

dispositions as (
    select * from {{ ref('stg_ops__alert_dispositions') }}
),

-- each disposition counts from its day until the next one (by disposed_at) takes over:
-- a join on these spans instead of looking up the latest per alert and night
disposition_spans as (
    select
        alert_id,
        disposition_id,
        disposition,
        disposed_on as counts_from,
        lead(disposed_on) over (
            partition by alert_id order by disposed_at asc, disposition_id asc
        ) as counts_until
    from dispositions
),

first_seen as (
    select
        alert_id,
        min(rule_code) as rule_code,
        min(night) as first_detected_on
    from detections
    group by alert_id
),

grid as (
    select
        first_seen.alert_id,
        first_seen.rule_code,
        first_seen.first_detected_on,
        runs.night,
        first_seen.first_detected_on + parameters.department_response_days as due_on,
        first_seen.first_detected_on + parameters.department_response_days
        + parameters.escalate_after_overdue_days as escalates_on
    from first_seen
    cross join parameters
    inner join runs
        on
            first_seen.rule_code = runs.rule_code
            and first_seen.first_detected_on <= runs.night
),

judged as (
    select
        grid.*,
        detections.alert_id is not null as is_detected,
        coalesce(detections.evidence ? 'resolved_on', false) as is_marked_resolved,
        disposition_spans.disposition_id,
        disposition_spans.disposition
    from grid
    left join detections
        on
            grid.alert_id = detections.alert_id
            and grid.night = detections.night
    left join disposition_spans
        on
            grid.alert_id = disposition_spans.alert_id
            and grid.night >= disposition_spans.counts_from
            and (grid.night < disposition_spans.counts_until or disposition_spans.counts_until is null)
),

statused as (
    select
        *,
        -- the data decides first: a condition gone from the data is resolved whatever was
        -- said about it; then a department's word; then the clock
        case
            when not is_detected or is_marked_resolved then 'resolved'
            when disposition is not null then 'disposed'
            when night >= escalates_on then 'escalated'
            else 'open'
        end as status
    from judged
)

select * from statused
