-- A date from any delivered form: YYYY-MM-DD, YYYY/M/D, YYYYMMDD, 2026年1月5日, an Excel serial, or an ISO instant (its Asia/Shanghai day).
-- An Excel serial's fraction is the time of day: the day is its whole part.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro to_local_date(expr) -%}
    (select
        case
            when _day ~ '^[0-9]{5}(\.[0-9]+)?$' then date '1899-12-30' + split_part(_day, '.', 1)::integer
            when _day ~ '[T ][0-9:.]+(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
                then ({{ to_timestamptz('_day') }} at time zone 'Asia/Shanghai')::date
            when {{ is_calendar_date('_ymd') }} then to_date(_ymd, 'YYYYMMDD')
        end
    from (
        select
            _day,
            regexp_replace(
                regexp_replace(_day, '([-/.年月])([0-9])(?![0-9])', '\10\2', 'g'),
                '^([0-9]{4})[-/.年]([0-9]{2})[-/.月]([0-9]{2})日?([T ][0-9:.]+)?$', '\1\2\3'
            ) as _ymd
        from (select upper({{ clean_text(to_half_width(expr)) }}) as _day limit 1) as _day_text
        limit 1
    ) as _day_parts)
{%- endmacro %}
