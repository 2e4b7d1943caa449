with

indicators as (
    select * from {{ ref('int_budget_indicators_classified') }}
    where is_leaf
),

fund_lines as (
    select * from {{ ref('stg_budget__fund_lines') }}
),

departments as (
    select * from {{ ref('stg_budget__departments') }}
),

place_names as (
    select * from {{ ref('int_place_names') }}
),

by_district as (
    select
        fund_line_code,
        fiscal_year,
        district_code,
        count(*) filter (where not is_withdrawn) as indicator_count,
        coalesce(sum(amount) filter (where not is_withdrawn), 0) as budgeted_amount,
        coalesce(sum(amount) filter (where is_withdrawn), 0) as withdrawn_amount,
        min(issued_date) as first_issued_date,
        max(issued_date) as last_issued_date
    from indicators
    group by fund_line_code, fiscal_year, district_code
),

final as (
    select
        by_district.fund_line_code,
        fund_lines.fund_line_name,
        fund_lines.category,
        fund_lines.department_code,
        departments.department_name,
        by_district.fiscal_year,
        by_district.district_code,
        districts.division_name as district_name,
        by_district.indicator_count::integer as indicator_count,
        by_district.budgeted_amount::numeric(16, 2) as budgeted_amount,
        by_district.withdrawn_amount::numeric(16, 2) as withdrawn_amount,
        by_district.first_issued_date,
        by_district.last_issued_date
    from by_district
    left join fund_lines
        on by_district.fund_line_code = fund_lines.fund_line_code
    left join departments
        on fund_lines.department_code = departments.department_code
    left join place_names as districts
        on by_district.district_code = districts.division_code
)

select * from final
