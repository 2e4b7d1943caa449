with

source as (
    -- The newest version of each town-month workbook; rows it repeats exactly count once.
    {{ drop_exact_repeats('(' ~ latest_file_version(source('collective', 'collective__voucher_line')) ~ ') as delivered') }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('village_code') }} as village_code,
        left({{ normalize_code('village_code') }}, 9) as town_code,
        {{ normalize_code('voucher_no') }} as voucher_no,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ party_id_kind('payee_id') }} as payee_kind,
        case
            when {{ party_id_kind('payee_id') }} = 'person'
                then {{ normalize_id_number('payee_id') }}
        end as payee_id_number,
        case
            when {{ party_id_kind('payee_id') }} = 'person'
                then {{ is_valid_id_number(normalize_id_number('payee_id')) }}
        end as payee_id_number_is_valid,
        case
            when {{ party_id_kind('payee_id') }} = 'enterprise'
                then {{ normalize_credit_code('payee_id') }}
        end as payee_credit_code,
        case
            when {{ party_id_kind('payee_id') }} = 'enterprise'
                then {{ is_valid_credit_code(normalize_credit_code('payee_id')) }}
        end as payee_credit_code_is_valid,
        payee_id as payee_id_raw,
        {{ normalize_id_number('handler_id') }} as handler_id_number,
        {{ is_valid_id_number(normalize_id_number('handler_id')) }} as handler_id_number_is_valid,
        handler_id as handler_id_raw,

        ---------- strings
        {{ clean_text('summary') }} as summary,
        case {{ clean_text('direction') }} when '收入' then 'income' when '支出' then 'expense' end as direction,
        {{ clean_text('direction') }} as direction_zh,
        {{ clean_text('subject') }} as subject,
        {{ clean_text('payee_name') }} as payee_name,
        {{ normalize_person_name('handler_name') }} as handler_name,
        {{ normalize_person_name('approver_name') }} as approver_name,
        case {{ clean_text('approval_status') }}
            when '已审批' then 'approved' when '待审批' then 'pending' when '驳回' then 'rejected'
        end as approval_status,
        {{ clean_text('approval_status') }} as approval_status_zh,

        ---------- numerics
        {{ to_amount('amount') }} as amount,
        {{ to_amount('amount') }} < 0 as is_reversal,
        {{ to_integer('attachments') }} as attachments,

        ---------- dates
        {{ to_local_date('entry_date') }} as entry_date,

        ---------- lineage
        {{ file_lineage() }}
    from source
)

select * from renamed
