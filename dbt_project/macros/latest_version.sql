-- Keep one row per key (columns or expressions): the newest delivered version, by a change stamp, then load order.
{% macro latest_version(relation, key, changed_at) -%}
    select distinct on ({{ key | join(', ') }}) *
    from {{ relation }}
    order by {{ key | join(', ') }}, {{ changed_at }} desc nulls last, _load_id desc, _row_number desc
{%- endmacro %}
