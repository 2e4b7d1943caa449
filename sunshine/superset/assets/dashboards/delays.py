"""资金拨付时效 Disbursement delays: money late to reach households, and who answers for it."""

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import DISBURSEMENT_DELAYS as DS
from sunshine.superset.assets.model import Cell, Dashboard, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "delays-about",
    "**资金拨付时效** Budget indicators and treasury vouchers past their disbursement\n"
    "deadline (`marts.disbursement_delays`). 黄/橙/红 yellow, orange, red by days overdue\n"
    "(supervision parameters). *Money still undisbursed* counts open items only; items\n"
    "completed late stay listed.",
)
STUCK = charts.big_number(
    "Delays_stuck_money",
    "滞留金额 Stuck money",
    DS,
    "stuck_amount",
    subheader="元, late and not yet disbursed",
)
OPEN = charts.big_number(
    "Delays_open_items",
    "未办结逾期 Late, still open",
    DS,
    "open_items",
    subheader="indicators and vouchers",
)
RED = charts.big_number(
    "Delays_red_items",
    "红色事项 Red items",
    DS,
    "red_items",
    subheader="overdue the longest",
)
LONGEST = charts.big_number(
    "Delays_longest",
    "最长逾期 Longest delay",
    DS,
    "max_days_overdue",
    subheader="days",
)
BY_FUND_LINE = charts.bar(
    "Delays_by_fund_line",
    "各资金滞留金额 Undisbursed by fund line",
    DS,
    x="fund_line_name",
    metric="stuck_amount",
    series="severity",
    horizontal=True,
    where=("NOT is_resolved",),
)
BY_DEPARTMENT = charts.bar(
    "Delays_by_department",
    "各部门滞留金额 Undisbursed by department",
    DS,
    x="department_name",
    metric="stuck_amount",
    series="severity",
    where=("NOT is_resolved",),
)
BY_TOWN = charts.bar(
    "Delays_by_town",
    "各镇街逾期事项 Late items by town",
    DS,
    x="place",
    metric="late_items",
    series="severity",
    description="A voucher's town, an indicator's district: name and code.",
)
TREND = charts.bar(
    "Delays_trend",
    "逾期趋势 Late items by deadline month",
    DS,
    x="deadline_month",
    metric="late_items",
    series="severity",
    sort_by_value=False,
    description="When the money was due: how the late items built up month by month.",
)
ITEMS = tables.table(
    "Delays_items",
    "逾期明细 Late indicators and vouchers",
    DS,
    [
        "severity",
        "days_overdue",
        "subject_type",
        "subject_key",
        "fund_line_name",
        "department_name",
        "district_label",
        "town_label",
        "deadline_date",
        "amount",
        "undisbursed_amount",
        "completed_date",
    ],
    order_by=("days_overdue", False),
    formats={"amount": ",.2f", "undisbursed_amount": ",.2f", "days_overdue": ",d"},
)

DISBURSEMENT_DELAYS = Dashboard(
    slug="disbursement-delays",
    title="资金拨付时效 Disbursement delays",
    file="Disbursement_delays",
    comment="Stuck and late money by fund line, department and town, red/orange/yellow.",
    rows=(
        note_row(ABOUT),
        kpi_row(STUCK, OPEN, RED, LONGEST),
        (Cell(BY_FUND_LINE, 6, 50), Cell(BY_DEPARTMENT, 6, 50)),
        (Cell(BY_TOWN, 6, 50), Cell(TREND, 6, 50)),
        (Cell(ITEMS, 12, 60),),
    ),
    filters=(
        filters.district(DS),
        filters.town(DS),
        filters.fund_line(DS),
        filters.department(DS),
        filters.severity(DS),
    ),
    label_colors=filters.SEVERITY_COLORS,
)
