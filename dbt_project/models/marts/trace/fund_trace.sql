-- Where each leaf indicator's money went, and the money no indicator can be named for.
-- Every row balances: budgeted = disbursed + failed + returned + undisbursed + unlinked.
-- Failed and returned attempts take only what disbursement left of the budget (a failed
-- yuan is still the indicator's, it cannot be lost twice); money paid out beyond the
-- budget (all of it, on an unlinked row) is the negative unlinked_amount.
with

policies as (
    select * from {{ ref('int_fund_line_policies') }}
),

place_names as (
    select * from {{ ref('int_place_names') }}
),

indicators as (
    select * from {{ ref('int_budget_indicators_disbursed') }}
),

unlinked_payments as (
    select * from {{ ref('int_benefit_payments_traced') }}
    where indicator_id is null
),

indicator_rows as (
    select
        indicator_id as trace_key,
        'indicator' as row_type,
        null::text as unlinked_reason,
        fund_line_code,
        district_code,
        fiscal_year,
        indicator_id,
        issued_date,
        budgeted_amount,
        treasury_paid_amount,
        disbursed_amount,
        failed_attempt_amount,
        returned_attempt_amount,
        first_disbursed_date,
        last_disbursed_date,
        completed_date
    from indicators
),

unlinked_rows as (
    select
        concat_ws(
            '|',
            'unlinked',
            unlinked_reason,
            coalesce(fund_line_code, '-'),
            coalesce(district_code, '-'),
            coalesce(fiscal_year::text, '-')
        ) as trace_key,
        'unlinked' as row_type,
        unlinked_reason,
        fund_line_code,
        district_code,
        fiscal_year,
        null::text as indicator_id,
        null::date as issued_date,
        0 as budgeted_amount,
        0 as treasury_paid_amount,
        coalesce(sum(amount) filter (where is_paid), 0) as disbursed_amount,
        coalesce(sum(amount) filter (where status = 'failed'), 0) as failed_attempt_amount,
        coalesce(sum(amount) filter (where status = 'returned'), 0)
            as returned_attempt_amount,
        min(paid_date) filter (where is_paid and amount > 0) as first_disbursed_date,
        max(paid_date) filter (where is_paid and amount > 0) as last_disbursed_date,
        null::date as completed_date
    from unlinked_payments
    group by unlinked_reason, fund_line_code, district_code, fiscal_year
),

trace_rows as (
    select * from indicator_rows
    union all
    select * from unlinked_rows
),

-- The budget left after disbursement is shared out in order: failed attempts, returned
-- attempts, then what nobody has tried to pay yet.
room as (
    select
        trace_rows.*,
        greatest(trace_rows.budgeted_amount - trace_rows.disbursed_amount, 0) as room_amount,
        least(trace_rows.budgeted_amount - trace_rows.disbursed_amount, 0) as unlinked_amount
    from trace_rows
),

failed as (
    select
        room.*,
        least(greatest(room.failed_attempt_amount, 0), room.room_amount) as failed_amount
    from room
),

returned as (
    select
        failed.*,
        least(greatest(failed.returned_attempt_amount, 0), failed.room_amount - failed.failed_amount)
            as returned_amount
    from failed
),

final as (
    select
        returned.trace_key,
        returned.row_type,
        returned.unlinked_reason,
        returned.fund_line_code,
        policies.fund_line_name,
        policies.department_code,
        policies.department_name,
        policies.category,
        returned.district_code,
        districts.division_name as district_name,
        returned.fiscal_year::integer as fiscal_year,
        returned.indicator_id,
        returned.issued_date,
        returned.budgeted_amount::numeric(16, 2) as budgeted_amount,
        returned.treasury_paid_amount::numeric(16, 2) as treasury_paid_amount,
        returned.disbursed_amount::numeric(16, 2) as disbursed_amount,
        returned.failed_amount::numeric(16, 2) as failed_amount,
        returned.returned_amount::numeric(16, 2) as returned_amount,
        (returned.room_amount - returned.failed_amount - returned.returned_amount)::numeric(16, 2)
            as undisbursed_amount,
        returned.unlinked_amount::numeric(16, 2) as unlinked_amount,
        returned.failed_attempt_amount::numeric(16, 2) as failed_attempt_amount,
        returned.returned_attempt_amount::numeric(16, 2) as returned_attempt_amount,
        returned.first_disbursed_date,
        returned.last_disbursed_date,
        returned.completed_date,
        (returned.first_disbursed_date - returned.issued_date)::integer
            as days_indicator_to_first_household,
        (returned.completed_date - returned.issued_date)::integer as days_to_complete,
        returned.issued_date + policies.disburse_within_days as deadline_date,
        case
            when returned.row_type = 'indicator'
                then
                    returned.issued_date + policies.disburse_within_days < {{ current_night() }}
                    and (
                        returned.completed_date is null
                        or returned.completed_date
                        > returned.issued_date + policies.disburse_within_days
                    )
        end as is_late,
        {{ current_night() }} as as_of_night
    from returned
    left join policies
        on returned.fund_line_code = policies.fund_line_code
    left join place_names as districts
        on returned.district_code = districts.division_code
)

select * from final
