-- Severity of `days` past a deadline, from int_supervision_parameters' delay_days_* columns; null below yellow.
{% macro delay_severity(days, parameters='parameters') -%}
    case
        when {{ days }} >= {{ parameters }}.delay_days_red then 'red'
        when {{ days }} >= {{ parameters }}.delay_days_orange then 'orange'
        when {{ days }} >= {{ parameters }}.delay_days_yellow then 'yellow'
    end
{%- endmacro %}
