-- The regex class of characters that are blank in delivered text: ASCII, full-width, no-break and zero-width spaces, byte-order marks.
{% macro blank_class() -%}
    [[:space:]\u00a0\u3000\u200b\ufeff]
{%- endmacro %}
