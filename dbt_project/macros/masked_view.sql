-- A mart as an auditor may see it: every column listed, each passed or masked by its kind.
{#- Called by a one-line model in models/marts_masked/, which it names after the mart.
    `columns` lists EVERY column of the mart with its kind: 'pass' (not personal),
    'id_number', 'name', 'account', 'evidence' (a JSON value, masked by shape),
    'embedded' (identity numbers inside a key), 'subject' and 'finding_key' (by the
    alert's subject_type) or 'free_text' (typed by people: numbers by shape, and the
    names `names` gives, a text[] expression over the mart's row). A column the mart has
    and the list does not stops the build: a new column never reaches an auditor unmasked
    by default. -#}
{% macro masked_view(mart, columns, names='null::text[]') -%}
    {{ config(alias=mart) }}
    {%- set maskers = {
        'id_number': mask_id_number,
        'name': mask_person_name,
        'account': mask_account_no,
        'evidence': mask_evidence,
        'embedded': mask_embedded_id_numbers,
    } -%}
    {%- set kinds = ['pass', 'subject', 'finding_key', 'free_text'] + (maskers.keys() | list) -%}
    {%- set relation = ref(mart) -%}
    {%- for column, kind in columns.items() if kind not in kinds -%}
        {{ exceptions.raise_compiler_error(
            "masked_" ~ mart ~ ": column " ~ column ~ " has no masking kind '" ~ kind
            ~ "' (one of " ~ kinds | join(', ') ~ ")") }}
    {%- endfor -%}
    {%- if execute -%}
        {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- for column in columns if column not in present -%}
            {{ exceptions.raise_compiler_error("masked_" ~ mart ~ " lists " ~ column ~ ", which " ~ mart ~ " does not have") }}
        {%- endfor -%}
        {%- for column in present if column not in columns -%}
            {{ exceptions.raise_compiler_error(
                "masked_" ~ mart ~ " does not list " ~ mart ~ "." ~ column ~ ": add it to "
                ~ "models/marts_masked/masked_" ~ mart ~ ".sql as 'pass' if it holds no "
                ~ "personal data, else with the masking it needs") }}
        {%- endfor -%}
    {%- endif %}
select
    {%- for column, kind in columns.items() %}
    {%- if kind == 'pass' %}
    "{{ column }}"
    {%- elif kind == 'subject' %}
    case subject_type
        when 'person' then {{ mask_id_number(column) }}
        when 'account' then {{ mask_account_no(column) }}
        else {{ column }}
    end as {{ column }}
    {%- elif kind == 'finding_key' %}
    case subject_type
        when 'person' then replace({{ column }}, subject_key, {{ mask_id_number('subject_key') }})
        when 'account' then replace({{ column }}, subject_key, {{ mask_account_no('subject_key') }})
        else {{ column }}
    end as {{ column }}
    {%- elif kind == 'free_text' %}
    {{ mask_free_text('"' ~ column ~ '"', names) }} as {{ column }}
    {%- else %}
    {{ maskers[kind](column) }} as {{ column }}
    {%- endif %}
    {{- ',' if not loop.last }}
    {%- endfor %}
from {{ relation }} as {{ mart }}
{%- endmacro %}
