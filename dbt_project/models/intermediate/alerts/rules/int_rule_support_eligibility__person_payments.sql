{{ config(materialized="table") }}
{#- a table: over stacked views the planner misjudges row counts and loops for minutes -#}

-- Paid benefits of the systems that pay people, with what the register says of the
-- payee: the population E01, E03, E04, E06, E07 and E08 look at. Collective spending
-- (C02's), poverty aid (paid to households) and treasury awards (to enterprises) name
-- no beneficiary whose eligibility these rules judge.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where
        is_paid
        and coalesce(id_number, '') <> ''
        and source_system in ('onecard', 'pension', 'allowance', 'education', 'employment')
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
        payments.benefit_kind,
        payments.disability_grade,
        payments.id_number,
        payments.id_number_is_valid,
        payments.village_code,
        payments.period,
        payments.period_start,
        payments.paid_date,
        payments.amount,
        coalesce(persons.is_registered, false) as is_registered,
        persons.embedded_birth_date,
        persons.birth_date,
        persons.death_date,
        coalesce(persons.birth_date_disagrees, false) as birth_date_disagrees,
        -- the facts of a number that fails its check or that the register does not know
        -- cannot be judged: such a payment is E04's alone
        payments.id_number_is_valid and coalesce(persons.is_registered, false)
            as is_judgeable
    from payments
    left join persons
        on payments.id_number = persons.id_number
)

select * from joined
