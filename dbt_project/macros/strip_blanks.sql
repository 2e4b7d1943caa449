-- Text with every blank removed, inside too (for identifiers and numbers); empty text becomes null.
{% macro strip_blanks(expr) -%}
    nullif(regexp_replace({{ expr }}, '{{ blank_class() }}+', '', 'g'), '')
{%- endmacro %}
