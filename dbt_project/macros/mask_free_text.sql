-- Free text (a department's note) as an auditor may read it: personal data masked wherever it stands.
{#- A note is typed by people: it may quote an identity number (18 digits, x or X, or a
    legacy 15), a mobile or landline number, a bank account (any run of 12 or more
    digits) or the subject's name. Numbers are masked by shape, names by value: the names
    the alert's evidence gives and the subject's registered name (`names`, a text[]). The
    loop over names needs a function: ensure_masking_functions() creates it before the
    build, in the masked schema. -#}
{% macro mask_free_text(expr, names='null::text[]', masked_schema='marts_masked') -%}
    {{ masked_schema }}.sunshine_mask_free_text({{ expr }}, {{ names }})
{%- endmacro %}

{#- The string values under the name keys of a JSON value (payee_name, member_name...). -#}
{% macro names_in_json(expr) -%}
    array(
        select found[1]
        from regexp_matches(({{ expr }})::text, '"[a-z_]*name": "([^"]+)"', 'g') as found
    )
{%- endmacro %}

{% macro ensure_masking_functions(masked_schema='marts_masked') -%}
create schema if not exists {{ masked_schema }};
create or replace function {{ masked_schema }}.sunshine_mask_free_text(
    note text, names text[]
) returns text language plpgsql immutable parallel safe as $mask$
declare
    masked text := note;
    person_name text;
begin
    if masked is null then
        return null;
    end if;
    -- identity numbers: 18 characters (x or X last), legacy 15 digits
    masked := regexp_replace(
        masked, '(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])', '\1********\2', 'g'
    );
    masked := regexp_replace(
        masked, '(?<![0-9])([0-9]{6})[0-9]{5}([0-9]{4})(?![0-9])', '\1*****\2', 'g'
    );
    -- mobiles (1[3-9] and 9 digits), landlines (0 and an area code, a number of 7-8)
    masked := regexp_replace(
        masked, '(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])', '\1****\2', 'g'
    );
    masked := regexp_replace(
        masked, '(?<![0-9])(0[0-9]{2,3})(-?)[0-9]{3,4}([0-9]{4})(?![0-9])', '\1\2****\3', 'g'
    );
    -- bank accounts: any run of 12 or more digits, the last 4 kept
    masked := regexp_replace(masked, '(?<![0-9])[0-9]{8,}([0-9]{4})(?![0-9])', '********\1', 'g');
    foreach person_name in array coalesce(names, '{}'::text[]) loop
        if length(person_name) >= 2 then
            masked := replace(
                masked, person_name, left(person_name, 1) || repeat('*', length(person_name) - 1)
            );
        end if;
    end loop;
    return masked;
end
$mask$;
{%- endmacro %}
