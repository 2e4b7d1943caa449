-- The last day of the month that starts on `period_start` (a date), as a date.
{% macro period_end(period_start) -%}
    (({{ period_start }}) + interval '1 month' - interval '1 day')::date
{%- endmacro %}
