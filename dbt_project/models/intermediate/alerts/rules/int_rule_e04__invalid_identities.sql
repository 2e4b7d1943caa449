{{ config(tags=['alert_rule']) }}

-- E04 invalid or unknown identity: a payment to a number whose check character fails,
-- else one the resident register does not list, else one whose embedded birth date is
-- not the register's. Numbers are judged after normalization (full-width digits, lower
-- x and 15-digit legacy numbers are dirt, not findings). One finding per number and
-- period paid; the first failing test is the reason.
with

payments as (
    select
        *,
        case
            when not id_number_is_valid then 'check_character_fails'
            when not is_registered then 'not_in_register'
            when birth_date_disagrees then 'birth_date_disagrees'
        end as reason
    from {{ ref('int_rule_support_eligibility__person_payments') }}
),

failing as (
    select * from payments
    where reason is not null
),

per_period as (
    select
        id_number,
        period,
        -- a property of the number, the same on every payment of the group
        min(reason) as reason,
        min(embedded_birth_date) as embedded_birth_date,
        min(birth_date) as birth_date,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from failing
    group by id_number, period
),

final as (
    select
        'E04'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- money to a number nobody can be traced to may have reached no eligible person
        case reason when 'birth_date_disagrees' then 'yellow' else 'orange' end as severity,
        jsonb_build_object(
            'records', payment_records,
            'reason', reason,
            'measured', case reason
                when 'birth_date_disagrees' then to_jsonb(embedded_birth_date)
                else to_jsonb(id_number)
            end,
            'threshold', case reason
                when 'check_character_fails' then to_jsonb('a valid check character'::text)
                when 'not_in_register' then to_jsonb('listed in the resident register'::text)
                else to_jsonb(birth_date)
            end,
            'threshold_source', case reason
                when 'check_character_fails' then 'GB 11643-1999 check character'
                when 'not_in_register' then 'reference.resident'
                else 'reference.resident.birth_date'
            end
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
