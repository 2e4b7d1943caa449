{{ config(tags=['alert_rule']) }}

-- K01 missing supporting documents: an approved collective expense with no attachment or
-- no approver. Pending and rejected entries are still in the approval chain, and income
-- needs no supporting voucher, so neither is a finding.
with

expenses as (
    -- a workbook repeating a voucher number with other values gives one finding, the larger
    select distinct on (village_code, voucher_no) *
    from {{ ref('stg_collective__voucher_lines') }}
    where
        direction = 'expense'
        and approval_status = 'approved'
        and (coalesce(attachments, 0) = 0 or approver_name is null)
    order by village_code asc, voucher_no asc, amount desc, source_row_number asc
),

final as (
    select
        'K01'::text as rule_code,
        'collective_entry'::text as subject_type,
        village_code || '/' || voucher_no as subject_key,
        to_char(entry_date, 'YYYYMM') as period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- paperwork missing is a lead to ask for, not yet a loss
        'yellow'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(jsonb_build_object(
                'system', 'collective',
                'object', 'voucher_line',
                'key', village_code || '/' || voucher_no
            )),
            'measured', jsonb_build_object(
                'attachments', attachments, 'approver_name', approver_name
            ),
            'threshold', 'at least one attachment and an approver',
            'threshold_source', 'rules.md K01',
            'missing', case
                when coalesce(attachments, 0) = 0 and approver_name is null
                    then 'attachments and approver'
                when approver_name is null then 'approver'
                else 'attachments'
            end,
            'entry_date', entry_date,
            'summary', summary,
            'source_file', source_file,
            'source_row_number', source_row_number
        ) as evidence,
        'collective_entry|' || village_code || '/' || voucher_no as finding_key
    from expenses
)

select * from final
