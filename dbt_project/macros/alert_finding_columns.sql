-- The columns every alert rule model returns, with their types (models/intermediate/alerts/README.md).
{% macro alert_finding_columns() -%}
    {{ return([
        ('rule_code', 'text'),
        ('subject_type', 'text'),
        ('subject_key', 'text'),
        ('period', 'text'),
        ('fund_line_code', 'text'),
        ('village_code', 'text'),
        ('amount_at_risk', 'numeric(14, 2)'),
        ('severity', 'text'),
        ('evidence', 'jsonb'),
        ('finding_key', 'text'),
    ]) }}
{%- endmacro %}
