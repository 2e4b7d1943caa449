"""一户一档 Household ledger: every benefit a household received, from all ten systems."""

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import HOUSEHOLD_LEDGER as DS
from sunshine.superset.assets.model import Cell, Dashboard, Filter, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "households-about",
    "**一户一档** Pick a household (户号) or an identity number in the filters: every\n"
    "payment to its members from the ten systems, failed and returned attempts included.\n"
    "Auditors see identity numbers, names and accounts masked\n"
    "(320113\\*\\*\\*\\*\\*\\*\\*\\*1234) and pick them masked.",
)
RECEIVED = charts.big_number(
    "Households_received",
    "实发金额 Received",
    DS,
    "received",
    subheader="元, successful payments net of reversals",
)
HOUSEHOLDS = charts.big_number(
    "Households_count", "户数 Households", DS, "households", subheader="registered households paid"
)
PAYMENTS = charts.big_number(
    "Households_payments", "发放笔数 Payments", DS, "payments", subheader="attempts, all statuses"
)
FAILED = charts.big_number(
    "Households_failed",
    "失败退回 Failed, returned",
    DS,
    "failed_amount",
    subheader="元, attempts that did not pay",
)
BY_SYSTEM = charts.bar(
    "Households_by_system",
    "各系统发放 Received by system",
    DS,
    x="source_system",
    metric="received",
    series="category_name_zh",
)
BY_PERIOD = charts.bar(
    "Households_by_period",
    "各月发放 Received by month",
    DS,
    x="period",
    metric="received",
    series="source_system",
    sort_by_value=False,
)
LEDGER = tables.table(
    "Households_ledger",
    "一户一档明细 Ledger",
    DS,
    [
        "household_no",
        "member_id_number",
        "member_name",
        "period",
        "paid_date",
        "source_system",
        "fund_line_name",
        "benefit_kind",
        "status",
        "amount",
        "account_no",
        "town_code",
        "village_label",
    ],
    order_by=("household_no", True),
    formats={"amount": ",.2f"},
    page_length=15,
    server_pagination=True,
)

HOUSEHOLD_LEDGER = Dashboard(
    slug="household-ledger",
    title="一户一档 Household ledger",
    file="Household_ledger",
    comment="One household's benefits across the ten systems; pick it by number or identity.",
    rows=(
        note_row(ABOUT),
        kpi_row(RECEIVED, HOUSEHOLDS, PAYMENTS, FAILED),
        (Cell(LEDGER, 12, 70),),
        (Cell(BY_SYSTEM, 6, 45), Cell(BY_PERIOD, 6, 45)),
    ),
    filters=(
        Filter("household", "户号 Household", DS, "household_no", search_all=True),
        Filter("identity", "身份证号 Identity number", DS, "member_id_number", search_all=True),
        filters.district(DS),
        filters.town(DS),
        filters.fund_line(DS),
        filters.period(DS),
        Filter("system", "来源系统 System", DS, "source_system"),
    ),
)
