{{ config(materialized="table", indexes=[{"columns": ["id_number"], "unique": true}]) }}

-- Everyone any system names, keyed on the normalized identity number: the register's
-- facts where it knows the number, and flags where it does not. Numbers are joined as
-- normalized text only, never by name: an invalid number stays its own person.
with

residents as (
    select * from {{ ref('stg_reference__residents') }}
),

named as (
    select
        id_number,
        id_number_is_valid,
        'reference' as system
    from residents
    union all
    select
        id_number,
        id_number_is_valid,
        'onecard' as system
    from {{ ref('stg_onecard__disbursements') }}
    union all
    select
        id_number,
        id_number_is_valid,
        'dibao' as system
    from {{ ref('stg_dibao__case_members') }}
    union all
    select
        id_number,
        id_number_is_valid,
        'pension' as system
    from {{ ref('stg_pension__insured_persons') }}
    union all
    select
        id_number,
        id_number_is_valid,
        'allowance' as system
    from {{ ref('stg_allowance__allowance_payments') }}
    union all
    select
        id_number,
        id_number_is_valid,
        'education' as system
    from {{ ref('stg_education__aid_records') }}
    union all
    select
        applicant_id_number as id_number,
        applicant_id_number_is_valid as id_number_is_valid,
        'employment' as system
    from {{ ref('stg_employment__subsidies') }}
    union all
    select
        payee_id_number as id_number,
        payee_id_number_is_valid as id_number_is_valid,
        'collective' as system
    from {{ ref('stg_collective__voucher_lines') }}
    where payee_id_number is not null
    union all
    select
        id_number,
        id_number_is_valid,
        'poverty' as system
    from {{ ref('int_poverty_household_members') }}
),

seen as (
    select
        id_number,
        bool_or(id_number_is_valid) as id_number_is_valid,
        string_agg(distinct system, ',' order by system) as seen_in_systems
    from named
    where id_number is not null and id_number <> ''
    group by id_number
),

registered as (
    select
        seen.id_number,
        seen.id_number_is_valid,
        residents.id_number is not null as is_registered,
        case
            when seen.id_number ~ '^[0-9]{17}[0-9X]$'
                and {{ is_calendar_date('substr(seen.id_number, 7, 8)') }}
                then to_date(substr(seen.id_number, 7, 8), 'YYYYMMDD')
        end as embedded_birth_date,
        residents.name,
        residents.gender,
        residents.birth_date,
        residents.death_date,
        residents.household_no,
        residents.village_code,
        left(residents.village_code, 9) as town_code,
        left(residents.village_code, 6) as district_code,
        seen.seen_in_systems
    from seen
    left join residents
        on seen.id_number = residents.id_number
),

flagged as (
    select
        *,
        (is_registered and embedded_birth_date is distinct from birth_date)
            as birth_date_disagrees
    from registered
)

select * from flagged
