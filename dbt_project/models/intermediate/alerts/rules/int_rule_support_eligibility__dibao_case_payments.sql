-- Every paid one-card payment that reached a dibao or tekun case: the roster the bureau
-- sent to the bank (int_benefit_payments.household_key) says which case it paid, and the
-- fund line belongs to the dibao system. One selection for every reader (the members on
-- the case, S01, and the test of months with no member on record), so they cannot drift.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where
        is_paid
        and source_system = 'onecard'
        and household_key is not null
),

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

final as (
    select
        payments.*,
        payments.household_key as case_id,
        policies.standard_amount,
        policies.standard_is_overridden
    from payments
    inner join policies
        on payments.fund_line_code = policies.fund_line_code
    where policies.source_system = 'dibao'
)

select * from final
