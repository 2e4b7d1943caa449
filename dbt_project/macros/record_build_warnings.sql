-- The night's data tests that found rows, as ops.build_warnings: model, test, rows, where they are kept (an on-run-end hook).
{#- A warning is a test that found bad rows but did not stop the build (severity warn,
    see data_tests in dbt_project.yml); an error, a singular or snapshot test that
    failed. Each invocation that ran tests replaces the rows of its night: the night's
    last build is its word. A build run by hand without the night var is recorded with
    no night. -#}
{% macro _sql_text(value) -%}
    {%- if value is none -%}null{%- else -%}'{{ (value | string) | replace("'", "''") }}'{%- endif -%}
{%- endmacro %}

{% macro record_build_warnings(results) -%}
    {%- if execute -%}
        {%- set tests = results | selectattr('node.resource_type', 'equalto', 'test') | list -%}
        {%- set night = var('night', none) -%}
        {%- set night_sql = ("date '" ~ night ~ "'") if night else 'null::date' -%}
        {%- if tests %}
create schema if not exists ops;
create table if not exists ops.build_warnings (
    night date,
    recorded_at timestamptz not null default clock_timestamp(),
    invocation_id text not null,
    model text,
    test text not null,
    status text not null,
    failing_rows bigint,
    kept_in text,
    message text
);
{#- The data-quality dashboard reads it through the reader login: names and counts only. -#}
{%- if target.type == 'postgres' %}
do $$ begin
    if exists (select from pg_roles where rolname = 'sunshine_reader') then
        grant usage on schema ops to sunshine_reader;
        grant select (night, model, test, status, failing_rows, kept_in, message)
            on ops.build_warnings to sunshine_reader;
    end if;
end $$;
{%- endif %}
delete from ops.build_warnings where night is not distinct from {{ night_sql }};
            {%- set found = [] -%}
            {%- for result in tests if result.status in ('warn', 'fail', 'error') -%}
                {%- set node = result.node -%}
                {%- set parent = node.attached_node or (node.depends_on.nodes | first) -%}
                {%- do found.append(
                    "(" ~ night_sql ~ ", " ~ _sql_text(invocation_id) ~ ", "
                    ~ _sql_text(parent.split('.')[-1] if parent else none) ~ ", "
                    ~ _sql_text(node.name) ~ ", " ~ _sql_text(result.status) ~ ", "
                    ~ (result.failures if result.failures is not none else 'null') ~ ", "
                    ~ _sql_text(node.relation_name) ~ ", "
                    ~ _sql_text((result.message or '') | truncate(500, true)) ~ ")"
                ) -%}
            {%- endfor -%}
            {%- if found %}
insert into ops.build_warnings
    (night, invocation_id, model, test, status, failing_rows, kept_in, message)
values
    {{ found | join(',\n    ') }};
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
