"""Datasets of the budget's way: budgets, the trace per indicator, delays, the flows."""

from __future__ import annotations

from sunshine.superset.assets.datasets.common import (
    CATEGORY,
    DEPARTMENT,
    DEPARTMENT_CODE,
    DISTRICT,
    FUND_LINE,
    FUND_LINE_CODE,
    SEVERITY,
    TOWN,
    WAREHOUSE,
    count,
    date,
    label,
    money,
)
from sunshine.superset.assets.model import Column, Dataset, Metric

FUND_LINE_BUDGETS = Dataset(
    key="fund_line_budgets",
    database=WAREHOUSE,
    schema="marts",
    description=(
        "预算指标按资金、年度和区县汇总。Budget indicators per fund line, fiscal year and "
        "district: what was budgeted, what was withdrawn, and when indicators were issued."
    ),
    comment="marts.fund_line_budgets: one row per fund line (资金), fiscal year and district.",
    uuid="b440e7a5-2fe1-42eb-96d9-893bd1db8f6b",
    columns=(
        FUND_LINE_CODE,
        FUND_LINE,
        CATEGORY,
        DEPARTMENT_CODE,
        DEPARTMENT,
        Column("fiscal_year", "年度 Fiscal year", "INTEGER"),
        DISTRICT,
        label("district"),
        Column("indicator_count", "指标数 Indicators", "INTEGER", groupby=False),
        money("budgeted_amount", "预算金额 Budgeted (元)"),
        money("withdrawn_amount", "收回金额 Withdrawn (元)"),
        date("first_issued_date", "首次下达 First issued"),
        date("last_issued_date", "最近下达 Last issued"),
    ),
    metrics=(
        Metric("budgeted_total", "预算金额合计 Budgeted total (元)", "SUM(budgeted_amount)"),
        Metric("withdrawn_total", "收回金额合计 Withdrawn total (元)", "SUM(withdrawn_amount)"),
        Metric("indicator_total", "指标数合计 Indicators", "SUM(indicator_count)", ",d"),
        count("行数 Rows"),
    ),
)

DISBURSEMENT_DELAYS = Dataset(
    key="disbursement_delays",
    database=WAREHOUSE,
    schema="marts",
    description=(
        "逾期拨付。Each budget indicator and treasury voucher past its disbursement "
        "deadline as of the night built, still open or completed late, with the days "
        "overdue and a severity (yellow, orange, red) from the supervision parameters."
    ),
    comment="marts.disbursement_delays: one row per late indicator or voucher.",
    columns=(
        Column("delay_key", "键 Key"),
        Column("subject_type", "对象 Subject", description="indicator or voucher"),
        Column("subject_key", "指标或凭证 Indicator or voucher"),
        FUND_LINE_CODE,
        FUND_LINE,
        DEPARTMENT_CODE,
        DEPARTMENT,
        CATEGORY,
        DISTRICT,
        TOWN,
        label("district"),
        label("town", "town_label"),
        Column(
            "place",
            "镇街/区县 Town",
            expression=(
                "coalesce(town_name || ' ' || town_code, town_code,"
                " district_name || ' ' || district_code, district_code)"
            ),
            description="The town of a voucher, else the indicator's district: name and code.",
        ),
        date("start_date", "起算日 Clock started"),
        date("deadline_date", "拨付期限 Deadline"),
        Column(
            "deadline_month",
            "期限月份 Deadline month",
            expression="to_char(deadline_date, 'YYYY-MM')",
        ),
        money("amount", "金额 Amount (元)"),
        money("disbursed_amount", "已拨付 Disbursed (元)"),
        money("undisbursed_amount", "未拨付 Undisbursed (元)"),
        date("completed_date", "拨付完成 Completed"),
        Column("is_resolved", "已拨付完毕 Completed late", "BOOLEAN"),
        Column("days_overdue", "逾期天数 Days overdue", "INTEGER", groupby=False),
        SEVERITY,
        date("as_of_night", "截至 As of night"),
    ),
    metrics=(
        Metric(
            "stuck_amount",
            "滞留金额 Money still undisbursed (元)",
            "SUM(CASE WHEN NOT is_resolved THEN undisbursed_amount ELSE 0 END)",
        ),
        count("逾期事项 Late items", name="late_items"),
        count("未办结 Open", "NOT is_resolved", "open_items"),
        count("红色 Red", "severity = 'red'", "red_items"),
        Metric("max_days_overdue", "最长逾期天数 Longest delay (days)", "MAX(days_overdue)", ",d"),
    ),
)

FUND_TRACE = Dataset(
    key="fund_trace",
    database=WAREHOUSE,
    schema="marts",
    description=(
        "资金追溯。Where each leaf budget indicator's money went (treasury, households, "
        "failed, returned, undisbursed), plus the money no indicator can be named for."
    ),
    comment="marts.fund_trace: one row per leaf indicator, and per kind of unlinked money.",
    columns=(
        Column("trace_key", "键 Key"),
        Column("row_type", "行类型 Row", description="indicator or unlinked"),
        Column("unlinked_reason", "无指标原因 Why unlinked"),
        FUND_LINE_CODE,
        FUND_LINE,
        DEPARTMENT_CODE,
        DEPARTMENT,
        CATEGORY,
        DISTRICT,
        label("district"),
        Column("fiscal_year", "年度 Fiscal year", "INTEGER"),
        Column("indicator_id", "指标 Indicator"),
        date("issued_date", "下达日 Issued"),
        money("budgeted_amount", "预算 Budgeted (元)"),
        money("treasury_paid_amount", "国库支付 Treasury paid (元)"),
        money("disbursed_amount", "到户 Disbursed (元)"),
        money("failed_amount", "失败 Failed (元)"),
        money("returned_amount", "退回 Returned (元)"),
        money("undisbursed_amount", "未拨付 Undisbursed (元)"),
        money("unlinked_amount", "超出或无指标 Beyond budget (元)"),
        date("deadline_date", "拨付期限 Deadline"),
        Column("is_late", "逾期 Late", "BOOLEAN"),
        Column("days_to_complete", "完成天数 Days to complete", "INTEGER", groupby=False),
    ),
    metrics=(
        Metric("budgeted_total", "预算 Budgeted (元)", "SUM(budgeted_amount)"),
        Metric("disbursed_total", "到户 Disbursed (元)", "SUM(disbursed_amount)"),
        Metric("undisbursed_total", "未拨付 Undisbursed (元)", "SUM(undisbursed_amount)"),
        Metric(
            "beyond_budget_total",
            "超出或无指标 Paid beyond or without an indicator (元)",
            "SUM(-unlinked_amount)",
        ),
        count("指标数 Indicators", "row_type = 'indicator'", "indicators"),
        count("逾期指标 Late indicators", "is_late", "late_indicators"),
    ),
)

FUND_FLOW = Dataset(
    key="fund_flow",
    database=WAREHOUSE,
    description=(
        "资金流向。The budget's way as the edges of a Sankey diagram: budget to "
        "department, department to fund line, fund line to town (money households "
        "received) or to undisbursed, town to its households."
    ),
    comment=(
        "Virtual: one row per edge, district, fund line and year, from marts.fund_trace\n"
        "(indicators) and marts.household_ledger (money received, no person named)."
    ),
    sql="""\
with lines as (
    select
        fund_line_code,
        coalesce(department_name, department_code, '?') as department_name,
        coalesce(fund_line_name, fund_line_code) as fund_line_name,
        district_code,
        fiscal_year,
        sum(budgeted_amount) as budgeted_amount,
        sum(undisbursed_amount) as undisbursed_amount
    from marts.fund_trace
    where row_type = 'indicator'
    group by 1, 2, 3, 4, 5
),

-- Fund lines with at least 2% of the budget are nodes of their own; the many small
-- ones share one node, or their labels would pile up on each other.
nodes as (
    select
        fund_line_code,
        case
            when sum(budgeted_amount) >= 0.02 * sum(sum(budgeted_amount)) over ()
                then min(fund_line_name)
            else '其他资金 Other fund lines'
        end as node
    from lines
    group by fund_line_code
),

received as (
    select
        ledger.fund_line_code,
        coalesce(ledger.fund_line_name, ledger.fund_line_code) as fund_line_name,
        coalesce(nodes.node, '其他资金 Other fund lines') as node,
        ledger.household_district_code as district_code,
        '镇街 ' || coalesce(
            ledger.household_town_name || ' ' || ledger.household_town_code,
            ledger.household_town_code,
            '?'
        ) as town,
        left(ledger.period, 4)::integer as fiscal_year,
        sum(ledger.amount) as amount
    from marts_masked.household_ledger as ledger
    left join nodes on ledger.fund_line_code = nodes.fund_line_code
    where ledger.status = 'success'
    group by 1, 2, 3, 4, 5, 6
)

select
    '预算指标 Budget' as source,
    department_name as target,
    district_code,
    fund_line_name,
    fiscal_year,
    budgeted_amount as amount
from lines
union all
select department_name, node, district_code, fund_line_name, fiscal_year, budgeted_amount
from lines inner join nodes using (fund_line_code)
union all
select node, '未拨付 Undisbursed', district_code, fund_line_name, fiscal_year, undisbursed_amount
from lines inner join nodes using (fund_line_code)
where undisbursed_amount > 0
union all
select node, town, district_code, fund_line_name, fiscal_year, amount
from received
union all
select town, '到户 Households', district_code, fund_line_name, fiscal_year, amount
from received""",
    columns=(
        Column("source", "从 From"),
        Column("target", "到 To"),
        DISTRICT,
        FUND_LINE,
        Column("fiscal_year", "年度 Fiscal year", "INTEGER"),
        money("amount", "金额 Amount (元)"),
    ),
    metrics=(Metric("flow", "金额 Amount (元)", "SUM(amount)"),),
)
