-- A bank account as an auditor sees it: stars, then the last 4 characters (************5678).
{% macro mask_account_no(expr) -%}
    case
        when {{ expr }} is null then null
        when length({{ expr }}) > 4
            then repeat('*', length({{ expr }}) - 4) || right({{ expr }}, 4)
        else repeat('*', length({{ expr }}))
    end
{%- endmacro %}
