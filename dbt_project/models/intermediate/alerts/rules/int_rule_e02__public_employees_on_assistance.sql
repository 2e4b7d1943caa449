{{ config(tags=['alert_rule']) }}

-- E02 public employee on assistance: a member on a paid dibao or tekun case who was on
-- the public payroll at some time in the paid month. The member is the subject; the
-- household's payments of that month are the money at risk.
with

members_paid as (
    select * from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
),

payroll as (
    select * from {{ ref('stg_reference__public_employees') }}
),

on_payroll as (
    -- one payroll record is enough; the earliest that overlaps the month is cited
    select distinct on (members_paid.payment_key, members_paid.member_id_number)
        members_paid.*,
        payroll.employer_code,
        payroll.employer_name,
        payroll.payroll_start,
        payroll.payroll_end
    from members_paid
    inner join payroll
        on
            members_paid.member_id_number = payroll.id_number
            and (payroll.payroll_start is null or members_paid.period_end >= payroll.payroll_start)
            and (payroll.payroll_end is null or members_paid.period_start <= payroll.payroll_end)
    order by
        members_paid.payment_key,
        members_paid.member_id_number,
        payroll.payroll_start,
        payroll.employer_code
),

per_period as (
    select
        member_id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('case_id') }} as case_id,
        {{ first_paid('employer_code') }} as employer_code,
        {{ first_paid('employer_name') }} as employer_name,
        {{ first_paid('payroll_start') }} as payroll_start,
        {{ first_paid('payroll_end') }} as payroll_end,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from on_payroll
    group by member_id_number, period
),

final as (
    select
        'E02'::text as rule_code,
        'person'::text as subject_type,
        member_id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- a salary from the budget and assistance from it at once: confirmed by one record
        'red'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object(
                    'system', 'dibao', 'object', 'case_member',
                    'key', case_id || '/' || member_id_number
                ),
                jsonb_build_object(
                    'system', 'reference', 'object', 'public_employee',
                    'key', concat_ws('/', member_id_number, employer_code, payroll_start)
                )
            ),
            'measured', jsonb_build_object(
                'payroll_start', payroll_start, 'payroll_end', payroll_end
            ),
            'threshold', period,
            'threshold_source', 'rules.md E02: on the payroll in the paid period',
            'case_id', case_id,
            'employer_name', employer_name
        ) as evidence,
        'person|' || member_id_number || '|' || period as finding_key
    from per_period
)

select * from final
