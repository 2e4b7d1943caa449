"""区域热力图 Town heat map: money paid and money at risk per town (no map shapes offline)."""

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import TOWN_ACTIVITY as DS
from sunshine.superset.assets.model import Cell, Dashboard, Markdown, note_row

ABOUT = Markdown(
    "towns-about",
    "**区域热力图** Towns by name and code (no map shapes offline): money paid per town and\n"
    "month (`marts.village_summary`) beside the open alerts found there and the money\n"
    "they put at risk (`marts.alerts`).",
)
PAID_MAP = charts.heatmap(
    "Towns_paid_heatmap",
    "各镇街每月发放 Paid per town and month",
    DS,
    x="period",
    y="town_label",
    metric="paid_total",
    where=("period IS NOT NULL",),
)
ALERT_MAP = charts.heatmap(
    "Towns_alerts_heatmap",
    "各镇街每月预警 Open alerts per town and month",
    DS,
    x="period",
    y="town_label",
    metric="open_alerts_total",
    where=("period IS NOT NULL",),
)
RISK_TREE = charts.treemap(
    "Towns_risk_treemap",
    "涉险金额 Money at risk by district and town",
    DS,
    ["district_label", "town_label"],
    "at_risk_total",
)
PAID_TREE = charts.treemap(
    "Towns_paid_treemap",
    "发放金额 Money paid by district and town",
    DS,
    ["district_label", "town_label"],
    "paid_total",
)
TOWNS = tables.summary_table(
    "Towns_table",
    "镇街对比 Towns compared",
    DS,
    ["district_label", "town_label"],
    ["at_risk_total", "paid_total", "risk_per_10k_paid", "open_alerts_total", "alerts_total"],
)

TOWN_HEATMAP = Dashboard(
    slug="town-heatmap",
    title="区域热力图 Town heat map",
    file="Town_heatmap",
    comment="Alerts and money at risk against money paid, per town.",
    rows=(
        note_row(ABOUT),
        (Cell(PAID_MAP, 6, 55), Cell(ALERT_MAP, 6, 55)),
        (Cell(RISK_TREE, 6, 50), Cell(PAID_TREE, 6, 50)),
        (Cell(TOWNS, 12, 50),),
    ),
    filters=(filters.district(DS), filters.town(DS), filters.period(DS)),
)
