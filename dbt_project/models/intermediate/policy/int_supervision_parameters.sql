-- The supervision seed pivoted to one row, so a model can cross join it and read a
-- deadline by name instead of repeating a lookup.
with

parameters as (
    select * from {{ ref('policy_supervision') }}
),

pivoted as (
    select
        max(value) filter (where parameter = 'department_response_days')
            as department_response_days,
        max(value) filter (where parameter = 'escalate_after_overdue_days')
            as escalate_after_overdue_days,
        max(value) filter (where parameter = 'delay_days_yellow') as delay_days_yellow,
        max(value) filter (where parameter = 'delay_days_orange') as delay_days_orange,
        max(value) filter (where parameter = 'delay_days_red') as delay_days_red
    from parameters
)

select * from pivoted
