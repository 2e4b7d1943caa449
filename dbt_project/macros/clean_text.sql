-- Text without surrounding blanks (full-width spaces included); empty text becomes null.
{% macro clean_text(expr) -%}
    nullif(regexp_replace({{ expr }}, '^{{ blank_class() }}+|{{ blank_class() }}+$', '', 'g'), '')
{%- endmacro %}
