"""Datasets of places and operations: money and alerts per town, the nightly checks."""

from __future__ import annotations

from sunshine.superset.assets.datasets.common import (
    DISTRICT,
    DISTRICT_LABEL,
    PERIOD,
    TOWN,
    TOWN_LABEL,
    WAREHOUSE,
    count,
    date,
    money,
)
from sunshine.superset.assets.model import Column, Dataset, Metric

TOWN_ACTIVITY = Dataset(
    key="town_activity",
    database=WAREHOUSE,
    description=(
        "镇街资金与预警。Per town and period: money paid, failed and returned "
        "(marts.village_summary) beside the alerts found there and the money they put "
        "at risk (marts.alerts, counted, no person named)."
    ),
    comment=(
        "Virtual: one row per town and period (null period: alerts of rules off the\n"
        "monthly grain)."
    ),
    sql="""\
with
-- Names from the payments and from the alerts: a town with alerts and no payment in
-- the marts still reads by its name.
town_names as (
    select town_code, max(town_name) as town_name
    from (
        select town_code, town_name from marts.village_summary
        union all
        select town_code, town_name from marts_masked.alerts where town_code is not null
    ) as named
    group by town_code
),

district_names as (
    select district_code, max(district_name) as district_name
    from (
        select district_code, district_name from marts.village_summary
        union all
        select district_code, district_name from marts_masked.alerts
        where district_code is not null
    ) as named
    group by district_code
),

paid as (
    select
        town_code,
        district_code,
        period,
        sum(paid_amount) as paid_amount,
        sum(failed_amount) as failed_amount,
        sum(returned_amount) as returned_amount,
        sum(payments) as payments
    from marts.village_summary
    group by 1, 2, 3
),

alerted as (
    select
        left(village_code, 9) as town_code,
        left(village_code, 6) as district_code,
        period,
        count(*) as alerts,
        count(*) filter (where status in ('open', 'escalated')) as open_alerts,
        coalesce(sum(amount_at_risk) filter (where status in ('open', 'escalated')), 0)
            as amount_at_risk
    from marts_masked.alerts
    where village_code is not null
    group by 1, 2, 3
)

select
    town_code,
    district_code,
    coalesce(town_names.town_name || ' ' || town_code, town_code) as town_label,
    coalesce(district_names.district_name || ' ' || district_code, district_code)
        as district_label,
    period,
    coalesce(paid.paid_amount, 0) as paid_amount,
    coalesce(paid.failed_amount, 0) as failed_amount,
    coalesce(paid.returned_amount, 0) as returned_amount,
    coalesce(paid.payments, 0) as payments,
    coalesce(alerted.alerts, 0) as alerts,
    coalesce(alerted.open_alerts, 0) as open_alerts,
    coalesce(alerted.amount_at_risk, 0) as amount_at_risk
from paid
full join alerted using (town_code, district_code, period)
left join town_names using (town_code)
left join district_names using (district_code)""",
    columns=(
        TOWN,
        DISTRICT,
        TOWN_LABEL,
        DISTRICT_LABEL,
        PERIOD,
        money("paid_amount", "已发放 Paid (元)"),
        money("failed_amount", "发放失败 Failed (元)"),
        money("returned_amount", "退回 Returned (元)"),
        Column("payments", "笔数 Payments", "BIGINT", groupby=False),
        Column("alerts", "预警 Alerts", "BIGINT", groupby=False),
        Column("open_alerts", "未办结预警 Open alerts", "BIGINT", groupby=False),
        money("amount_at_risk", "涉及金额 Money at risk (元)"),
    ),
    metrics=(
        Metric("paid_total", "已发放 Paid (元)", "SUM(paid_amount)"),
        Metric("at_risk_total", "涉及金额 Money at risk (元)", "SUM(amount_at_risk)"),
        Metric("alerts_total", "预警 Alerts", "SUM(alerts)", ",d"),
        Metric("open_alerts_total", "未办结预警 Open alerts", "SUM(open_alerts)", ",d"),
        Metric(
            "risk_per_10k_paid",
            "每万元涉险 At risk per 10,000 元 paid",
            "10000 * SUM(amount_at_risk) / NULLIF(SUM(paid_amount), 0)",
        ),
    ),
)

QUALITY_RESULTS = Dataset(
    key="quality_results_last_night",
    database=WAREHOUSE,
    district_column=None,
    description=(
        "数据质量。The Great Expectations results of the last night checked: one row per "
        "suite (raw object or mart) and expectation, with its severity and outcome. "
        "Observed values and sample rows are left out: they may quote personal data."
    ),
    comment="Virtual: ops.quality_results of its latest night.",
    sql="""\
select
    night,
    case
        when suite like 'raw.%' then split_part(substr(suite, 5), '__', 1)
        else split_part(suite, '.', 1)
    end as system,
    suite,
    coalesce(object, data_asset) as object,
    expectation,
    column_name,
    severity,
    success,
    case when success then '通过 passed' else '未通过 failed' end as outcome,
    unexpected_count,
    description
from ops.quality_results
where night = (select max(night) from ops.quality_results)""",
    columns=(
        date("night", "夜次 Night"),
        Column("system", "系统 System", description="The source system, or marts."),
        Column("suite", "检查集 Suite"),
        Column("object", "对象 Table"),
        Column("expectation", "检查 Expectation"),
        Column("column_name", "字段 Column"),
        Column("severity", "级别 Severity", description="critical or warning"),
        Column("success", "通过 Passed", "BOOLEAN"),
        Column("outcome", "结果 Outcome"),
        Column("unexpected_count", "异常行 Unexpected", "BIGINT", groupby=False),
        Column("description", "说明 What it checks"),
    ),
    metrics=(
        count("检查项 Expectations checked", name="checked"),
        count("未通过 Failed", "NOT success", "failed"),
        count(
            "严重未通过 Critical failed", "NOT success AND severity = 'critical'", "critical_failed"
        ),
        count("警告 Warnings", "NOT success AND severity <> 'critical'", "warnings"),
    ),
)

NIGHT_RECONCILIATION = Dataset(
    key="night_reconciliation",
    database=WAREHOUSE,
    schema="ops",
    district_column=None,
    description=(
        "对账。What each night's extraction did per source system: rows at the source, "
        "landed, already landed, quarantined, the problems met, and the files a drop "
        "owed that night and did not deliver (freshness)."
    ),
    comment="ops.night_reconciliation (a view): one row per night and source system.",
    columns=(
        date("night", "夜次 Night"),
        Column("system", "系统 System"),
        Column("loads", "装载 Loads", "BIGINT", groupby=False),
        Column("quarantined_loads", "隔离装载 Quarantined", "BIGINT", groupby=False),
        Column("failed_loads", "失败装载 Failed", "BIGINT", groupby=False),
        Column("rows_at_source", "源端 At source", "NUMERIC", groupby=False),
        Column("rows_landed", "新落地 Landed", "NUMERIC", groupby=False),
        Column("rows_already_landed", "已落地 Already in", "NUMERIC", groupby=False),
        Column("rows_quarantined", "隔离 Quarantined", "NUMERIC", groupby=False),
        Column("rows_superseded", "被替代 Superseded", "NUMERIC", groupby=False),
        Column("problems", "问题 Problems"),
        Column("warnings", "提示 Warnings", description="Names no contract allows; tables absent."),
        Column("late_files", "未按时送达 Late files", "BIGINT", groupby=False),
        Column(
            "freshness",
            "时效 Freshness",
            description="A banking day's file the drop owed and did not deliver by the night.",
        ),
        Column(
            "night_label",
            "夜次 Night",
            expression="to_char(night, 'YYYY-MM-DD')",
        ),
    ),
    metrics=(
        Metric("source_rows", "源端 At source", "SUM(rows_at_source)", ",d"),
        Metric("landed_rows", "新落地 Landed", "SUM(rows_landed)", ",d"),
        Metric("quarantined_rows", "隔离 Quarantined", "SUM(rows_quarantined)", ",d"),
        Metric("late", "未按时送达 Late files", "SUM(late_files)", ",d"),
        Metric(
            "problem_loads",
            "有问题的装载 Loads with problems",
            "SUM(quarantined_loads + failed_loads)",
            ",d",
        ),
    ),
)

BUILD_WARNINGS = Dataset(
    key="build_warnings",
    database=WAREHOUSE,
    district_column=None,
    description=(
        "降级。The data tests of each night's last build that found bad rows: the rows were "
        "set aside (kept in schema audit, which no dashboard login reads) and the models "
        "after them still built. One row per night, model and test; none on a clean night."
    ),
    comment=(
        "Virtual: ops.build_warnings (dbt's on-run-end hook), with the line `sunshine\n"
        "nightly` prints for each (DEGRADED ...)."
    ),
    sql="""\
select
    night,
    night = (select max(night) from ops.build_warnings) as last_night,
    coalesce(model, '(no model)') as model,
    test,
    status,
    case when status = 'warn' then '警告 set aside' else '失败 failed' end as outcome,
    failing_rows,
    kept_in,
    coalesce(model, '(no model)') || ': test ' || test
    || case when status = 'warn' then ' warned on ' else ' failed on ' end
    || coalesce(to_char(failing_rows, 'FM999,999,999,990'), 'some') || ' row(s)'
    || coalesce('; kept in ' || kept_in, '') as summary,
    message
from ops.build_warnings
where night is not null""",
    columns=(
        date("night", "夜次 Night"),
        Column("last_night", "最近一夜 Last night", "BOOLEAN"),
        Column("model", "模型 Model", description="The model whose rows the test judged."),
        Column("test", "测试 Test"),
        Column("status", "状态 Status", description="warn (rows set aside) or fail/error"),
        Column("outcome", "结果 Outcome"),
        Column("failing_rows", "行数 Rows", "BIGINT", groupby=False),
        Column("kept_in", "留存 Kept in", description="The audit relation holding the rows."),
        Column("summary", "说明 What the night said"),
        Column("message", "dbt 消息 dbt's message"),
    ),
    metrics=(
        count("降级测试 Tests that found rows, last night", "last_night", "tests_last_night"),
        Metric(
            "rows_set_aside_last_night",
            "搁置行 Rows set aside, last night",
            "COALESCE(SUM(failing_rows) FILTER (WHERE last_night), 0)",
            ",d",
        ),
    ),
)
