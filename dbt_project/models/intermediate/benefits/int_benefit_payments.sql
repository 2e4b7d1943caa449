{{ config(
    materialized="table",
    indexes=[
        {"columns": ["id_number"]},
        {"columns": ["household_key"]},
        {"columns": ["fund_line_code", "district_code", "paid_year"]},
    ],
) }}

-- Every movement of welfare money that reached a person, household or final payee, from
-- all ten systems in one shape. Only one-card keeps attempts that did not pay (failed,
-- returned): they are what T03 looks for, and a failed yuan is not a disbursed one.
-- Where a system names no village or person the register's is used, never a guess.
with

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

residents as (
    select * from {{ ref('stg_reference__residents') }}
),

-- A one-card row for dibao money names the payee, not the case: the roster the civil
-- affairs bureau sent to the bank says which case it paid.
roster as (
    select distinct on (payee_id_number, fund_line_code, period)
        payee_id_number,
        fund_line_code,
        period,
        case_id
    from {{ ref('stg_dibao__monthly_payments') }}
    order by payee_id_number asc, fund_line_code asc, period asc, updated_at desc, case_id asc
),

onecard as (
    select
        'onecard' as source_system,
        'disbursement' as source_object,
        concat_ws('/', d.batch_no, d.id_number, d.fund_line_code, d.period) as source_key,
        d.fund_line_code,
        d.id_number,
        d.id_number_is_valid,
        roster.case_id as household_key,
        null::text as enterprise_credit_code,
        d.id_number as payee_key,
        d.account_no,
        d.village_code,
        null::text as district_code,
        d.period,
        d.pay_date as paid_date,
        d.amount,
        d.status,
        d.voucher_no,
        null::text as benefit_kind,
        null::integer as disability_grade,
        d.source_file
    from {{ ref('stg_onecard__disbursements') }} as d
    left join roster
        on d.id_number = roster.payee_id_number
            and d.fund_line_code = roster.fund_line_code
            and d.period = roster.period
    -- earlier attempts of a key were retried: the latest says what became of the money
    where d.is_latest_attempt
),

pension as (
    select
        'pension' as source_system,
        'benefit_payment' as source_object,
        p.payment_id::text as source_key,
        p.fund_line_code,
        i.id_number,
        i.id_number_is_valid,
        null::text as household_key,
        null::text as enterprise_credit_code,
        i.id_number as payee_key,
        p.account_no,
        i.village_code,
        null::text as district_code,
        p.period,
        p.paid_date,
        p.amount,
        'success' as status,
        null::text as voucher_no,
        null::text as benefit_kind,
        null::integer as disability_grade,
        null::text as source_file
    from {{ ref('stg_pension__benefit_payments') }} as p
    left join {{ ref('stg_pension__insured_persons') }} as i
        on p.person_no = i.person_no
    -- paid_date is the payment record (contracts/README.md) and the contract lets it be
    -- null: a row without one has no day it paid, so it is no payment (as allowance's
    -- roster lines below), not money E06 or E08 may judge or the trace may count
    where p.paid_date is not null
),

allowance as (
    select
        'allowance' as source_system,
        'allowance_payment' as source_object,
        concat_ws('/', a.recipient_id, a.period, a.allowance_type) as source_key,
        a.fund_line_code,
        a.id_number,
        a.id_number_is_valid,
        null::text as household_key,
        null::text as enterprise_credit_code,
        a.id_number as payee_key,
        null::text as account_no,
        a.village_code,
        null::text as district_code,
        a.period,
        a.pay_date as paid_date,
        a.amount,
        'success' as status,
        null::text as voucher_no,
        a.allowance_type as benefit_kind,
        a.disability_grade,
        a.source_file
    from {{ ref('stg_allowance__allowance_payments') }} as a
    -- the contract: pay_date empty when not yet paid. Such a row is a roster line (who is
    -- due), not a payment: it moves no money and no rule judges it as paid.
    where a.pay_date is not null
),

education as (
    select
        'education' as source_system,
        'aid_record' as source_object,
        concat_ws('/', e.term, e.id_number, e.aid_type) as source_key,
        e.fund_line_code,
        e.id_number,
        e.id_number_is_valid,
        null::text as household_key,
        null::text as enterprise_credit_code,
        e.id_number as payee_key,
        null::text as account_no,
        e.village_code,
        null::text as district_code,
        to_char(e.pay_date, 'YYYYMM') as period,
        e.pay_date as paid_date,
        e.amount,
        'success' as status,
        null::text as voucher_no,
        e.aid_type as benefit_kind,
        null::integer as disability_grade,
        e.source_file
    from {{ ref('stg_education__aid_records') }} as e
    -- 发放日期 empty when not yet paid: a roster line, not a payment (as allowance above)
    where e.pay_date is not null
),

employment as (
    select
        'employment' as source_system,
        'subsidy' as source_object,
        s.application_id as source_key,
        s.fund_line_code,
        s.applicant_id_number as id_number,
        s.applicant_id_number_is_valid as id_number_is_valid,
        null::text as household_key,
        s.enterprise_credit_code,
        s.applicant_id_number as payee_key,
        null::text as account_no,
        residents.village_code,
        null::text as district_code,
        coalesce(s.period, to_char(s.paid_date, 'YYYYMM')) as period,
        s.paid_date,
        s.amount,
        'success' as status,
        null::text as voucher_no,
        s.subsidy_type as benefit_kind,
        null::integer as disability_grade,
        null::text as source_file
    from {{ ref('stg_employment__subsidies') }} as s
    left join residents
        on s.applicant_id_number = residents.id_number
    where s.status = 'paid'
),

poverty as (
    select
        'poverty' as source_system,
        'assistance_record' as source_object,
        r.record_id as source_key,
        r.fund_line_code,
        null::text as id_number,
        null::boolean as id_number_is_valid,
        r.household_id as household_key,
        null::text as enterprise_credit_code,
        r.household_id as payee_key,
        null::text as account_no,
        h.village_code,
        null::text as district_code,
        to_char(r.granted_date, 'YYYYMM') as period,
        r.granted_date as paid_date,
        r.amount,
        'success' as status,
        r.voucher_no,
        r.measure as benefit_kind,
        null::integer as disability_grade,
        null::text as source_file
    from {{ ref('stg_poverty__assistance_records') }} as r
    -- a record of a household the bureau deleted is not money that reached anyone
    inner join {{ ref('stg_poverty__households') }} as h
        on r.household_id = h.household_id
),

collective as (
    select
        'collective' as source_system,
        'voucher_line' as source_object,
        c.village_code || '/' || c.voucher_no as source_key,
        c.fund_line_code,
        residents.id_number,
        residents.id_number_is_valid,
        null::text as household_key,
        c.payee_credit_code as enterprise_credit_code,
        coalesce(c.payee_id_number, c.payee_credit_code) as payee_key,
        null::text as account_no,
        c.village_code,
        null::text as district_code,
        to_char(c.entry_date, 'YYYYMM') as period,
        c.entry_date as paid_date,
        c.amount,
        'success' as status,
        null::text as voucher_no,
        c.subject as benefit_kind,
        null::integer as disability_grade,
        c.source_file
    from {{ ref('stg_collective__voucher_lines') }} as c
    -- a payee is a person of the register only when the register knows the number
    left join residents
        on c.payee_id_number = residents.id_number
    where c.direction = 'expense'
        and c.approval_status = 'approved'
        and c.fund_line_code is not null
),

-- Project and enterprise money (market awards) reaches its final payee as the voucher.
treasury as (
    select
        'treasury' as source_system,
        'payment_voucher' as source_object,
        v.voucher_no as source_key,
        fund_lines.fund_line_code,
        null::text as id_number,
        null::boolean as id_number_is_valid,
        null::text as household_key,
        v.payee_code as enterprise_credit_code,
        v.payee_code as payee_key,
        v.payee_account as account_no,
        v.payee_village_code as village_code,
        indicators.district_code,
        to_char(v.paid_date, 'YYYYMM') as period,
        v.paid_date,
        v.amount,
        case v.status when 'paid' then 'success' else v.status end as status,
        v.voucher_no,
        null::text as benefit_kind,
        null::integer as disability_grade,
        null::text as source_file
    from {{ ref('stg_treasury__payment_vouchers') }} as v
    left join {{ ref('stg_budget__budget_indicators') }} as indicators
        on v.indicator_id = indicators.indicator_id
    left join policies as fund_lines
        on indicators.fund_line_code = fund_lines.fund_line_code
    where v.payee_type = 'enterprise'
        and v.status in ('paid', 'returned')
        -- a voucher citing no known indicator still paid someone: kept, line unknown (B02)
        and (
            indicators.indicator_id is null
            or (fund_lines.unit = 'enterprise_once' and fund_lines.source_system = 'treasury')
        )
),

unioned as (
    select * from onecard
    union all
    select * from pension
    union all
    select * from allowance
    union all
    select * from education
    union all
    select * from employment
    union all
    select * from poverty
    union all
    select * from collective
    union all
    select * from treasury
),

final as (
    select
        unioned.source_system || ':' || unioned.source_key as payment_key,
        unioned.source_system,
        unioned.source_object,
        unioned.source_key,
        unioned.fund_line_code,
        policies.category,
        policies.unit,
        policies.department_code,
        case
            when policies.unit in ('household_month', 'household_year')
                and unioned.household_key is not null then 'household'
            when unioned.id_number is not null then 'person'
            when unioned.enterprise_credit_code is not null then 'enterprise'
            when unioned.household_key is not null then 'household'
            else 'payee'
        end as beneficiary_type,
        case
            when policies.unit in ('household_month', 'household_year')
                then coalesce(unioned.household_key, unioned.id_number, unioned.payee_key)
            else coalesce(unioned.id_number, unioned.payee_key, unioned.household_key)
        end as beneficiary_key,
        unioned.id_number,
        unioned.id_number_is_valid,
        unioned.household_key,
        unioned.enterprise_credit_code,
        unioned.payee_key,
        unioned.account_no,
        unioned.village_code,
        left(unioned.village_code, 9) as town_code,
        coalesce(left(unioned.village_code, 6), unioned.district_code) as district_code,
        unioned.period,
        to_date(unioned.period, 'YYYYMM') as period_start,
        unioned.paid_date,
        extract(year from unioned.paid_date)::integer as paid_year,
        unioned.amount,
        unioned.amount < 0 as is_reversal,
        unioned.status,
        unioned.status = 'success' as is_paid,
        unioned.voucher_no,
        unioned.benefit_kind,
        unioned.disability_grade,
        unioned.source_file
    from unioned
    left join policies
        on unioned.fund_line_code = policies.fund_line_code
)

select * from final
