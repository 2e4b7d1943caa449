-- Yuan as numeric(14,2) from a whole number of fen (cents); null when unreadable.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro fen_to_yuan(expr) -%}
    (select
        case when _fen ~ '^[-+]?[0-9]{1,14}(\.0*)?$' then (_fen::numeric / 100)::numeric(14, 2) end
    from (select replace({{ strip_blanks(to_half_width(expr)) }}, ',', '') as _fen limit 1) as _fen_text)
{%- endmacro %}
