-- The parameters each fund line actually runs on: the budget system's own row where it
-- overrides its category (standard, deadline), the category's statutory value otherwise.
with

fund_lines as (
    select * from {{ ref('stg_budget__fund_lines') }}
),

departments as (
    select * from {{ ref('stg_budget__departments') }}
),

categories as (
    select * from {{ ref('policy_categories') }}
),

joined as (
    select
        fund_lines.fund_line_code,
        fund_lines.fund_line_name,
        fund_lines.department_code,
        departments.department_name,
        fund_lines.category,
        categories.name_zh as category_name_zh,
        categories.unit,
        categories.source_system,
        coalesce(
            fund_lines.standard_amount_override,
            categories.standard_per_person_month,
            categories.standard_per_person_term,
            categories.standard_once,
            categories.standard_per_mu_year
        ) as standard_amount,
        fund_lines.standard_amount_override is not null as standard_is_overridden,
        coalesce(
            fund_lines.disburse_within_days_override, categories.disburse_within_days
        ) as disburse_within_days,
        fund_lines.disburse_within_days_override is not null as deadline_is_overridden,
        categories.cap_per_household_year,
        categories.cap_per_person_year,
        categories.min_age,
        categories.max_age,
        categories.max_disability_grade,
        coalesce(categories.once_per_lifetime, false) as once_per_lifetime,
        categories.category is not null as category_is_known
    from fund_lines
    left join departments
        on fund_lines.department_code = departments.department_code
    left join categories
        on fund_lines.category = categories.category
)

select * from joined
