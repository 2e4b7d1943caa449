-- Yuan as numeric(14,2) from text with thousands separators, blanks or full-width digits; null when unreadable.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro to_amount(expr) -%}
    (select
        case when _amount ~ '^[-+]?([0-9]{1,12}(\.[0-9]*)?|\.[0-9]+)$' then _amount::numeric(14, 2) end
    from (select replace({{ strip_blanks(to_half_width(expr)) }}, ',', '') as _amount limit 1) as _amount_text)
{%- endmacro %}
