-- Keep the rows of the current version of each file: a `_vN` replaces its earlier versions whole.
-- The ledger decides what is current, not the raw rows: a `_v2` with a header and no row lands
-- nothing, yet the ledger loaded it, so its `_v1` rows go. The row's own load names its system
-- and object, so a base name is only compared within the same feed.
{% macro latest_file_version(relation) -%}
    select *
    from (
        select
            *,
            max(_file_version) over (partition by _file_base) as _latest_file_version
        from {{ relation }}
    ) as file_versions
    where
        _file_version = _latest_file_version
        and not exists (
            select
            from {{ source('ops', 'load_ledger') }} as own_load
            inner join {{ source('ops', 'load_ledger') }} as later_load
                on
                    own_load.system = later_load.system
                    and own_load.object = later_load.object
            where
                own_load.load_id = file_versions._load_id
                and later_load.file_base = file_versions._file_base
                and later_load.file_version > file_versions._file_version
                and later_load.status in ('loaded', 'unchanged')
        )
{%- endmacro %}
