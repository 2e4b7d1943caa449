-- A whole number (integer or bigint) from text such as '3', ' 3 ' or Excel's '3.0'; null when unreadable.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro to_integer(expr, type='integer') -%}
    {%- set digits = 18 if type == 'bigint' else 9 -%}
    (select
        case when _int ~ '^[-+]?[0-9]{1,{{ digits }}}(\.0*)?$' then split_part(_int, '.', 1)::{{ type }} end
    from (select {{ strip_blanks(to_half_width(expr)) }} as _int limit 1) as _int_text)
{%- endmacro %}
