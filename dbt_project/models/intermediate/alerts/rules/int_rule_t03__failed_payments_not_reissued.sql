{{ config(tags=['alert_rule']) }}

-- T03 failed payment not reissued: a failed or returned one-card attempt with no later
-- successful payment to the same person, fund line and period within the reissue window,
-- once that window has closed. Any batch counts as the reissue (a retry keeps its key, a
-- corrected payment may come in a new batch); a reversal is not a payment. One finding
-- per person and period: a person's failures on several lines in one month are one lead.
with

attempts as (
    select * from {{ ref('int_rule_support_budget__onecard_attempts') }}
),

parameters as (
    select
        {{ rule_parameter('T03', 'reissue_within_days') }}::integer as reissue_within_days,
        p.*
    from {{ ref('int_supervision_parameters') }} as p
),

failures as (
    select
        attempts.*,
        attempts.pay_date + parameters.reissue_within_days as reissue_by,
        parameters.reissue_within_days
    from attempts
    cross join parameters
    where attempts.status in ('failed', 'returned')
),

unreissued as (
    select failures.*
    from failures
    where failures.reissue_by < {{ current_night() }}
        and not exists (
            select 1
            from attempts as success
            where success.status = 'success'
                and success.amount > 0
                and success.id_number = failures.id_number
                and success.fund_line_code = failures.fund_line_code
                and success.period = failures.period
                and success.pay_date > failures.pay_date
                and success.pay_date <= failures.reissue_by
        )
),

per_period as (
    select
        id_number,
        period,
        (array_agg(fund_line_code order by pay_date, fund_line_code, batch_no))[1]
            as fund_line_code,
        (array_agg(village_code order by pay_date, fund_line_code, batch_no))[1] as village_code,
        sum(amount) as amount,
        {{ current_night() }} - min(pay_date) as days_since_failure,
        {{ current_night() }} - min(reissue_by) as days_overdue,
        min(reissue_within_days) as reissue_within_days,
        jsonb_agg(
            jsonb_build_object(
                'system', 'onecard',
                'object', 'disbursement',
                'key', concat_ws('/', batch_no, id_number, fund_line_code, period),
                'file', source_file,
                'row', source_row_number
            )
            order by pay_date, fund_line_code, batch_no
        ) as records,
        jsonb_agg(
            jsonb_build_object(
                'status', status,
                'failure_reason', failure_reason,
                'pay_date', pay_date,
                'reissue_by', reissue_by
            )
            order by pay_date, fund_line_code, batch_no
        ) as failed_attempts
    from unreissued
    group by id_number, period
),

final as (
    select
        'T03'::text as rule_code,
        'person'::text as subject_type,
        per_period.id_number as subject_key,
        per_period.period,
        per_period.fund_line_code,
        per_period.village_code,
        greatest(per_period.amount, 0)::numeric(14, 2) as amount_at_risk,
        -- money owed and not delivered ages like a late disbursement, from the day the
        -- reissue window closed; yellow at least, the window being over
        coalesce(
            {{ delay_severity('per_period.days_overdue') }}, 'yellow'
        ) as severity,
        jsonb_build_object(
            'records', per_period.records,
            'measured', per_period.days_since_failure,
            'threshold', per_period.reissue_within_days,
            'threshold_source', 'rule_parameters T03.reissue_within_days',
            'measured_as', 'days since the first failed attempt, with no success within the window',
            'failed_attempts', per_period.failed_attempts,
            'days_overdue', per_period.days_overdue
        ) as evidence,
        'person|' || per_period.id_number || '|' || per_period.period as finding_key
    from per_period
    cross join parameters
)

select * from final
