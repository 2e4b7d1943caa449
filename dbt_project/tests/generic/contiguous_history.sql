-- Fails for every snapshot version that does not end where its key's next version starts (the last: at the open end).
{% test contiguous_history(model, key_columns) %}
with versions as (
    select
        {{ key_columns | join(', ') }},
        dbt_valid_from,
        dbt_valid_to,
        lead(dbt_valid_from) over (
            partition by {{ key_columns | join(', ') }} order by dbt_valid_from
        ) as next_valid_from,
        -- the open end (dbt_valid_to_current) is the latest dbt_valid_to of all
        max(dbt_valid_to) over () as open_until
    from {{ model }}
)

select *
from versions
where
    dbt_valid_to is null
    or dbt_valid_to < dbt_valid_from
    or dbt_valid_to <> coalesce(next_valid_from, open_until)
{% endtest %}
