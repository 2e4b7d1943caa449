-- How often each rule is right by the departments' word: one row per rule of the registry,
-- the latest disposition of each of its alerts as of the night built.
with

registry as (
    select * from {{ ref('rule_registry') }}
),

alerts as (
    select * from {{ ref('alerts') }}
),

counted as (
    select
        registry.rule_code,
        registry.name_zh,
        count(alerts.alert_id) as alerts,
        count(*) filter (where alerts.status in ('open', 'escalated')) as awaiting_disposition,
        count(alerts.disposition) as disposed,
        count(*) filter (where alerts.disposition = 'confirmed') as confirmed,
        count(*) filter (where alerts.disposition = 'rectified') as rectified,
        count(*) filter (where alerts.disposition = 'explained') as explained,
        count(*) filter (where alerts.disposition = 'false_positive') as false_positive
    from registry
    left join alerts
        on registry.rule_code = alerts.rule_code
    group by registry.rule_code, registry.name_zh
),

final as (
    select
        *,
        -- rules.md: confirmed / disposed; a rectified alert was real too, shown beside it
        round(confirmed::numeric / nullif(disposed, 0), 4) as precision,
        round((confirmed + rectified)::numeric / nullif(disposed, 0), 4)
            as precision_with_rectified
    from counted
)

select * from final
