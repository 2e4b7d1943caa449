{{ config(materialized="table") }}
{#- a table: over stacked views the planner misjudges row counts and loops for minutes -#}

-- Every member on a dibao or tekun case in a month the household was paid: E02 and E05
-- judge the members, not the payee. Which case a payment reached comes from
-- int_rule_support_eligibility__dibao_case_payments.
-- On the case in a month: joined by its last day and not left before its first.
with

dibao_payments as (
    select * from {{ ref('int_rule_support_eligibility__dibao_case_payments') }}
),

members as (
    select * from {{ ref('stg_dibao__case_members') }}
),

joined as (
    select
        dibao_payments.payment_key,
        dibao_payments.source_system,
        dibao_payments.source_object,
        dibao_payments.source_key,
        dibao_payments.fund_line_code,
        dibao_payments.household_key as case_id,
        members.id_number as member_id_number,
        dibao_payments.village_code,
        dibao_payments.period,
        dibao_payments.period_start,
        {{ period_end('dibao_payments.period_start') }} as period_end,
        dibao_payments.paid_date,
        dibao_payments.amount
    from dibao_payments
    inner join members
        on
            dibao_payments.household_key = members.case_id
            and (
                members.joined_date is null
                or members.joined_date <= {{ period_end('dibao_payments.period_start') }}
            )
            and (members.left_date is null or dibao_payments.period_start <= members.left_date)
)

select * from joined
