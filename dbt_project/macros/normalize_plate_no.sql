-- A vehicle plate number in one form: half-width, upper case, no blanks, separators or middle dot (苏A·12345 -> 苏A12345).
{% macro normalize_plate_no(expr) -%}
    nullif(regexp_replace(upper({{ strip_blanks(to_half_width(expr)) }}), '[-.·•・]', '', 'g'), '')
{%- endmacro %}
