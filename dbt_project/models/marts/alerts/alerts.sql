-- The alert relation of rules.md as of the night built: one row per alert ever detected,
-- its latest detection's values, where it stands in the supervision loop, and who owns it.
with

states as (
    select * from {{ ref('int_alert_states_by_night') }}
),

detections as (
    select * from {{ ref('alert_detections') }}
    where night <= {{ current_night() }}
),

dispositions as (
    select * from {{ ref('stg_ops__alert_dispositions') }}
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

departments as (
    select * from {{ ref('stg_budget__departments') }}
),

registry as (
    select * from {{ ref('rule_registry') }}
),

indicators as (
    select * from {{ ref('int_budget_indicators_classified') }}
),

vouchers as (
    select * from {{ ref('int_payment_vouchers_classified') }}
),

current_state as (
    select distinct on (alert_id) *
    from states
    order by alert_id asc, night desc
),

history as (
    select
        alert_id,
        max(night) filter (where is_detected) as last_detected_on,
        min(night) filter (where status = 'escalated') as escalated_on
    from states
    group by alert_id
),

last_detection as (
    select distinct on (alert_id) *
    from detections
    order by alert_id asc, night desc
),

latest_disposition as (
    select dispositions.*
    from current_state
    inner join dispositions
        on current_state.disposition_id = dispositions.disposition_id
),

-- when the status last changed to what it is now (the night it was resolved, say)
status_since as (
    select
        alert_id,
        max(night) as status_since
    from (
        select
            alert_id,
            night,
            status,
            lag(status) over (partition by alert_id order by night) as previous_status
        from states
    ) as changes
    where previous_status is distinct from status
    group by alert_id
),

owned as (
    select
        last_detection.alert_id,
        coalesce(policies.department_code, owners.department_code) as department_code,
        coalesce(policies.department_name, owners.department_name) as department_name
    from last_detection
    left join policies
        on last_detection.fund_line_code = policies.fund_line_code
    left join registry
        on last_detection.rule_code = registry.rule_code
    left join departments as owners
        on registry.default_owner_zh = owners.department_name
),

-- The district, for row-level security by district: the village's when the finding has
-- one (a village code begins with its district's six digits), else the indicator's or
-- the voucher's it is about, so indicator and voucher alerts reach a district's auditor.
placed as (
    select
        last_detection.alert_id,
        coalesce(
            left(last_detection.village_code, 6),
            indicators.district_code,
            vouchers.district_code,
            left(vouchers.payee_village_code, 6)
        ) as district_code
    from last_detection
    left join indicators
        on
            last_detection.subject_type = 'indicator'
            and last_detection.subject_key = indicators.indicator_id::text
    left join vouchers
        on
            last_detection.subject_type = 'voucher'
            and last_detection.subject_key = vouchers.voucher_no
),

place_names as (
    select * from {{ ref('int_place_names') }}
),

final as (
    select
        current_state.alert_id,
        last_detection.rule_code,
        registry.name_zh as rule_name_zh,
        case
            when history.escalated_on is not null then 'red' else last_detection.severity
        end as severity,
        last_detection.subject_type,
        last_detection.subject_key,
        last_detection.fund_line_code,
        last_detection.village_code,
        villages.division_name as village_name,
        left(last_detection.village_code, 9) as town_code,
        towns.division_name as town_name,
        placed.district_code,
        districts.division_name as district_name,
        last_detection.period,
        last_detection.amount_at_risk,
        last_detection.evidence,
        current_state.first_detected_on,
        history.last_detected_on,
        current_state.due_on,
        current_state.status,
        status_since.status_since,
        owned.department_code,
        owned.department_name,
        latest_disposition.disposition,
        latest_disposition.note as disposition_note,
        latest_disposition.disposed_by,
        latest_disposition.disposed_at,
        history.escalated_on,
        last_detection.finding_key,
        current_state.night as as_of_night
    from current_state
    inner join last_detection
        on current_state.alert_id = last_detection.alert_id
    inner join history
        on current_state.alert_id = history.alert_id
    inner join status_since
        on current_state.alert_id = status_since.alert_id
    inner join placed
        on current_state.alert_id = placed.alert_id
    left join owned
        on current_state.alert_id = owned.alert_id
    left join latest_disposition
        on current_state.alert_id = latest_disposition.alert_id
    left join registry
        on last_detection.rule_code = registry.rule_code
    left join place_names as villages
        on last_detection.village_code = villages.division_code
    left join place_names as towns
        on left(last_detection.village_code, 9) = towns.division_code
    left join place_names as districts
        on placed.district_code = districts.division_code
)

select * from final
