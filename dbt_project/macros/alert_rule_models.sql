-- The rule models this build runs, as a relation (rule_code, rule_model): one row per
-- alert_rule_nodes() entry, none when there are none (a VALUES list cannot be empty).
{% macro alert_rule_models(alias='rules') -%}
    {%- set nodes = alert_rule_nodes() %}
    select
        rule_code,
        rule_model
    from (
        values
        {%- for node in nodes %}
        ('{{ node.name.split('__')[0].replace('int_rule_', '') | upper }}', '{{ node.name }}')
        {{- ',' if not loop.last }}
        {%- else %}
            (null, null)
        {%- endfor %}
    ) as {{ alias }} (rule_code, rule_model)
    where rule_code is not null
{%- endmacro %}
