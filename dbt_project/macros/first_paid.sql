-- Within a group of payments, the value of `expr` on the earliest one (by paid date,
-- then payment key, so a tie is broken the same way every night).
{% macro first_paid(expr) -%}
    (array_agg({{ expr }} order by paid_date, payment_key))[1]
{%- endmacro %}
