"""资金追溯 Fund trace: the budget's way to households, and each indicator's balance."""

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import FUND_FLOW
from sunshine.superset.assets.datasets import FUND_TRACE as DS
from sunshine.superset.assets.model import Cell, Dashboard, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "trace-about",
    "**资金追溯** Budget → department → fund line → town → households. Each leaf\n"
    "indicator balances: budgeted = disbursed + failed + returned + undisbursed +\n"
    "beyond budget (`marts.fund_trace`). Town flows are the money households received\n"
    "(`marts.household_ledger`).",
)
BUDGETED = charts.big_number(
    "Trace_budgeted", "预算 Budgeted", DS, "budgeted_total", subheader="元, leaf indicators"
)
DISBURSED = charts.big_number(
    "Trace_disbursed", "到户 Disbursed", DS, "disbursed_total", subheader="元, reached the payees"
)
UNDISBURSED = charts.big_number(
    "Trace_undisbursed",
    "未拨付 Undisbursed",
    DS,
    "undisbursed_total",
    subheader="元, not yet paid out",
)
BEYOND = charts.big_number(
    "Trace_beyond_budget",
    "超预算 Beyond budget",
    DS,
    "beyond_budget_total",
    subheader="元, paid with no indicator to carry it",
)
FLOW = charts.sankey(
    "Trace_flow",
    "资金流向 Where the budget went",
    FUND_FLOW,
    source="source",
    target="target",
    metric="flow",
)
BY_LINE = tables.summary_table(
    "Trace_by_fund_line",
    "各资金执行 Execution by fund line",
    DS,
    ["fund_line_name", "department_name"],
    ["budgeted_total", "disbursed_total", "undisbursed_total", "late_indicators"],
)
INDICATORS = tables.table(
    "Trace_indicators",
    "指标追溯 Per indicator",
    DS,
    [
        "indicator_id",
        "fund_line_name",
        "district_label",
        "issued_date",
        "deadline_date",
        "budgeted_amount",
        "disbursed_amount",
        "failed_amount",
        "returned_amount",
        "undisbursed_amount",
        "unlinked_amount",
        "is_late",
    ],
    order_by=("undisbursed_amount", False),
    where=("row_type = 'indicator'",),
    formats={
        name: ",.2f"
        for name in (
            "budgeted_amount",
            "disbursed_amount",
            "failed_amount",
            "returned_amount",
            "undisbursed_amount",
            "unlinked_amount",
        )
    },
)

FUND_TRACE = Dashboard(
    slug="fund-trace",
    title="资金追溯 Fund trace",
    file="Fund_trace",
    comment="Budget level -> department -> fund line -> town -> households, and per indicator.",
    rows=(
        note_row(ABOUT),
        kpi_row(BUDGETED, DISBURSED, UNDISBURSED, BEYOND),
        (Cell(FLOW, 12, 90),),
        (Cell(BY_LINE, 12, 50),),
        (Cell(INDICATORS, 12, 70),),
    ),
    filters=(filters.district(DS), filters.fund_line(DS), filters.fiscal_year(DS)),
)
