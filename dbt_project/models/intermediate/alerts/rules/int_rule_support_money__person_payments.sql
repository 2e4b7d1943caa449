{{ config(materialized="table", indexes=[{"columns": ["id_number"]}, {"columns": ["account_no"]}]) }}

-- Money that reached a named person through the benefit systems, reversals included (a
-- reversal nets out what it undoes), with the register's household and village of the
-- person: what the duplication, amount and conflict rules count. Collective spending is
-- C02's; poverty aid and treasury awards name no person.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid
        and id_number is not null
        and source_system <> 'collective'
),

persons as (
    select * from {{ ref('int_persons') }}
),

joined as (
    select
        payments.payment_key,
        payments.source_system,
        payments.source_object,
        payments.source_key,
        payments.fund_line_code,
        payments.category,
        payments.unit,
        -- an allowance is told by its type: one type paid on two lines is still one benefit
        case
            when payments.source_system = 'allowance' then payments.benefit_kind
            else payments.category
        end as benefit,
        payments.benefit_kind,
        payments.id_number,
        payments.household_key,
        payments.enterprise_credit_code,
        payments.account_no,
        payments.village_code,
        payments.period,
        payments.period_start,
        payments.paid_date,
        payments.paid_year,
        payments.amount,
        persons.village_code as registered_village_code,
        -- a number the register does not know is a household of its own
        coalesce(persons.household_no, payments.id_number) as registered_household
    from payments
    left join persons
        on payments.id_number = persons.id_number
)

select * from joined
