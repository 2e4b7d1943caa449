{{ config(tags=['alert_rule']) }}

-- K02 split payments: min_expenses or more expenses to one payee within window_days of the
-- first, each below each_below_yuan and together above total_above_yuan. Read as truth.py
-- does: a payee's small expenses in date order, a group taken greedily from its earliest
-- entry (which keys it) and the walk going on after the group, so an entry is in one group.
with recursive

parameters as (
    select
        {{ rule_parameter('K02', 'min_expenses') }} as min_expenses,
        {{ rule_parameter('K02', 'window_days') }}::integer as window_days,
        {{ rule_parameter('K02', 'each_below_yuan') }} as each_below_yuan,
        {{ rule_parameter('K02', 'total_above_yuan') }} as total_above_yuan
),

small_expenses as (
    select distinct on (lines.village_code, lines.voucher_no)
        lines.village_code,
        lines.voucher_no,
        lines.entry_date,
        lines.amount,
        lines.fund_line_code,
        coalesce(lines.payee_id_number, lines.payee_credit_code) as payee_key,
        lines.payee_kind,
        lines.approval_status
    from {{ ref('stg_collective__voucher_lines') }} as lines
    cross join parameters
    where
        lines.direction = 'expense'
        and coalesce(lines.payee_id_number, lines.payee_credit_code) is not null
        and lines.amount > 0
        and lines.amount < parameters.each_below_yuan
        and lines.entry_date is not null
    order by lines.village_code asc, lines.voucher_no asc, lines.amount desc
),

numbered as (
    select
        *,
        row_number() over (
            partition by payee_key order by entry_date, voucher_no, village_code
        ) as position
    from small_expenses
),

-- from each entry: the entries from it on that fall within the window of its date
windows as (
    select
        first_entry.payee_key,
        first_entry.position,
        count(*) as expenses,
        sum(later.amount) as total_amount,
        max(later.entry_date) - first_entry.entry_date as span_days
    from numbered as first_entry
    cross join parameters
    inner join numbered as later
        on
            first_entry.payee_key = later.payee_key
            and first_entry.position <= later.position
            and later.entry_date <= first_entry.entry_date + parameters.window_days
    group by first_entry.payee_key, first_entry.position, first_entry.entry_date
),

judged as (
    select
        windows.*,
        windows.expenses >= parameters.min_expenses
        and windows.total_amount > parameters.total_above_yuan as is_split
    from windows
    cross join parameters
),

-- the greedy walk: a group moves past its last entry, anything else to the next entry
walk as (
    select
        payee_key,
        position
    from judged
    where position = 1
    union all
    select
        judged.payee_key,
        judged.position + case when judged.is_split then judged.expenses else 1 end as position
    from walk
    inner join judged
        on
            walk.payee_key = judged.payee_key
            and walk.position = judged.position
),

groups as (
    select judged.*
    from judged
    inner join walk
        on
            judged.payee_key = walk.payee_key
            and judged.position = walk.position
    where judged.is_split
),

members as (
    select
        groups.position as group_position,
        numbered.*
    from groups
    inner join numbered
        on
            groups.payee_key = numbered.payee_key
            and numbered.position between groups.position and groups.position + groups.expenses - 1
),

collected as (
    select
        payee_key,
        group_position,
        jsonb_agg(
            jsonb_build_object(
                'system', 'collective',
                'object', 'voucher_line',
                'key', village_code || '/' || voucher_no
            )
            order by position
        ) as records,
        jsonb_agg(
            jsonb_build_object(
                'entry', village_code || '/' || voucher_no,
                'entry_date', entry_date,
                'amount', amount,
                'approval_status', approval_status
            )
            order by position
        ) as expenses_listed
    from members
    group by payee_key, group_position
),

final as (
    select
        'K02'::text as rule_code,
        'collective_entry'::text as subject_type,
        first_entry.village_code || '/' || first_entry.voucher_no as subject_key,
        to_char(first_entry.entry_date, 'YYYYMM') as period,
        null::text as fund_line_code,
        first_entry.village_code,
        groups.total_amount::numeric(14, 2) as amount_at_risk,
        -- splitting keeps each payment under the approval limit: worse than missing paper
        'orange'::text as severity,
        jsonb_build_object(
            'records', collected.records,
            'measured', jsonb_build_object(
                'expenses', groups.expenses,
                'total_amount', groups.total_amount,
                'span_days', groups.span_days
            ),
            'threshold', jsonb_build_object(
                'min_expenses', parameters.min_expenses,
                'window_days', parameters.window_days,
                'each_below_yuan', parameters.each_below_yuan,
                'total_above_yuan', parameters.total_above_yuan
            ),
            'threshold_source', 'seed rule_parameters (rules.md K02)',
            'payee_key', groups.payee_key,
            'payee_kind', first_entry.payee_kind,
            'expenses', collected.expenses_listed
        ) as evidence,
        'collective_entry|' || first_entry.village_code || '/' || first_entry.voucher_no
            as finding_key
    from groups
    cross join parameters
    inner join numbered as first_entry
        on
            groups.payee_key = first_entry.payee_key
            and groups.position = first_entry.position
    inner join collected
        on
            groups.payee_key = collected.payee_key
            and groups.position = collected.group_position
)

select * from final
