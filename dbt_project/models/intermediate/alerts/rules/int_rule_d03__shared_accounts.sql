{{ config(tags=['alert_rule']) }}

-- D03 shared account: one bank account that receives for people of at least
-- rule_parameters D03.min_households registered households (the register's household of
-- each payee; a number it does not know counts as a household of its own). Off the time
-- grain: one finding per account over all the payments it received, which are at risk.
with

all_payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
    where account_no is not null
),

-- the cheap count first: evidence is built for the few accounts that fire
shared as (
    select account_no
    from all_payments
    group by account_no
    having count(distinct registered_household) >= {{ rule_parameter('D03', 'min_households') }}
),

payments as (
    select all_payments.*
    from all_payments
    inner join shared
        on all_payments.account_no = shared.account_no
),

per_account as (
    select
        account_no,
        count(distinct registered_household) as households,
        count(distinct id_number) as persons,
        sum(amount) as amount,
        max(period) as last_period,
        (array_agg(fund_line_code order by paid_date desc, payment_key desc))[1]
            as fund_line_code,
        (array_agg(village_code order by paid_date desc, payment_key desc))[1] as village_code,
        jsonb_agg(distinct registered_household) as household_nos,
        jsonb_agg(distinct id_number) as id_numbers,
        {{ payment_records() }} as records
    from payments
    group by account_no
),

final as (
    select
        'D03'::text as rule_code,
        'account'::text as subject_type,
        account_no as subject_key,
        -- off the time grain: the period only says when the account last received
        last_period as period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- an agent collecting for several families: a lead to check, not yet a loss
        'orange'::text as severity,
        jsonb_build_object(
            'records', records,
            'measured', households,
            'threshold', {{ rule_parameter('D03', 'min_households') }},
            'threshold_source', 'rule_parameters D03.min_households',
            'households', household_nos,
            'persons', id_numbers
        ) as evidence,
        'account|' || account_no as finding_key
    from per_account
    where households >= {{ rule_parameter('D03', 'min_households') }}
)

select * from final
