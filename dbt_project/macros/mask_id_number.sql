-- An identity number as an auditor sees it: the first 6 and last 4 of 18 kept (320113********1234).
{% macro mask_id_number(expr) -%}
    case
        when {{ expr }} is null then null
        when length({{ expr }}) >= 10
            then left({{ expr }}, 6) || repeat('*', length({{ expr }}) - 10) || right({{ expr }}, 4)
        else repeat('*', length({{ expr }}))
    end
{%- endmacro %}
