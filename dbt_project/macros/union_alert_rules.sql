-- The findings of every rule model, in the contract's columns; fails when a rule model is not a declared dependency.
{% macro union_alert_rules() -%}
    {%- set columns = alert_finding_columns() -%}
    {%- set nodes = alert_rule_nodes() -%}
    {%- if execute -%}
        {#- graph is empty while dbt parses, so the model's own `-- depends_on` lines are
            what orders the rule models first: a missing line would read a stale view -#}
        {%- set undeclared = [] -%}
        {%- for node in nodes if node.unique_id not in model.depends_on.nodes -%}
            {%- do undeclared.append("-- depends_on: {{ ref('" ~ node.name ~ "') }}") -%}
        {%- endfor -%}
        {%- if undeclared -%}
            {{ exceptions.raise_compiler_error(
                "rule models tagged alert_rule are not dependencies of " ~ model.name
                ~ "; add to " ~ model.original_file_path ~ ":\n" ~ (undeclared | join("\n"))
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- for node in nodes %}
    select
        {%- for name, data_type in columns %}
        {{ name }}::{{ data_type }} as {{ name }},
        {%- endfor %}
        '{{ node.name }}'::text as rule_model
    from {{ ref(node.name) }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    {#- no rule model yet (or while parsing): the same columns, no rows #}
    select
        {%- for name, data_type in columns %}
        null::{{ data_type }} as {{ name }},
        {%- endfor %}
        null::text as rule_model
    where false
    {%- endfor %}
{%- endmacro %}
