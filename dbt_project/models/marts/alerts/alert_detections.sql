{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='append_new_columns',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where night = {{ current_night() }}{% endif %}",
    )
}}

-- History of what the rules found: one row per alert and night it was seen. Rows are
-- only ever added for the night built; a rerun of a night first deletes that night's
-- rows (pre_hook), so it replaces them, and `full_refresh: false` keeps the history
-- through `dbt build --full-refresh`.
with

findings as (
    select * from {{ ref('int_alert_findings') }}
),

stamped as (
    select
        {{ current_night() }} as night,
        alert_id,
        rule_code,
        finding_key,
        subject_type,
        subject_key,
        period,
        fund_line_code,
        village_code,
        amount_at_risk,
        severity,
        evidence,
        rule_model
    from findings
)

select * from stamped
