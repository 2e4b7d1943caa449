-- A text with every 18-digit identity number in it masked (keys like onecard:B1/<id>/FL2/202610).
{% macro mask_embedded_id_numbers(expr) -%}
    regexp_replace(
        {{ expr }}, '(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9X])(?![0-9X])', '\1********\2', 'g'
    )
{%- endmacro %}
