-- A code typed as text or stored by Excel as a number: no blanks, upper case, no trailing '.0', no scientific notation.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro normalize_code(expr) -%}
    (select
        case
            when _code ~ '^[0-9]+\.0+$' then split_part(_code, '.', 1)
            when _code ~ '^[0-9](\.[0-9]+)?E\+?[0-9]{1,2}$' then trunc(_code::numeric)::text
            else _code
        end
    from (select upper({{ strip_blanks(to_half_width(expr)) }}) as _code limit 1) as _code_text)
{%- endmacro %}
