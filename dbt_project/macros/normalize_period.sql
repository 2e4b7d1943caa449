-- A month as YYYYMM text (varchar(6)) from 202611, 2026-11, 2026/1, 2026年11月 or Excel's 202611.0; null when not a month.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro normalize_period(expr) -%}
    (select
        case when _month[2]::integer between 1 and 12 then (_month[1] || lpad(_month[2], 2, '0'))::varchar(6) end
    from (
        select coalesce(
            regexp_match(_period, '^([0-9]{4})([0-9]{2})(\.0*)?$'),
            regexp_match(_period, '^([0-9]{4})[-/.年]([0-9]{1,2})月?$')
        ) as _month
        from (select {{ strip_blanks(to_half_width(expr)) }} as _period limit 1) as _period_text
        limit 1
    ) as _period_parts)
{%- endmacro %}
