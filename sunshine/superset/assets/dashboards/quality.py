"""数据质量 Data quality: last night's GX results, what the build set aside, the ledger."""

from sunshine.superset.assets import charts, tables
from sunshine.superset.assets.datasets import BUILD_WARNINGS as BUILD
from sunshine.superset.assets.datasets import NIGHT_RECONCILIATION as LOADS
from sunshine.superset.assets.datasets import QUALITY_RESULTS as DS
from sunshine.superset.assets.model import Cell, Dashboard, Filter, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "quality-about",
    "**数据质量** The last night checked: every expectation of every suite (raw\n"
    "feeds and marts), *critical* ones hold a feed's models back, *warnings* let them\n"
    "through. A *degraded* night is one whose build set rows aside: a data test\n"
    "found them, kept them in schema `audit` and the models after it still built\n"
    "(`ops.build_warnings`, the DEGRADED lines `sunshine nightly` prints). Below, what\n"
    "the extraction landed per system and night (`ops.night_reconciliation`); *freshness*\n"
    "names a banking day's one-card file that had not arrived by its night.",
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
SET_ASIDE = charts.big_number(
    "Quality_set_aside",
    "搁置行 Rows set aside",
    BUILD,
    "rows_set_aside_last_night",
    subheader="by the last build's data tests",
)
DEGRADED = tables.table(
    "Quality_degraded",
    "降级 What each night's build set aside",
    BUILD,
    ["night", "outcome", "model", "test", "failing_rows", "kept_in", "summary"],
    order_by=("night", False),
    formats={"failing_rows": ",d"},
    page_length=10,
    description="One row per night, model and test that found rows; none on a clean night.",
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
LATE = charts.big_number(
    "Quality_late_files",
    "未按时送达 Late files",
    LOADS,
    "late",
    subheader="owed by a banking night and not delivered (all nights)",
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
        "freshness",
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
    comment="Last night's GX results, the build's set-aside rows, the extraction ledger.",
    rows=(
        note_row(ABOUT),
        kpi_row(CHECKED, CRITICAL, WARNINGS),
        kpi_row(SET_ASIDE, LATE),
        (Cell(BY_SYSTEM, 5, 50), Cell(FAILED, 7, 50)),
        (Cell(DEGRADED, 12, 45),),
        (Cell(RECONCILIATION, 7, 55), Cell(LANDED, 5, 55)),
    ),
    filters=(Filter("system", "系统 System", LOADS, "system"),),
)
