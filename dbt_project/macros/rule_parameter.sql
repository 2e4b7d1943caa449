-- One numeric parameter of an alert rule from the rule_parameters seed, as a scalar subquery.
{% macro rule_parameter(rule_code, parameter) -%}
    (
        select rp.value
        from {{ ref('rule_parameters') }} as rp
        where rp.rule_code = '{{ rule_code }}' and rp.parameter = '{{ parameter }}'
    )
{%- endmacro %}
