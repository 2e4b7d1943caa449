{#-
    One name per division code, for people to read beside the code; filters stay on codes.
    The staging model already keeps the latest delivered version of each code, so a retired
    village (valid_to set) keeps the last name it was known by: an alert on a payment made
    there before the merger still reads as the village it was paid in. A reference base
    without the division table lands no rows: every name is null and readers see codes only.
-#}
with

divisions as (
    select
        division_code,
        division_name,
        division_level,
        valid_to
    from {{ ref('stg_reference__divisions') }}
    where division_code is not null
),

final as (
    select
        division_code,
        division_name,
        division_level,
        valid_to is not null as is_retired
    from divisions
)

select * from final
