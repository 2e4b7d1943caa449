-- Late money, named for who must answer for it: each indicator and each voucher past its
-- deadline as of the night, open or completed late, with the department of its line.
with

delayed as (
    select * from {{ ref('int_disbursements_delayed') }}
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

place_names as (
    select * from {{ ref('int_place_names') }}
),

final as (
    select
        delayed.subject_type || '|' || delayed.subject_key as delay_key,
        delayed.subject_type,
        delayed.subject_key,
        delayed.indicator_id,
        delayed.voucher_no,
        delayed.fund_line_code,
        policies.fund_line_name,
        policies.department_code,
        policies.department_name,
        policies.category,
        delayed.district_code,
        districts.division_name as district_name,
        delayed.town_code,
        towns.division_name as town_name,
        delayed.start_date,
        delayed.disburse_within_days::integer as disburse_within_days,
        delayed.deadline_date,
        delayed.amount::numeric(16, 2) as amount,
        delayed.disbursed_amount::numeric(16, 2) as disbursed_amount,
        delayed.undisbursed_amount::numeric(16, 2) as undisbursed_amount,
        delayed.completed_date,
        delayed.is_resolved,
        delayed.days_overdue::integer as days_overdue,
        delayed.severity,
        delayed.as_of_night
    from delayed
    left join policies
        on delayed.fund_line_code = policies.fund_line_code
    left join place_names as districts
        on delayed.district_code = districts.division_code
    left join place_names as towns
        on delayed.town_code = towns.division_code
)

select * from final
