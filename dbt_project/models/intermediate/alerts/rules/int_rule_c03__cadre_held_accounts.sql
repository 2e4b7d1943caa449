{{ config(tags=['alert_rule']) }}

-- C03 cadre-held account: an account that receives a village cadre's own payments (for a
-- period within the cadre's term) and also payments for someone who is not a cadre in
-- office in the paid period. Off the time grain: one finding per account; at risk: the
-- payments for the others.
with

payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
    where account_no is not null
),

terms as (
    select distinct
        cadre_id_number,
        village_code,
        term_start,
        term_end
    from {{ ref('stg_reference__cadre_relations') }}
),

in_office as (
    select distinct payments.payment_key
    from payments
    inner join terms
        on payments.id_number = terms.cadre_id_number
    where
        (terms.term_start is null or terms.term_start <= {{ period_end('payments.period_start') }})
        and (terms.term_end is null or terms.term_end >= payments.period_start)
),

judged as (
    select
        payments.*,
        in_office.payment_key is not null as is_cadre_in_office
    from payments
    left join in_office
        on payments.payment_key = in_office.payment_key
),

cadre_accounts as (
    select
        account_no,
        {{ first_paid('id_number') }} as cadre_id_number,
        jsonb_agg(distinct id_number) as cadre_id_numbers
    from judged
    where is_cadre_in_office
    group by account_no
),

for_others as (
    select
        judged.account_no,
        sum(judged.amount) as amount,
        max(judged.period) as last_period,
        (array_agg(judged.fund_line_code order by judged.paid_date desc, judged.payment_key desc))[1]
            as fund_line_code,
        (array_agg(judged.village_code order by judged.paid_date desc, judged.payment_key desc))[1]
            as village_code,
        jsonb_agg(distinct judged.id_number) as others,
        jsonb_agg(
            jsonb_build_object(
                'system', judged.source_system,
                'object', judged.source_object,
                'key', judged.source_key
            )
            order by judged.paid_date, judged.payment_key
        ) as records
    from judged
    inner join cadre_accounts
        on judged.account_no = cadre_accounts.account_no
    where not judged.is_cadre_in_office
    group by judged.account_no
),

final as (
    select
        'C03'::text as rule_code,
        'account'::text as subject_type,
        for_others.account_no as subject_key,
        -- off the time grain: the period only says when the account last received
        for_others.last_period as period,
        for_others.fund_line_code,
        for_others.village_code,
        greatest(for_others.amount, 0)::numeric(14, 2) as amount_at_risk,
        -- a cadre collecting other people's benefits on his own card
        'red'::text as severity,
        jsonb_build_object(
            'records', for_others.records,
            'measured', jsonb_array_length(for_others.others),
            'threshold', 'an account holding a cadre''s own payments receives for nobody else',
            'threshold_source', 'reference.cadre_relation (cadres in office in the paid period)',
            'cadre_id_number', cadre_accounts.cadre_id_number,
            'cadres', cadre_accounts.cadre_id_numbers,
            'others', for_others.others
        ) as evidence,
        'account|' || for_others.account_no as finding_key
    from for_others
    inner join cadre_accounts
        on for_others.account_no = cadre_accounts.account_no
)

select * from final
