-- Keep the rows of the newest delivered version of each file: a `_vN` replaces its earlier versions whole.
{% macro latest_file_version(relation) -%}
    select *
    from (
        select
            *,
            max(_file_version) over (partition by _file_base) as _latest_file_version
        from {{ relation }}
    ) as file_versions
    where _file_version = _latest_file_version
{%- endmacro %}
