"""数据质量 Data quality: last night's Great Expectations results and the ledger per system."""

from sunshine.superset.assets import charts, tables
from sunshine.superset.assets.datasets import NIGHT_RECONCILIATION as LOADS
from sunshine.superset.assets.datasets import QUALITY_RESULTS as DS
from sunshine.superset.assets.model import Cell, Dashboard, Filter, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "quality-about",
    "**数据质量** The last night checked: every expectation of every suite (raw\n"
    "feeds and marts), *critical* ones hold a feed's models back, *warnings* let them\n"
    "through. Below, what the extraction landed per system and night\n"
    "(`ops.night_reconciliation`).",
)
CHECKED = charts.big_number(
    "Quality_checked", "检查项 Expectations checked", DS, "checked", subheader="last night"
)
CRITICAL = charts.big_number(
    "Quality_critical",
    "严重未通过 Critical failed",
    DS,
    "critical_failed",
    subheader="hold the feed back",
)
WARNINGS = charts.big_number(
    "Quality_warnings", "警告 Warnings", DS, "warnings", subheader="reported, let through"
)
BY_SYSTEM = charts.bar(
    "Quality_by_system",
    "各系统检查结果 Expectations by system and outcome",
    DS,
    x="system",
    metric="checked",
    series="outcome",
)
FAILED = tables.table(
    "Quality_failed",
    "检查结果 Results, failures first",
    DS,
    ["outcome", "severity", "suite", "column_name", "expectation", "unexpected_count"],
    order_by=("success", True),
    formats={"unexpected_count": ",d"},
    page_length=10,
)
LANDED = charts.line(
    "Quality_rows_landed",
    "每夜落地行数 Rows landed per night",
    LOADS,
    x="night_label",
    metric="landed_rows",
    series="system",
)
RECONCILIATION = tables.table(
    "Quality_reconciliation",
    "对账 Ledger per system and night",
    LOADS,
    [
        "night",
        "system",
        "rows_at_source",
        "rows_landed",
        "rows_already_landed",
        "rows_quarantined",
        "failed_loads",
        "problems",
    ],
    order_by=("night", False),
    formats={
        "rows_at_source": ",d",
        "rows_landed": ",d",
        "rows_already_landed": ",d",
        "rows_quarantined": ",d",
    },
    page_length=11,
)

DATA_QUALITY = Dashboard(
    slug="data-quality",
    title="数据质量 Data quality",
    file="Data_quality",
    comment="Last night's GX results and the extraction ledger per system.",
    rows=(
        note_row(ABOUT),
        kpi_row(CHECKED, CRITICAL, WARNINGS),
        (Cell(BY_SYSTEM, 5, 50), Cell(FAILED, 7, 50)),
        (Cell(RECONCILIATION, 7, 55), Cell(LANDED, 5, 55)),
    ),
    filters=(Filter("system", "系统 System", LOADS, "system"),),
)
