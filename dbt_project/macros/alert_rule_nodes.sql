-- The rule models (tagged alert_rule) of this project, by name; the var alert_rules (codes) narrows them.
{% macro alert_rule_nodes() -%}
    {%- set only = var('alert_rules', none) -%}
    {%- set nodes = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- if node.resource_type == 'model' and node.package_name == project_name
                and 'alert_rule' in node.tags -%}
                {%- set code = node.name.split('__')[0].replace('int_rule_', '') | upper -%}
                {%- if only is none or code in only -%}
                    {%- do nodes.append(node) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(nodes) }}
{%- endmacro %}
