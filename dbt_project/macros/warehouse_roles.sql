-- Creates the auditor and commission roles and their grants, idempotently (an on-run-start hook).
{#-
  sunshine_auditor: the masked views only (schema marts_masked). sunshine_commission: the
  marts whole and the masked views, never raw or staging. Default privileges give every
  table or view the runner creates later in those schemas the same grants, so the nightly
  rebuild of a mart keeps them. Cosmos runs dbt per model, in parallel: the block takes an
  advisory lock, and once everything is in place it only reads the catalogs, so it never
  updates a catalog row that a model being swapped in at the same time updates too.
  sunshine_reader (Superset's non-personal connection): the masked views, and in marts
  only the marts without personal data, granted by their models' `grants` config
  (dbt_project.yml), so here only the schema's usage.
-#}
{% macro ensure_warehouse_roles(masked_schema='marts_masked', marts_schema='marts') -%}
do $roles$
declare
    readers constant jsonb := jsonb_build_object(
        '{{ marts_schema }}', jsonb_build_array('sunshine_commission'),
        '{{ masked_schema }}',
        jsonb_build_array('sunshine_auditor', 'sunshine_commission', 'sunshine_reader')
    );
    target_schema text;
    reader text;
begin
    perform pg_advisory_xact_lock(hashtext('sunshine.warehouse_roles'));
    for reader in select jsonb_array_elements_text(readers -> '{{ masked_schema }}') loop
        if not exists (select from pg_roles where rolname = reader) then
            begin
                execute format('create role %I nologin', reader);
            exception
                when duplicate_object then null;  -- another database's run made it meanwhile
                when insufficient_privilege then
                raise warning 'sunshine: % may not create role %: ask an administrator to',
                    current_user, reader;
                return;
            end;
        end if;
    end loop;
    for target_schema in select jsonb_object_keys(readers) loop
        if to_regnamespace(target_schema) is null then
            execute format('create schema %I', target_schema);
        end if;
        for reader in select jsonb_array_elements_text(readers -> target_schema) loop
            if not has_schema_privilege(reader, target_schema, 'usage') then
                execute format('grant usage on schema %I to %I', target_schema, reader);
            end if;
            if not exists (
                select
                from pg_default_acl as defaults
                inner join pg_namespace as namespaces
                    on defaults.defaclnamespace = namespaces.oid
                where namespaces.nspname = target_schema
                    and defaults.defaclrole = current_user::regrole
                    and defaults.defaclobjtype = 'r'
                    and exists (
                        select from aclexplode(defaults.defaclacl) as acl
                        where acl.grantee = reader::regrole and acl.privilege_type = 'SELECT'
                    )
            ) then
                execute format(
                    'alter default privileges in schema %I grant select on tables to %I',
                    target_schema, reader
                );
                -- what exists from before the defaults, once
                execute format(
                    'grant select on all tables in schema %I to %I', target_schema, reader
                );
            end if;
        end loop;
    end loop;
    if not has_schema_privilege('sunshine_reader', '{{ marts_schema }}', 'usage') then
        execute format('grant usage on schema %I to sunshine_reader', '{{ marts_schema }}');
    end if;
end
$roles$
{%- endmacro %}
