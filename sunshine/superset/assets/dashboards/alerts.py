"""预警与再监督 Alerts and re-supervision: what the rules found, who must answer, what is late."""

from sunshine.superset.assets import charts, filters, tables
from sunshine.superset.assets.datasets import ALERTS as DS
from sunshine.superset.assets.datasets import RESUPERVISION_QUEUE as QUEUE
from sunshine.superset.assets.model import Cell, Dashboard, Filter, Markdown, kpi_row, note_row

ABOUT = Markdown(
    "alerts-about",
    "**预警与再监督** Alerts of the rules (`marts.alerts`): *open* awaits the\n"
    "department's disposition, *overdue* is past its due date, *escalated* went to the\n"
    "commission's re-supervision queue. Click a subject in the alerts table to see its\n"
    "evidence below. Personal data is masked for auditors.",
)
OPEN = charts.big_number(
    "Alerts_open",
    "未办结预警 Open alerts",
    DS,
    "open_alerts",
    subheader="open or escalated",
)
OVERDUE = charts.big_number(
    "Alerts_overdue",
    "已逾期 Overdue",
    DS,
    "overdue_alerts",
    subheader="open past the due date",
)
ESCALATED = charts.big_number(
    "Alerts_escalated",
    "已升级再督办 Escalated",
    DS,
    "escalated_alerts",
    subheader="in the re-supervision queue",
)
AT_RISK = charts.big_number(
    "Alerts_at_risk",
    "涉及金额 Money at risk",
    DS,
    "open_at_risk",
    subheader="元, open alerts",
)
BY_RULE = charts.bar(
    "Alerts_by_rule",
    "各规则预警 Alerts by rule",
    DS,
    x="rule_name",
    metric="alert_count",
    series="severity",
    horizontal=True,
)
BY_DEPARTMENT = charts.bar(
    "Alerts_by_department",
    "各部门预警办理 Alerts by department and status",
    DS,
    x="department_name",
    metric="alert_count",
    series="status",
)
BY_TOWN = charts.bar(
    "Alerts_by_town",
    "各镇街未办结预警 Open alerts by town",
    DS,
    x="town_label",
    metric="open_alerts",
    series="severity",
    where=("town_code IS NOT NULL",),
    description="Alerts with a village; budget and voucher alerts have none.",
)
BY_STATUS = charts.pie("Alerts_by_status", "办理状态 Status", DS, "status", "alert_count")
TABLE = tables.table(
    "Alerts_table",
    "预警清单 Alerts",
    DS,
    [
        "rule_name",
        "severity",
        "status",
        "subject_type",
        "subject_key",
        "village_label",
        "period",
        "amount_at_risk",
        "department_name",
        "due_on",
        "is_overdue",
    ],
    order_by=("amount_at_risk", False),
    formats={"amount_at_risk": ",.2f"},
    page_length=10,
)
EVIDENCE = tables.table(
    "Alerts_evidence",
    "证据 Evidence",
    DS,
    ["rule_name", "subject_key", "period", "evidence"],
    order_by=("amount_at_risk", False),
    page_length=5,
    description="The records and values that raised each alert; click an alert above.",
)
QUEUE_TABLE = tables.table(
    "Resupervision_queue",
    "再督办清单 Re-supervision queue",
    QUEUE,
    [
        "alert_id",
        "rule_name",
        "severity",
        "subject_key",
        "department_name",
        "village_label",
        "amount_at_risk",
        "due_on",
        "escalated_on",
        "days_overdue",
    ],
    order_by=("days_overdue", False),
    formats={"amount_at_risk": ",.2f", "days_overdue": ",d"},
    page_length=10,
)

ALERTS = Dashboard(
    slug="alerts",
    title="预警与再监督 Alerts and re-supervision",
    file="Alerts",
    comment="Alerts by rule, severity, department and town; open, overdue, escalated; evidence.",
    rows=(
        note_row(ABOUT),
        kpi_row(OPEN, OVERDUE, ESCALATED, AT_RISK),
        (Cell(BY_RULE, 6, 80), Cell(BY_DEPARTMENT, 6, 80)),
        (Cell(BY_TOWN, 8, 45), Cell(BY_STATUS, 4, 45)),
        (Cell(TABLE, 12, 60),),
        (Cell(EVIDENCE, 12, 45),),
        (Cell(QUEUE_TABLE, 12, 50),),
    ),
    filters=(
        filters.district(DS),
        filters.town(DS),
        filters.fund_line(DS, "fund_line_code"),
        filters.period(DS),
        Filter("rule", "规则 Rule", DS, "rule_name"),
        filters.severity(DS),
        Filter("status", "状态 Status", DS, "status"),
    ),
    label_colors=filters.SEVERITY_COLORS,
    cross_filters=True,
)
