-- Fails with one row per way a rule model breaks the alert rule contract (models/intermediate/alerts/README.md).
{% test alert_rule_shape(model) %}
{%- set expected = alert_finding_columns() | map(attribute=0) | list -%}
{%- set missing = [] -%}
{%- set extra = [] -%}
{%- if execute -%}
    {%- set actual = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list -%}
    {%- for name in expected if name not in actual %}{% do missing.append(name) %}{% endfor -%}
    {%- for name in actual if name not in expected %}{% do extra.append(name) %}{% endfor -%}
{%- endif -%}
{%- if missing or extra %}
{#- the other checks would fail on a missing column: report the columns alone -#}
select problem, null::text as finding_key
from (values
    {%- for name in missing %}('missing column {{ name }}'){{ ',' if not loop.last or extra }}{% endfor %}
    {%- for name in extra %}('column {{ name }} is not in the contract'){{ ',' if not loop.last }}{% endfor %}
) as columns_wrong (problem)
{%- else %}
with

findings as (
    select * from {{ model }}
),

judged as (
    select
        findings.*,
        shapes.finding_key_shape,
        case shapes.finding_key_shape
            when 'subject' then findings.subject_type || '|' || findings.subject_key
            when 'subject_period'
                then findings.subject_type || '|' || findings.subject_key || '|'
                || coalesce(findings.period, '')
            when 'subject_period_fund_line'
                then findings.subject_type || '|' || findings.subject_key || '|'
                || coalesce(findings.period, '') || '|' || coalesce(findings.fund_line_code, '')
        end as expected_finding_key
    from findings
    left join (
        values
        {%- for code, shape in finding_key_shapes().items() | sort %}
        ('{{ code }}', '{{ shape }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as shapes (rule_code, finding_key_shape)
        on findings.rule_code = shapes.rule_code
),

problems as (
    select
        case
            when finding_key_shape is null
                then 'rule_code ' || coalesce(rule_code, 'null') || ' is not a rule of rules.md'
            when finding_key is distinct from expected_finding_key
                then 'finding_key should be ' || coalesce(expected_finding_key, 'null')
            when subject_type is null
                or subject_type not in (
                    'person', 'household', 'account', 'indicator', 'voucher', 'village',
                    'enterprise', 'collective_entry'
                )
                then 'subject_type ' || coalesce(subject_type, 'null') || ' is not a subject type'
            when finding_key_shape <> 'subject' and period is null
                then 'period is null on a rule on the time grain'
            when period is not null and period !~ '^[0-9]{4}([0-9]{2})?$'
                then 'period ' || period || ' is neither YYYYMM nor YYYY'
            when severity is null or severity not in ('yellow', 'orange', 'red')
                then 'severity ' || coalesce(severity, 'null') || ' is not yellow, orange or red'
            when amount_at_risk is null or amount_at_risk < 0
                then 'amount_at_risk ' || coalesce(amount_at_risk::text, 'null') || ' below zero'
            when evidence is null or jsonb_typeof(evidence) <> 'object'
                then 'evidence is not a JSON object'
            when not evidence ?& array['records', 'measured', 'threshold', 'threshold_source']
                then 'evidence lacks records, measured, threshold or threshold_source'
            when jsonb_typeof(evidence -> 'records') <> 'array'
                then 'evidence.records is not an array'
        end as problem,
        finding_key
    from judged
),

duplicates as (
    select 'finding_key appears ' || count(*) || ' times' as problem, finding_key
    from findings
    group by finding_key
    having count(*) > 1
)

select * from problems where problem is not null
union all
select * from duplicates
{%- endif %}
{% endtest %}
