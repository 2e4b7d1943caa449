-- A mart as an auditor may see it: the named columns masked by kind (id_number, name, account, embedded, evidence, subject).
{#- Called by a one-line model in models/marts_masked/, which it names after the mart.
    `subject` masks an alert's subject_key (and finding_key) by its subject_type. Every
    other column passes through; `embedded` masks identity numbers inside a text (keys). -#}
{% macro masked_view(mart, masks) -%}
    {{ config(alias=mart) }}
    {%- set maskers = {
        'id_number': mask_id_number,
        'name': mask_person_name,
        'account': mask_account_no,
        'evidence': mask_evidence,
        'embedded': mask_embedded_id_numbers,
    } -%}
    {%- set relation = ref(mart) -%}
    {%- if execute -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- for column in masks if column not in columns -%}
            {{ exceptions.raise_compiler_error(mart ~ " has no column " ~ column ~ " to mask") }}
        {%- endfor -%}
    {%- else -%}
        {%- set columns = [] -%}
    {%- endif %}
select
    {%- for column in columns %}
    {%- set kind = masks.get(column) %}
    {%- if kind is none %}
    {{ adapter.quote(column) }}
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
    {%- else %}
    {{ maskers[kind](column) }} as {{ column }}
    {%- endif %}
    {{- ',' if not loop.last }}
    {%- else %}
    *
    {%- endfor %}
from {{ relation }}
{%- endmacro %}
