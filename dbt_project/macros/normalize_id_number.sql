-- A resident identity number in one form: half-width, no blanks, upper-case X, a 15-digit legacy number upgraded to 18.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro normalize_id_number(expr) -%}
    (select
        case
            when _id ~ '^[0-9]{15}$'
                then left(_id, 6) || '19' || right(_id, 9) || {{ id_number_check_char("(left(_id, 6) || '19' || right(_id, 9))") }}
            else _id
        end
    from (select upper({{ strip_blanks(to_half_width(expr)) }}) as _id limit 1) as _id_cleaned)
{%- endmacro %}
