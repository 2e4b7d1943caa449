-- The poverty API nests members in its household record; unnested here so a member is
-- joined like any other person, on the normalized number.
with

households as (
    select * from {{ ref('stg_poverty__households') }}
),

members as (
    select
        households.household_id,
        households.village_code,
        {{ normalize_id_number("elements.member ->> 'idNumber'") }} as id_number,
        elements.member ->> 'idNumber' as id_number_raw,
        {{ normalize_person_name("elements.member ->> 'name'") }} as name,
        elements.member ->> 'relation' as relation,
        elements.member_position
    from households
    cross join
        lateral
        jsonb_array_elements(households.members) with ordinality as elements (member, member_position)
)

select
    *,
    {{ is_valid_id_number('id_number') }} as id_number_is_valid
from members
