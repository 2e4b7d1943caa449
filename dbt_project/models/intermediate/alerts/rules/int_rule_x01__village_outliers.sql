{{ config(tags=['alert_rule'], materialized='table') }}

-- X01 village outlier: for a fiscal year (the pay date's year) and a category, a village
-- whose amount per beneficiary is at or above Q3 + iqr_factor x IQR of its district's
-- villages (quartiles linear, percentile_cont), tested only where the district has at
-- least min_villages villages paid and an IQR above zero (rule_parameters X01).
-- Beneficiaries are distinct households for household units, people (or final payees)
-- otherwise; reversals net. Treasury awards to enterprises are no village's benefit.
-- Subject: the village; period: the year; fund line: the district's line (see
-- district_lines; the key names it). At risk: the money above the fence.
with

payments as (
    select * from {{ ref('int_benefit_payments') }}
    where is_paid
        and village_code is not null
        and category is not null
        and beneficiary_key is not null
        and source_system <> 'treasury'
),

per_village as (
    select
        paid_year,
        category,
        district_code,
        village_code,
        sum(amount) as amount,
        count(distinct beneficiary_key) as beneficiaries,
        -- in fen, as the truth divides: a tie with the fence falls the same way
        (sum(amount) * 100)::double precision / count(distinct beneficiary_key)
            as fen_per_beneficiary
    from payments
    group by paid_year, category, district_code, village_code
),

line_counts as (
    select
        paid_year,
        category,
        district_code,
        fund_line_code,
        count(*) as payments,
        -- poverty record ids end in the serial they were entered under, where they have
        -- the simulator's shape (AR, a date, a serial); the contract gives recordId no
        -- shape, so any other id has none, and one too long for a bigint is no serial
        -- (the cast would fail the model)
        min(
            case
                when source_system = 'poverty' and source_key ~ '^AR[0-9]{14,26}$'
                    then substr(source_key, 11)::bigint
            end
        ) as first_serial
    from payments
    group by paid_year, category, district_code, fund_line_code
),

-- the line of the first record entered where records carry their entry serial, else the
-- line most of the district's payments came from (one line per district and category,
-- bar a payment made on another district's line)
district_lines as (
    select distinct on (paid_year, category, district_code)
        paid_year,
        category,
        district_code,
        fund_line_code
    from line_counts
    order by
        paid_year asc,
        category asc,
        district_code asc,
        first_serial asc nulls last,
        payments desc,
        fund_line_code asc
),

districts as (
    select
        paid_year,
        category,
        district_code,
        count(*) as villages,
        percentile_cont(0.25) within group (order by fen_per_beneficiary) as q1,
        percentile_cont(0.75) within group (order by fen_per_beneficiary) as q3
    from per_village
    group by paid_year, category, district_code
),

fenced as (
    select
        districts.*,
        districts.q3 - districts.q1 as iqr,
        districts.q3
        + {{ rule_parameter('X01', 'iqr_factor') }}::double precision
        * (districts.q3 - districts.q1) as fence
    from districts
    where districts.villages >= {{ rule_parameter('X01', 'min_villages') }}
        and districts.q3 - districts.q1 > 0
),

outliers as (
    select
        per_village.*,
        fenced.villages,
        fenced.q1,
        fenced.q3,
        fenced.iqr,
        fenced.fence,
        district_lines.fund_line_code
    from per_village
    inner join fenced
        on per_village.paid_year = fenced.paid_year
            and per_village.category = fenced.category
            and per_village.district_code = fenced.district_code
    inner join district_lines
        on per_village.paid_year = district_lines.paid_year
            and per_village.category = district_lines.category
            and per_village.district_code = district_lines.district_code
    where per_village.fen_per_beneficiary >= fenced.fence
),

final as (
    select
        'X01'::text as rule_code,
        'village'::text as subject_type,
        village_code as subject_key,
        paid_year::text as period,
        fund_line_code,
        village_code,
        (round((fen_per_beneficiary - fence) * beneficiaries) / 100)::numeric(14, 2)
            as amount_at_risk,
        -- a statistic: a lead to look at, not a finding about any payment
        'yellow'::text as severity,
        jsonb_build_object(
            'records', jsonb_build_array(),
            'measured', round((fen_per_beneficiary / 100)::numeric, 2),
            'threshold', round((fence / 100)::numeric, 2),
            'threshold_source',
            'rule_parameters X01.iqr_factor over the district''s villages (Q3 + factor x IQR)',
            'category', category,
            'district_code', district_code,
            'villages', villages,
            'beneficiaries', beneficiaries,
            'amount', amount,
            'q1', round((q1 / 100)::numeric, 2),
            'q3', round((q3 / 100)::numeric, 2)
        ) as evidence,
        'village|' || village_code || '|' || paid_year || '|' || fund_line_code as finding_key
    from outliers
)

select * from final
