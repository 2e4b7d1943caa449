-- Every change of an alert's status, night by night: one row per alert and change (the
-- first row is its detection). Recomputed whole, so a rerun of a night changes nothing.
with

states as (
    select * from {{ ref('int_alert_states_by_night') }}
),

changes as (
    select
        alert_id,
        rule_code,
        night,
        status,
        lag(status) over (partition by alert_id order by night) as previous_status,
        disposition,
        disposition_id,
        due_on
    from states
),

final as (
    select
        alert_id,
        rule_code,
        night,
        status,
        previous_status,
        case when status = 'disposed' then disposition end as disposition,
        case when status = 'disposed' then disposition_id end as disposition_id,
        due_on
    from changes
    where previous_status is distinct from status
)

select * from final
