{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='append_new_columns',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where night = {{ current_night() }}{% endif %}",
    )
}}

-- Which rules ran on which night, and what they found: one row per night and rule model.
-- An alert is resolved only on a night its rule ran without finding it, so a rule held
-- back for a night (var alert_rules) leaves its alerts as they were.
with

findings as (
    select * from {{ ref('int_alert_findings') }}
),

rules_run as (
    {{ alert_rule_models() }}
),

counted as (
    select
        {{ current_night() }} as night,
        rules_run.rule_code,
        rules_run.rule_model,
        count(findings.alert_id) as findings,
        coalesce(sum(findings.amount_at_risk), 0)::numeric(16, 2) as amount_at_risk
    from rules_run
    left join findings
        on rules_run.rule_model = findings.rule_model
    group by rules_run.rule_code, rules_run.rule_model
)

select * from counted
