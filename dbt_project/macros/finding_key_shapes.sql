-- How each rule's finding_key is built (truth.py key_of): subject, subject_period or subject_period_fund_line.
{#- A macro, not a column of seed rule_registry, so the alert_rule_shape test of a rule
    depends on that rule alone (a test with the seed as a second parent would run, and
    fail, whenever the seed is built before the rule models). -#}
{% macro finding_key_shapes() -%}
    {%- set period_rules = [
        'E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08',
        'D01', 'D02', 'D04', 'D05', 'S01', 'C01', 'T03', 'T04',
    ] -%}
    {%- set other_rules = [
        'T01', 'T02', 'D03', 'C02', 'C03', 'B01', 'B02', 'B03', 'B04', 'K01', 'K02',
    ] -%}
    {%- set shapes = {'X01': 'subject_period_fund_line'} -%}
    {%- for code in period_rules %}{% do shapes.update({code: 'subject_period'}) %}{% endfor -%}
    {%- for code in other_rules %}{% do shapes.update({code: 'subject'}) %}{% endfor -%}
    {{ return(shapes) }}
{%- endmacro %}
