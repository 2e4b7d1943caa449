-- A bank account number as its characters only: half-width, no blanks or hyphens.
{% macro normalize_account_no(expr) -%}
    nullif(replace({{ strip_blanks(to_half_width(expr)) }}, '-', ''), '')
{%- endmacro %}
