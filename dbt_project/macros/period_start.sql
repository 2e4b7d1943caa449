-- The first day of a normalized YYYYMM period.
{% macro period_start(period) -%}
    to_date({{ period }} || '01', 'YYYYMMDD')
{%- endmacro %}
