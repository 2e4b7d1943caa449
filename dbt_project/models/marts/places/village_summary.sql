-- Money per village and month for maps and heat maps. Towns and districts are the
-- first 9 and 6 digits of the village code, so a chart rolls villages up without a
-- second mart; distinct counts do not add up across months, sums do.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where village_code is not null
),

summarised as (
    select
        village_code,
        period,
        count(distinct beneficiary_key) filter (where is_paid) as beneficiaries,
        count(distinct household_key) filter (where is_paid) as assisted_households,
        count(*) filter (where is_paid and not is_reversal) as payments,
        coalesce(sum(amount) filter (where is_paid), 0) as paid_amount,
        coalesce(sum(amount) filter (where status = 'failed'), 0) as failed_amount,
        coalesce(sum(amount) filter (where status = 'returned'), 0) as returned_amount,
        count(distinct fund_line_code) filter (where is_paid) as fund_lines,
        count(distinct source_system) filter (where is_paid) as systems
    from payments
    group by village_code, period
)

select
    village_code,
    left(village_code, 9) as town_code,
    left(village_code, 6) as district_code,
    period,
    left(period, 4)::integer as year,
    beneficiaries::integer as beneficiaries,
    assisted_households::integer as assisted_households,
    payments::integer as payments,
    paid_amount::numeric(16, 2) as paid_amount,
    failed_amount::numeric(16, 2) as failed_amount,
    returned_amount::numeric(16, 2) as returned_amount,
    fund_lines::integer as fund_lines,
    systems::integer as systems
from summarised
