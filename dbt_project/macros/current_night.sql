-- The night a build is for, as a SQL date: the `night` var when the DAG passes one, else
-- the latest night the load ledger recorded, so a hand-run build stamps what it saw.
{% macro current_night() %}
    {%- set night = var('night', none) -%}
    {%- if night -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', night | string) -%}
            {{ exceptions.raise_compiler_error("var night must be YYYY-MM-DD, got '" ~ night ~ "'") }}
        {%- endif -%}
        date '{{ night }}'
    {%- else -%}
        (select max(night) from ops.load_ledger)
    {%- endif -%}
{% endmacro %}
