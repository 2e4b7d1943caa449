-- A person's name as an auditor sees it: the first character, a star for each other (张**).
{% macro mask_person_name(expr) -%}
    case
        when {{ expr }} is null then null
        else left({{ expr }}, 1) || repeat('*', greatest(length({{ expr }}) - 1, 1))
    end
{%- endmacro %}
