-- A dibao or tekun case paid in a month for which the member list has no one on the case.
{#- Unknown members are not zero members: S01 does not judge such a payment against a
    standard times 0, and this warning says which payments went unjudged and why. A
    warning, never an error: the night's other alerts stand. -#}
{{ config(severity='warn') }}

with

case_payments as (
    select * from {{ ref('int_rule_support_eligibility__dibao_case_payments') }}
    where amount > 0
),

members_paid as (
    select distinct payment_key
    from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
)

select
    case_payments.payment_key,
    case_payments.case_id,
    case_payments.fund_line_code,
    case_payments.period,
    case_payments.amount
from case_payments
left join members_paid
    on case_payments.payment_key = members_paid.payment_key
where members_paid.payment_key is null
