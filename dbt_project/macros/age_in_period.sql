-- Whole years reached by the last day of a period (rules.md time grain), from a birth date.
{% macro age_in_period(birth_date, period_start) -%}
    (
        extract(year from {{ period_end(period_start) }})::integer
        - extract(year from {{ birth_date }})::integer
        - case
            when to_char({{ period_end(period_start) }}, 'MMDD') < to_char({{ birth_date }}, 'MMDD')
                then 1
            else 0
        end
    )
{%- endmacro %}
