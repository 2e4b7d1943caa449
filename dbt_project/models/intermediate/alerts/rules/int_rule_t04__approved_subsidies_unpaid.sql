{{ config(tags=['alert_rule']) }}

-- T04 approved subsidy unpaid: an employment subsidy approved and still unpaid, as the
-- night sees it, past approved date + its fund line's disburse_within_days. One finding
-- per applicant and month of approval (truth.py's grain); severity by days overdue.
with

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

supervision as (
    select * from {{ ref('int_supervision_parameters') }}
),

residents as (
    select * from {{ ref('stg_reference__residents') }}
),

unpaid as (
    select
        subsidies.application_id,
        subsidies.applicant_id_number,
        subsidies.fund_line_code,
        subsidies.subsidy_type,
        subsidies.amount,
        subsidies.approved_date,
        policies.disburse_within_days,
        subsidies.approved_date + policies.disburse_within_days as due_date,
        {{ current_night() }} - (subsidies.approved_date + policies.disburse_within_days)
            as days_overdue
    from {{ ref('stg_employment__subsidies') }} as subsidies
    inner join policies
        on subsidies.fund_line_code = policies.fund_line_code
    where
        subsidies.status = 'approved'
        and subsidies.paid_at is null
        and subsidies.applicant_id_number is not null
        and subsidies.approved_date + policies.disburse_within_days < {{ current_night() }}
),

per_period as (
    select
        applicant_id_number,
        to_char(approved_date, 'YYYYMM') as period,
        (array_agg(fund_line_code order by approved_date, application_id))[1] as fund_line_code,
        sum(amount) as amount,
        max(days_overdue) as days_overdue,
        min(due_date) as due_date,
        min(disburse_within_days) as disburse_within_days,
        jsonb_agg(
            jsonb_build_object(
                'system', 'employment', 'object', 'subsidies', 'key', application_id
            )
            order by approved_date, application_id
        ) as records,
        jsonb_agg(
            jsonb_build_object(
                'application_id', application_id,
                'subsidy_type', subsidy_type,
                'approved_date', approved_date,
                'due_date', due_date,
                'amount', amount
            )
            order by approved_date, application_id
        ) as applications
    from unpaid
    group by applicant_id_number, to_char(approved_date, 'YYYYMM')
),

final as (
    select
        'T04'::text as rule_code,
        'person'::text as subject_type,
        per_period.applicant_id_number as subject_key,
        per_period.period,
        per_period.fund_line_code,
        residents.village_code,
        greatest(per_period.amount, 0)::numeric(14, 2) as amount_at_risk,
        case
            when per_period.days_overdue >= supervision.delay_days_red then 'red'
            when per_period.days_overdue >= supervision.delay_days_orange then 'orange'
            else 'yellow'
        end as severity,
        jsonb_build_object(
            'records', per_period.records,
            'measured', jsonb_build_object('days_overdue', per_period.days_overdue),
            'threshold', jsonb_build_object(
                'disburse_within_days', per_period.disburse_within_days,
                'due_date', per_period.due_date,
                'delay_days_orange', supervision.delay_days_orange,
                'delay_days_red', supervision.delay_days_red
            ),
            'threshold_source',
            'int_fund_line_policies.disburse_within_days; policy_supervision delay days',
            'night', {{ current_night() }},
            'applications', per_period.applications
        ) as evidence,
        'person|' || per_period.applicant_id_number || '|' || per_period.period as finding_key
    from per_period
    cross join supervision
    left join residents
        on per_period.applicant_id_number = residents.id_number
)

select * from final
