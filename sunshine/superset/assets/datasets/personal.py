"""Datasets with personal data, on the personal-data connection: read from `marts` by the
commission and from `marts_masked` by everyone else (see common.py)."""

from __future__ import annotations

from sunshine.superset.assets.datasets.common import (
    DEPARTMENT,
    DEPARTMENT_CODE,
    DISTRICT,
    DISTRICT_LABEL,
    FUND_LINE,
    FUND_LINE_CODE,
    PERIOD,
    PERSONAL,
    SEVERITY,
    TOWN,
    TOWN_LABEL,
    count,
    date,
    masked_sql,
    money,
)
from sunshine.superset.assets.model import Column, Dataset, Metric

HOUSEHOLD_LEDGER = Dataset(
    key="household_ledger",
    database=PERSONAL,
    description=(
        "一户一档。Every payment to a member of a registered household, from all ten "
        "systems. Identity numbers, names and accounts are masked "
        "(320113********1234) for everyone but the commission."
    ),
    comment="Virtual: marts.household_ledger, or marts_masked.household_ledger.",
    sql=masked_sql(
        "household_ledger",
        """\
    household_no,
    household_district_code as district_code,
    household_town_code as town_code,
    household_village_code as village_code,
    coalesce(household_town_name || ' ' || household_town_code, household_town_code)
        as town_label,
    coalesce(household_village_name || ' ' || household_village_code, household_village_code)
        as village_label,
    member_id_number,
    member_name,
    is_household_benefit,
    period,
    paid_date,
    source_system,
    fund_line_code,
    fund_line_name,
    category_name_zh,
    department_name,
    benefit_kind,
    paid_in_village_code,
    coalesce(paid_in_village_name || ' ' || paid_in_village_code, paid_in_village_code)
        as paid_in_village_label,
    account_no,
    voucher_no,
    status,
    amount""",
    ),
    columns=(
        Column("household_no", "户号 Household"),
        DISTRICT,
        TOWN,
        Column("village_code", "村居 Village"),
        TOWN_LABEL,
        Column("village_label", "村居 Village", description="Village name and code."),
        Column("member_id_number", "身份证号 Identity number"),
        Column("member_name", "姓名 Name"),
        Column("is_household_benefit", "按户发放 Household benefit", "BOOLEAN"),
        PERIOD,
        date("paid_date", "发放日 Paid on"),
        Column("source_system", "来源系统 System"),
        FUND_LINE_CODE,
        FUND_LINE,
        Column("category_name_zh", "类别 Category"),
        DEPARTMENT,
        Column("benefit_kind", "待遇 Benefit"),
        Column("paid_in_village_code", "发放村居 Paid in village"),
        Column("paid_in_village_label", "发放村居 Paid in village", description="Name and code."),
        Column("account_no", "账户 Account"),
        Column("voucher_no", "凭证 Voucher"),
        Column("status", "状态 Status", description="success, failed or returned"),
        money("amount", "金额 Amount (元)"),
    ),
    metrics=(
        Metric(
            "received",
            "实发金额 Received (元)",
            "SUM(CASE WHEN status = 'success' THEN amount ELSE 0 END)",
        ),
        Metric(
            "failed_amount",
            "失败或退回 Failed or returned (元)",
            "SUM(CASE WHEN status <> 'success' THEN amount ELSE 0 END)",
        ),
        count("笔数 Payments", name="payments"),
        Metric("households", "户数 Households", "COUNT(DISTINCT household_no)", ",d"),
    ),
)

# district_code is the mart's: an indicator or voucher alert has no village but a district.
_ALERT_PLACE = """\
    district_code,
    left(village_code, 9) as town_code,"""
# alerts carries its town's name (marts.alerts.town_name), for the chart by town
_ALERT_TOWN = """\
    town_code,
    coalesce(town_name || ' ' || town_code, town_code) as town_label,"""

ALERTS = Dataset(
    key="alerts",
    database=PERSONAL,
    description=(
        "预警。One row per alert ever found (resolved ones included), its rule, severity, "
        "subject, money at risk, evidence, due date and status. Subjects and evidence "
        "are masked for everyone but the commission."
    ),
    comment="Virtual: marts.alerts, or marts_masked.alerts.",
    sql=masked_sql(
        "alerts",
        f"""\
    alert_id,
    rule_code,
    rule_code || ' ' || coalesce(rule_name_zh, '') as rule_name,
    severity,
    subject_type,
    subject_key,
    fund_line_code,
    village_code,
    coalesce(village_name || ' ' || village_code, village_code) as village_label,
    district_code,
{_ALERT_TOWN}
    coalesce(district_name || ' ' || district_code, district_code) as district_label,
    period,
    amount_at_risk,
    evidence::text as evidence,
    first_detected_on,
    last_detected_on,
    due_on,
    status,
    status in ('open', 'escalated') as is_open,
    status = 'open' and due_on < as_of_night as is_overdue,
    department_code,
    coalesce(department_name, department_code, '?') as department_name,
    disposition,
    escalated_on,
    as_of_night""",
    ),
    columns=(
        Column("alert_id", "预警编号 Alert"),
        Column("rule_code", "规则 Rule code"),
        Column("rule_name", "规则 Rule"),
        SEVERITY,
        Column("subject_type", "对象类型 Subject type"),
        Column("subject_key", "对象 Subject"),
        FUND_LINE_CODE,
        Column("village_code", "村居 Village"),
        Column("village_label", "村居 Village", description="Village name and code."),
        DISTRICT,
        DISTRICT_LABEL,
        TOWN,
        TOWN_LABEL,
        PERIOD,
        money("amount_at_risk", "涉及金额 Money at risk (元)"),
        Column(
            "evidence",
            "证据 Evidence",
            description="JSON: the source records, the measured value, the threshold.",
        ),
        date("first_detected_on", "首次发现 First found"),
        date("last_detected_on", "最近发现 Last found"),
        date("due_on", "办理期限 Due"),
        Column("status", "状态 Status"),
        Column("is_open", "未办结 Open", "BOOLEAN"),
        Column("is_overdue", "已逾期 Overdue", "BOOLEAN"),
        DEPARTMENT_CODE,
        DEPARTMENT,
        Column("disposition", "处置 Disposition"),
        date("escalated_on", "升级日 Escalated on"),
        date("as_of_night", "截至 As of night"),
    ),
    metrics=(
        count("预警 Alerts", name="alert_count"),
        count("未办结 Open", "is_open", "open_alerts"),
        count("已逾期 Overdue", "is_overdue", "overdue_alerts"),
        count("已升级 Escalated", "status = 'escalated'", "escalated_alerts"),
        Metric(
            "open_at_risk",
            "未办结涉及金额 Money at risk, open (元)",
            "SUM(CASE WHEN is_open THEN amount_at_risk ELSE 0 END)",
        ),
    ),
)

RESUPERVISION_QUEUE = Dataset(
    key="resupervision_queue",
    database=PERSONAL,
    description=(
        "再督办。The commission's re-supervision queue: every alert escalated as of the "
        "night, its department and days overdue. Subjects masked but for the commission."
    ),
    comment="Virtual: marts.resupervision_queue, or marts_masked.resupervision_queue.",
    sql=masked_sql(
        "resupervision_queue",
        f"""\
    alert_id,
    rule_code || ' ' || coalesce(rule_name_zh, '') as rule_name,
    severity,
    subject_type,
    subject_key,
    fund_line_code,
    village_code,
    coalesce(village_name || ' ' || village_code, village_code) as village_label,
{_ALERT_PLACE}
    period,
    amount_at_risk,
    coalesce(department_name, department_code, '?') as department_name,
    first_detected_on,
    due_on,
    escalated_on,
    days_overdue""",
    ),
    columns=(
        Column("alert_id", "预警编号 Alert"),
        Column("rule_name", "规则 Rule"),
        SEVERITY,
        Column("subject_type", "对象类型 Subject type"),
        Column("subject_key", "对象 Subject"),
        FUND_LINE_CODE,
        Column("village_code", "村居 Village"),
        Column("village_label", "村居 Village", description="Village name and code."),
        DISTRICT,
        TOWN,
        PERIOD,
        money("amount_at_risk", "涉及金额 Money at risk (元)"),
        DEPARTMENT,
        date("first_detected_on", "首次发现 First found"),
        date("due_on", "办理期限 Due"),
        date("escalated_on", "升级日 Escalated on"),
        Column("days_overdue", "逾期天数 Days overdue", "INTEGER", groupby=False),
    ),
    metrics=(
        count("再督办 Escalated", name="escalated"),
        Metric("at_risk", "涉及金额 Money at risk (元)", "SUM(amount_at_risk)"),
    ),
)
