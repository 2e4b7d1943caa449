-- The commission's re-supervision queue: one row per alert escalated as of the night
-- built (undisposed escalate_after_overdue_days after its due date), most overdue first.
with

alerts as (
    select * from {{ ref('alerts') }}
),

final as (
    select
        alert_id,
        rule_code,
        rule_name_zh,
        severity,
        subject_type,
        subject_key,
        fund_line_code,
        village_code,
        village_name,
        district_code,
        district_name,
        period,
        amount_at_risk,
        department_code,
        department_name,
        first_detected_on,
        due_on,
        escalated_on,
        as_of_night - due_on as days_overdue,
        evidence
    from alerts
    where status = 'escalated'
)

select * from final
