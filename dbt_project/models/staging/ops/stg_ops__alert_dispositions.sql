{%- set relation = adapter.get_relation(
    database=source('ops', 'alert_dispositions').database,
    schema=source('ops', 'alert_dispositions').schema,
    identifier=source('ops', 'alert_dispositions').identifier,
) if execute else none -%}
with

source as (
    {%- if relation is not none or not execute %}
        select * from {{ source('ops', 'alert_dispositions') }}
    {%- else %}
    -- no alert was ever disposed on this warehouse: the table is created on first use
        select
            null::bigint as disposition_id,
            null::text as alert_id,
            null::text as disposition,
            null::text as note,
            null::text as disposed_by,
            null::timestamptz as disposed_at,
            null::text as department_code,
            null::timestamptz as recorded_at
        where false
    {%- endif %}
),

renamed as (
    select
        ---------- ids
        disposition_id,
        alert_id,
        department_code,

        ---------- strings
        disposition,
        note,
        disposed_by,

        ---------- dates: a disposition counts from the night of its local day on
        disposed_at,
        (disposed_at at time zone 'Asia/Shanghai')::date as disposed_on,
        recorded_at
    from source
)

select * from renamed
