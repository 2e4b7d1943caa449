-- A unified social credit code in one form: half-width, upper case, no blanks or hyphens.
{% macro normalize_credit_code(expr) -%}
    nullif(replace(upper({{ strip_blanks(to_half_width(expr)) }}), '-', ''), '')
{%- endmacro %}
