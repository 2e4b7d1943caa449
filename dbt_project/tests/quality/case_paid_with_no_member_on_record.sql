-- A dibao or tekun case paid in a month for which the member list has no one on the case.
{#- Unknown members are not zero members: S01 does not judge such a payment against a
    standard times 0, and this warning says which payments went unjudged and why. A
    warning, never an error: the night's other alerts stand. -#}
{{ config(severity='warn') }}

with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid and source_system = 'onecard' and household_key is not null
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

members_paid as (
    select distinct payment_key
    from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
)

select
    payments.payment_key,
    payments.household_key as case_id,
    payments.fund_line_code,
    payments.period,
    payments.amount
from payments
inner join policies
    on payments.fund_line_code = policies.fund_line_code
left join members_paid
    on payments.payment_key = members_paid.payment_key
where policies.source_system = 'dibao'
    and members_paid.payment_key is null
