{{ config(materialized='table') }}

-- Indicators and vouchers whose money had not reached payees in full by their deadline
-- (start + the fund line's disburse_within_days), as of the night: still open ones, and
-- ones completed after it (T01 resolves them, supervision keeps the record). A deadline
-- that is tonight is not missed yet; money complete on its deadline day was on time.
with

parameters as (
    select * from {{ ref('int_supervision_parameters') }}
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

subjects as (
    select
        'indicator' as subject_type,
        indicator_id as subject_key,
        indicator_id,
        null::text as voucher_no,
        fund_line_code,
        district_code,
        null::text as town_code,
        issued_date as start_date,
        budgeted_amount as amount,
        disbursed_amount,
        completed_date
    from {{ ref('int_budget_indicators_disbursed') }}

    union all

    select
        'voucher' as subject_type,
        voucher_no as subject_key,
        indicator_id,
        voucher_no,
        fund_line_code,
        district_code,
        town_code,
        paid_date as start_date,
        amount,
        disbursed_amount,
        completed_date
    from {{ ref('int_payment_vouchers_disbursed') }}
),

dated as (
    select
        subjects.*,
        policies.category,
        policies.disburse_within_days,
        policies.deadline_is_overridden,
        subjects.start_date + policies.disburse_within_days as deadline_date,
        {{ current_night() }} as as_of_night
    from subjects
    left join policies
        on subjects.fund_line_code = policies.fund_line_code
),

late as (
    select
        dated.*,
        dated.completed_date is not null as is_resolved,
        coalesce(dated.completed_date, dated.as_of_night) - dated.deadline_date
            as days_overdue,
        case
            when dated.completed_date is null
                then greatest(dated.amount - dated.disbursed_amount, 0)
            else 0
        end as undisbursed_amount
    from dated
    where
        dated.deadline_date < dated.as_of_night
        and (dated.completed_date is null or dated.completed_date > dated.deadline_date)
)

select
    late.*,
    {{ delay_severity('late.days_overdue') }} as severity
from late
cross join parameters
