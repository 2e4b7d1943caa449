-- A group's payments as evidence records (system, object, key), earliest first: what an
-- alert's evidence JSON names so a department can find the source rows.
{% macro payment_records() -%}
    jsonb_agg(
        jsonb_build_object('system', source_system, 'object', source_object, 'key', source_key)
        order by paid_date, payment_key
    )
{%- endmacro %}
