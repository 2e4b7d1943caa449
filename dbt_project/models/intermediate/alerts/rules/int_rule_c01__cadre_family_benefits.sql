{{ config(tags=['alert_rule']) }}

-- C01 cadre or relative benefits: a benefit paid to a village cadre or a cadre's close
-- relative (cadre_relation, the cadre's own row 'self' included) for a period within the
-- cadre's term, where the payment's village or the recipient's registered village is the
-- cadre's village. Collective spending is C02's. A payment matched through several cadres
-- counts once. At risk: the payments of the period.
with

payments as (
    select * from {{ ref('int_rule_support_money__person_payments') }}
    where amount > 0
),

relations as (
    select * from {{ ref('stg_reference__cadre_relations') }}
),

matched as (
    -- one relation is enough; the cadre named is the first by term, then number
    select distinct on (payments.payment_key)
        payments.*,
        relations.cadre_id_number,
        relations.village_code as cadre_village_code,
        relations.relation,
        relations.post,
        relations.term_start,
        relations.term_end
    from payments
    inner join relations
        on payments.id_number = relations.relative_id_number
            and (
                payments.village_code = relations.village_code
                or payments.registered_village_code = relations.village_code
            )
    where
        (relations.term_start is null or relations.term_start <= {{ period_end('payments.period_start') }})
        and (relations.term_end is null or relations.term_end >= payments.period_start)
    order by payments.payment_key, relations.term_start, relations.cadre_id_number
),

per_period as (
    select
        id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('cadre_id_number') }} as cadre_id_number,
        {{ first_paid('cadre_village_code') }} as cadre_village_code,
        {{ first_paid('relation') }} as relation,
        {{ first_paid('post') }} as post,
        {{ first_paid('term_start') }} as term_start,
        {{ first_paid('term_end') }} as term_end,
        {{ first_paid('registered_village_code') }} as registered_village_code,
        sum(amount) as amount,
        {{ payment_records() }} as records
    from matched
    group by id_number, period
),

final as (
    select
        'C01'::text as rule_code,
        'person'::text as subject_type,
        id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        amount::numeric(14, 2) as amount_at_risk,
        -- a cadre's family may be entitled: a lead for the township to check, not a loss
        'yellow'::text as severity,
        jsonb_build_object(
            'records', records || jsonb_build_array(jsonb_build_object(
                'system', 'reference', 'object', 'cadre_relation',
                'key', cadre_id_number || '/' || id_number
            )),
            'measured', jsonb_build_object(
                'paid_village', village_code, 'registered_village', registered_village_code
            ),
            'threshold', jsonb_build_object(
                'cadre_village', cadre_village_code, 'term_start', term_start,
                'term_end', term_end
            ),
            'threshold_source', 'reference.cadre_relation (term and village of the cadre)',
            'cadre_id_number', cadre_id_number,
            'relation', relation,
            'post', post
        ) as evidence,
        'person|' || id_number || '|' || period as finding_key
    from per_period
)

select * from final
