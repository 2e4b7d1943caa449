-- True when `ymd` (a short expression, repeated) is 8-digit text YYYYMMDD naming a real calendar day.
{% macro is_calendar_date(ymd) -%}
    case
        when {{ ymd }} ~ '^[0-9]{8}$' and left({{ ymd }}, 4) <> '0000' and substr({{ ymd }}, 5, 2) between '01' and '12' and right({{ ymd }}, 2) >= '01'
            then right({{ ymd }}, 2)::integer <= case
                when substr({{ ymd }}, 5, 2) in ('04', '06', '09', '11') then 30
                when substr({{ ymd }}, 5, 2) <> '02' then 31
                when left({{ ymd }}, 4)::integer % 4 = 0 and (left({{ ymd }}, 4)::integer % 100 <> 0 or left({{ ymd }}, 4)::integer % 400 = 0) then 29
                else 28
            end
        else false
    end
{%- endmacro %}
