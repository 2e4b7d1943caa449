"""预算指标总览 Budget overview: budget per department above the detail table."""

from dataclasses import replace

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import FUND_LINE_BUDGETS as DS
from sunshine.superset.assets.model import Cell, Dashboard, Markdown

BY_DEPARTMENT = charts.bar(
    "Budget_by_department",
    "各部门预算金额 Budget by department",
    DS,
    x="department_name",
    metric="budgeted_total",
    x_title="主管部门 Department",
    y_title="预算金额 Budgeted (元)",
    row_limit=100,
    description="Sum of budgeted_amount per department over all fund lines, years and districts.",
)
TABLE = tables.table(
    "Fund_line_budgets_table",
    "预算指标明细 Fund line budgets",
    DS,
    [
        "fund_line_code",
        "fund_line_name",
        "department_name",
        "district_label",
        "fiscal_year",
        "budgeted_amount",
        "indicator_count",
    ],
    order_by=("budgeted_amount", False),
    formats={"fiscal_year": "d", "budgeted_amount": ",.2f", "indicator_count": ",d"},
    cell_bars=True,
    description="One row per fund line, fiscal year and district.",
)
# The two charts and the dashboard predate the generator: they keep their first uuids.
BY_DEPARTMENT = replace(BY_DEPARTMENT, uuid="0bfb0fef-4507-4fe8-a050-986f895af401")
TABLE = replace(TABLE, uuid="84774980-538c-453a-933e-c2a9699b22ac")

ABOUT = Markdown(
    "about",
    "**预算指标** (budget indicators) issued to each fund line, per fiscal year and\n"
    "district, from `marts.fund_line_budgets`. Amounts in 元 (CNY); the table\n"
    "lists the largest budgets first and can be searched.",
)

BUDGET_OVERVIEW = Dashboard(
    slug="budget-overview",
    title="预算指标总览 Budget indicators",
    file="Budget_overview",
    comment="The budget overview: budget per department above the detail table.",
    uuid="7181442b-c5d5-4047-8f03-59ebed266f90",
    rows=(
        (Cell(ABOUT, 12, 10),),
        (Cell(BY_DEPARTMENT, 12, 50),),
        (Cell(TABLE, 12, 80),),
    ),
    filters=(filters.district(DS), filters.fund_line(DS), filters.fiscal_year(DS)),
)
