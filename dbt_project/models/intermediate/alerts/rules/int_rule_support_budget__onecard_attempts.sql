{{ config(materialized="table", indexes=[{"columns": ["id_number", "fund_line_code", "period"]}]) }}

-- Every one-card payment attempt, failed ones included, of the newest version of each
-- day's file: T03 needs a failed attempt and its date even when a retry under the same
-- key counts instead. A table: T03 joins it to itself by person, line and period.
select
    batch_no,
    fund_line_code,
    voucher_no,
    id_number,
    village_code,
    status,
    failure_reason,
    amount,
    period,
    pay_date,
    source_file,
    source_row_number
from {{ ref('stg_onecard__disbursements') }}
