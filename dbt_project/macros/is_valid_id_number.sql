-- True when a normalized identity number is 17 digits and a check character, with a real birth date and the right check; null when empty.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro is_valid_id_number(expr) -%}
    (select
        case
            when _id is null then null
            when _id ~ '^[0-9]{17}[0-9X]$'
                then {{ id_number_check_char('_id') }} = right(_id, 1) and {{ is_calendar_date('substr(_id, 7, 8)') }}
            else false
        end
    from (select {{ expr }} as _id limit 1) as _id_normalized)
{%- endmacro %}
