-- True when a normalized credit code has GB 32100's shape and mod-31 check character; null when empty.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro is_valid_credit_code(expr) -%}
    {%- set alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY' -%}
    {%- set weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] -%}
    {%- set terms = [] -%}
    {%- for weight in weights -%}
        {%- do terms.append("(strpos('" ~ alphabet ~ "', substr(_code, " ~ loop.index ~ ", 1)) - 1) * " ~ weight) -%}
    {%- endfor -%}
    (select
        case
            when _code is null then null
            when _code ~ '^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$'
                then substr('{{ alphabet }}', (31 - ({{ terms | join(' + ') }}) % 31) % 31 + 1, 1) = right(_code, 1)
            else false
        end
    from (select {{ expr }} as _code limit 1) as _credit_code)
{%- endmacro %}
