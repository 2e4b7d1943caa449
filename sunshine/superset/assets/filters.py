"""The native filters the dashboards share: place, fund line, period."""

from __future__ import annotations

from sunshine.superset.assets.model import Dataset, Filter


def district(dataset: Dataset) -> Filter:
    return Filter("district", "区县 District", dataset, "district_code")


def town(dataset: Dataset) -> Filter:
    return Filter("town", "镇街 Town", dataset, "town_code")


def fund_line(dataset: Dataset, column: str = "fund_line_name") -> Filter:
    return Filter("fund-line", "资金 Fund line", dataset, column, search_all=True)


def department(dataset: Dataset) -> Filter:
    return Filter("department", "主管部门 Department", dataset, "department_name")


def period(dataset: Dataset) -> Filter:
    return Filter("period", "期间 Period (YYYYMM)", dataset, "period")


def fiscal_year(dataset: Dataset) -> Filter:
    return Filter("fiscal-year", "年度 Fiscal year", dataset, "fiscal_year")


def severity(dataset: Dataset) -> Filter:
    return Filter("severity", "预警级别 Severity", dataset, "severity")


# Severity colours shared by every chart that stacks or splits by severity.
SEVERITY_COLORS = {"red": "#d32f2f", "orange": "#f57c00", "yellow": "#fbc02d"}
