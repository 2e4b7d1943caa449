-- Which registered household (户) each payment belongs to. A person's payment goes to
-- the household the register has them in; a household benefit (dibao case, poverty
-- household) to its head's. Enterprises and unknown payees belong to no household and
-- are left out here, not guessed.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

dibao_heads as (
    select
        case_id,
        head_id_number
    from {{ ref('stg_dibao__assistance_cases') }}
),

poverty_heads as (
    select
        household_id,
        head_id_number
    from {{ ref('stg_poverty__households') }}
),

assigned as (
    select
        payments.payment_key,
        coalesce(payments.id_number, dibao_heads.head_id_number, poverty_heads.head_id_number)
            as member_id_number,
        payments.beneficiary_type = 'household' as is_household_benefit
    from payments
    left join dibao_heads
        on payments.source_system = 'onecard'
            and payments.household_key = dibao_heads.case_id
    left join poverty_heads
        on payments.source_system = 'poverty'
            and payments.household_key = poverty_heads.household_id
)

select
    assigned.payment_key,
    persons.household_no,
    assigned.member_id_number,
    assigned.is_household_benefit
from assigned
inner join persons
    on assigned.member_id_number = persons.id_number
where persons.household_no is not null
