with

source as (
    -- The newest version of each day's file; rows it repeats exactly count once.
    {{ drop_exact_repeats('(' ~ latest_file_version(source('onecard', 'onecard__disbursement')) ~ ') as delivered') }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('batch_no') }} as batch_no,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_code('voucher_no') }} as voucher_no,
        {{ normalize_id_number('id_number') }} as id_number,
        {{ is_valid_id_number(normalize_id_number('id_number')) }} as id_number_is_valid,
        id_number as id_number_raw,
        {{ normalize_account_no('account_no') }} as account_no,
        {{ normalize_code('town_code') }} as town_code,
        {{ normalize_code('village_code') }} as village_code,

        ---------- strings
        {{ normalize_person_name('name') }} as name,
        {{ clean_text('bank_name') }} as bank_name,
        case {{ clean_text('status') }}
            when '成功' then 'success' when '失败' then 'failed' when '退回' then 'returned'
        end as status,
        {{ clean_text('status') }} as status_zh,
        {{ clean_text('failure_reason') }} as failure_reason,

        ---------- numerics
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,

        ---------- dates
        {{ normalize_period('period') }} as period,
        {{ period_start(normalize_period('period')) }} as period_start,
        {{ to_local_date('pay_date') }} as pay_date,

        ---------- the attempt that counts for its key: a retry keeps the failed attempt's
        -- key, so the later banking day (the file name's date, not the load order: a late
        -- `_v2` of an old day cannot undo a retry made since), then the later row
        row_number() over (
            partition by
                {{ normalize_code('batch_no') }}, {{ normalize_id_number('id_number') }},
                {{ normalize_code('fund_line_code') }}, {{ normalize_period('period') }}
            order by substring(_file_base from '[0-9]{8}') desc nulls last, _load_id desc, _row_number desc
        ) = 1 as is_latest_attempt,

        ---------- lineage
        {{ file_lineage() }}
    from source
)

select * from renamed
