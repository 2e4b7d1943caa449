-- A person's name: trimmed; a Chinese name without padding blanks and with one middle dot (·) between the parts of a minority name.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro normalize_person_name(expr) -%}
    (select
        case
            when _name ~ '[\u3400-\u9fff]'
                then nullif(regexp_replace(regexp_replace(
                    translate(regexp_replace(_name, '{{ blank_class() }}+', '', 'g'), ',，.．•・･∙‧⋅', '··········'),
                    '·+', '·', 'g'), '^·|·$', '', 'g'), '')
            else regexp_replace(_name, '{{ blank_class() }}+', ' ', 'g')
        end
    from (select {{ clean_text(expr) }} as _name limit 1) as _name_text)
{%- endmacro %}
