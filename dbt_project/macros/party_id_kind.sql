-- Whose id a delivered party id is: 'person' (identity number, 15 or 18 digits) or 'enterprise' (credit code); null when empty.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro party_id_kind(expr) -%}
    (select
        case
            when _party is null then null
            when {{ is_valid_id_number(normalize_id_number('_party')) }} then 'person'
            when {{ is_valid_credit_code(normalize_credit_code('_party')) }} then 'enterprise'
            when upper(_party) ~ '^([0-9]{15}|[0-9]{17}[0-9X])$' then 'person'
            else 'enterprise'
        end
    from (select {{ strip_blanks(to_half_width(expr)) }} as _party limit 1) as _party_id)
{%- endmacro %}
