-- Each rule's alerts night by night, and whether tonight's new alerts jump past the
-- trailing mean (factor and window from seed rule_parameters): one row per rule and night
-- it ran. A jump flags the rule itself for review (a broken feed or a new pattern).
with

runs as (
    select * from {{ ref('alert_rule_runs') }}
    where night <= {{ current_night() }}
),

states as (
    select * from {{ ref('int_alert_states_by_night') }}
),

parameters as (
    select
        {{ rule_parameter('ALL', 'volume_jump_factor') }} as jump_factor,
        {{ rule_parameter('ALL', 'volume_trailing_nights') }}::integer as trailing_nights
),

per_night as (
    select
        runs.night,
        runs.rule_code,
        runs.findings as alerts_detected,
        count(states.alert_id) filter (where states.first_detected_on = runs.night)
            as new_alerts,
        count(states.alert_id) filter (where states.status in ('open', 'escalated'))
            as awaiting_disposition
    from runs
    left join states
        on
            runs.rule_code = states.rule_code
            and runs.night = states.night
    group by runs.night, runs.rule_code, runs.findings
),

numbered as (
    select
        *,
        row_number() over (partition by rule_code order by night) as run_number
    from per_night
),

-- the window is a parameter, and a frame offset cannot be one: a join does the frame
with_trailing_mean as (
    select
        numbered.night,
        numbered.rule_code,
        numbered.alerts_detected,
        numbered.new_alerts,
        numbered.awaiting_disposition,
        avg(earlier.new_alerts) as trailing_mean_new_alerts,
        count(earlier.night) as trailing_nights_seen
    from numbered
    cross join parameters
    left join numbered as earlier
        on
            numbered.rule_code = earlier.rule_code
            and earlier.run_number between numbered.run_number - parameters.trailing_nights
            and numbered.run_number - 1
    group by
        numbered.night,
        numbered.rule_code,
        numbered.alerts_detected,
        numbered.new_alerts,
        numbered.awaiting_disposition
),

final as (
    select
        with_trailing_mean.night,
        with_trailing_mean.rule_code,
        with_trailing_mean.alerts_detected,
        with_trailing_mean.new_alerts,
        with_trailing_mean.awaiting_disposition,
        round(with_trailing_mean.trailing_mean_new_alerts, 2) as trailing_mean_new_alerts,
        with_trailing_mean.trailing_nights_seen,
        parameters.jump_factor,
        coalesce(
            with_trailing_mean.trailing_nights_seen > 0
            and with_trailing_mean.new_alerts
            > parameters.jump_factor * with_trailing_mean.trailing_mean_new_alerts,
            false
        ) as is_jump
    from with_trailing_mean
    cross join parameters
)

select * from final
