-- Every treasury voucher beside what the budget says of its indicator and what the
-- payments citing it add up to: the facts T02, B02 and B03 compare.
with

vouchers as (
    select * from {{ ref('stg_treasury__payment_vouchers') }}
),

indicators as (
    select * from {{ ref('stg_budget__budget_indicators') }}
),

cited as (
    select * from {{ ref('int_rule_support_budget__cited_vouchers') }}
),

-- A voucher citing no known indicator names no fund line; the payer's other vouchers to
-- the same payee do, when they agree on one (so the alert still reaches a department).
payee_lines as (
    select
        vouchers.payer_department_code,
        vouchers.payee_code,
        min(indicators.fund_line_code) as fund_line_code
    from vouchers
    inner join indicators
        on vouchers.indicator_id = indicators.indicator_id
    where vouchers.payee_code is not null
    group by vouchers.payer_department_code, vouchers.payee_code
    having count(distinct indicators.fund_line_code) = 1
),

joined as (
    select
        vouchers.voucher_no,
        vouchers.indicator_id,
        indicators.indicator_id is not null as indicator_is_known,
        indicators.status as indicator_status,
        coalesce(indicators.is_withdrawn, false) as indicator_is_withdrawn,
        coalesce(
            indicators.fund_line_code, cited.fund_line_code, payee_lines.fund_line_code
        ) as fund_line_code,
        vouchers.payer_department_code,
        vouchers.payee_type,
        vouchers.payee_code,
        coalesce(vouchers.payee_village_code, cited.village_code) as village_code,
        vouchers.status,
        vouchers.amount,
        vouchers.voucher_date,
        vouchers.paid_date,
        cited.voucher_no is not null as is_cited,
        coalesce(cited.cited_amount, 0) as cited_amount,
        coalesce(cited.cited_payments, 0) as cited_payments,
        cited.last_paid_date as last_cited_paid_date,
        coalesce(cited.records, '[]'::jsonb) as cited_records
    from vouchers
    left join indicators
        on vouchers.indicator_id = indicators.indicator_id
    left join cited
        on vouchers.voucher_no = cited.voucher_no
    left join payee_lines
        on vouchers.payer_department_code = payee_lines.payer_department_code
            and vouchers.payee_code = payee_lines.payee_code
)

select * from joined
