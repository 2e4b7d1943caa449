-- An instant from ISO-8601 text: with its offset as given, without one as Asia/Shanghai wall time; null when unreadable.
{#- `limit 1` on a one-row subquery: PostgreSQL then computes the bound value once instead of inlining it into every use. -#}
{% macro to_timestamptz(expr) -%}
    (select
        case
            when not {{ is_calendar_date("replace(left(_ts, 10), '-', '')") }} then null
            when _ts ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
                then _ts::timestamptz
            when _ts ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?)?$'
                then _ts::timestamp at time zone 'Asia/Shanghai'
        end
    from (select upper({{ clean_text(expr) }}) as _ts limit 1) as _instant_text)
{%- endmacro %}
