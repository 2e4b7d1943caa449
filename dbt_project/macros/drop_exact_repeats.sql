-- Keep one of each set of rows a file repeats exactly (same file, same row hash): the first one.
{% macro drop_exact_repeats(relation) -%}
    select distinct on (_file_base, _file_version, _row_hash) *
    from {{ relation }}
    order by _file_base, _file_version, _row_hash, _row_number
{%- endmacro %}
