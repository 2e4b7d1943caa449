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
),

place_names as (
    select * from {{ ref('int_place_names') }}
)

select
    summarised.village_code,
    villages.division_name as village_name,
    left(summarised.village_code, 9) as town_code,
    towns.division_name as town_name,
    left(summarised.village_code, 6) as district_code,
    districts.division_name as district_name,
    summarised.period,
    left(summarised.period, 4)::integer as year,
    summarised.beneficiaries::integer as beneficiaries,
    summarised.assisted_households::integer as assisted_households,
    summarised.payments::integer as payments,
    summarised.paid_amount::numeric(16, 2) as paid_amount,
    summarised.failed_amount::numeric(16, 2) as failed_amount,
    summarised.returned_amount::numeric(16, 2) as returned_amount,
    summarised.fund_lines::integer as fund_lines,
    summarised.systems::integer as systems
from summarised
left join place_names as villages
    on summarised.village_code = villages.division_code
left join place_names as towns
    on left(summarised.village_code, 9) = towns.division_code
left join place_names as districts
    on left(summarised.village_code, 6) = districts.division_code
