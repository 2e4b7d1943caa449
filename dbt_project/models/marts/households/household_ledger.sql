-- 一户一档: what every household received from every system, member by member. Failed
-- and returned one-card attempts stay visible (a family asking "where is my money?"
-- needs them) but only `status = 'success'` is money received.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
),

households as (
    select * from {{ ref('int_payment_households') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

place_names as (
    select * from {{ ref('int_place_names') }}
),

final as (
    select
        payments.payment_key,
        households.household_no,
        members.village_code as household_village_code,
        villages.division_name as household_village_name,
        members.town_code as household_town_code,
        towns.division_name as household_town_name,
        members.district_code as household_district_code,
        districts.division_name as household_district_name,
        households.member_id_number,
        members.name as member_name,
        households.is_household_benefit,
        payments.household_key as benefit_household_key,
        payments.period,
        payments.paid_date,
        payments.source_system,
        payments.source_key,
        payments.fund_line_code,
        policies.fund_line_name,
        payments.category,
        policies.category_name_zh,
        payments.department_code,
        policies.department_name,
        payments.benefit_kind,
        payments.village_code as paid_in_village_code,
        paid_in.division_name as paid_in_village_name,
        payments.account_no,
        payments.voucher_no,
        payments.status,
        payments.amount::numeric(14, 2) as amount
    from payments
    inner join households
        on payments.payment_key = households.payment_key
    left join persons as members
        on households.member_id_number = members.id_number
    left join policies
        on payments.fund_line_code = policies.fund_line_code
    left join place_names as villages
        on members.village_code = villages.division_code
    left join place_names as towns
        on members.town_code = towns.division_code
    left join place_names as districts
        on members.district_code = districts.division_code
    left join place_names as paid_in
        on payments.village_code = paid_in.division_code
)

select * from final
