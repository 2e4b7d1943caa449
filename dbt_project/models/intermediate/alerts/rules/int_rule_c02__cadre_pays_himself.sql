{{ config(tags=['alert_rule']) }}

-- C02 cadre pays himself: a collective expense whose payee is its handler or one of the
-- handler's close relatives (cadre_relation, `self` included). Approvers are named but
-- carry no identity number, and people are joined on numbers only, never on names, so
-- the approver side cannot be checked. A relation counts whatever the term: the handler
-- keeps the books whenever the entry was made.
with

expenses as (
    select distinct on (village_code, voucher_no) *
    from {{ ref('stg_collective__voucher_lines') }}
    where
        direction = 'expense'
        and payee_kind = 'person'
        and payee_id_number is not null
        and handler_id_number is not null
    order by village_code asc, voucher_no asc, amount desc, source_row_number asc
),

relations as (
    select
        cadre_id_number,
        relative_id_number,
        min(relation) as relation,
        min(village_code) as cadre_village_code
    from {{ ref('stg_reference__cadre_relations') }}
    group by cadre_id_number, relative_id_number
),

linked as (
    select
        expenses.*,
        case
            when expenses.payee_id_number = expenses.handler_id_number then 'self'
            else relations.relation
        end as relation,
        relations.cadre_village_code
    from expenses
    left join relations
        on
            expenses.handler_id_number = relations.cadre_id_number
            and expenses.payee_id_number = relations.relative_id_number
    where
        expenses.payee_id_number = expenses.handler_id_number
        or relations.relative_id_number is not null
),

final as (
    select
        'C02'::text as rule_code,
        'collective_entry'::text as subject_type,
        village_code || '/' || voucher_no as subject_key,
        to_char(entry_date, 'YYYYMM') as period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- a bookkeeper paying himself or his family is the textbook conflict of interest
        'red'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(
                jsonb_build_object(
                    'system', 'collective',
                    'object', 'voucher_line',
                    'key', village_code || '/' || voucher_no
                ),
                jsonb_build_object(
                    'system', 'reference',
                    'object', 'cadre_relation',
                    'key', handler_id_number || '/' || payee_id_number
                )
            ),
            'measured', jsonb_build_object(
                'payee_id_number', payee_id_number, 'relation', relation
            ),
            'threshold', jsonb_build_object(
                'handler_id_number', handler_id_number,
                'rule', 'the payee is neither the handler nor a relative of the handler'
            ),
            'threshold_source', 'reference.cadre_relation (rules.md C02)',
            'handler_name', handler_name,
            'payee_name', payee_name,
            'approver_name', approver_name,
            'entry_date', entry_date,
            'summary', summary,
            'source_file', source_file
        ) as evidence,
        'collective_entry|' || village_code || '/' || voucher_no as finding_key
    from linked
)

select * from final
