"""What each feed must satisfy, one `configure_*` function per raw object.

Each expectation carries a GX severity: `critical` stops the feed's marts from
being published for the night, `warning` is reported and lets them through.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from sunshine.contracts import get_system
from sunshine.load.raw import METADATA_COLUMNS

CRITICAL = "critical"
WARNING = "warning"

DATE = r"^\d{4}-\d{2}-\d{2}$"
YUAN = r"^-?\d+(\.\d{1,2})?$"


def _columns_of(system: str, obj: str) -> list[str]:
    aliases = get_system(system).get_object(obj).aliases
    return [*aliases, *(name for name, _ in METADATA_COLUMNS)]


def configure_budget_department() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="raw.budget__department")
    suite.add_expectation(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=_columns_of("budget", "department"), exact_match=True, severity=CRITICAL
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(column="department_code", severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeUnique(column="department_code", severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="department_code", regex=r"^D\d{4}$", severity=WARNING
        )
    )
    return suite


def configure_budget_fund_line() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="raw.budget__fund_line")
    suite.add_expectation(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=_columns_of("budget", "fund_line"), exact_match=True, severity=CRITICAL
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(column="fund_line_code", severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeUnique(column="fund_line_code", severity=CRITICAL)
    )
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="category", severity=CRITICAL))
    return suite


def configure_budget_budget_indicator() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="raw.budget__budget_indicator")
    suite.add_expectation(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=_columns_of("budget", "budget_indicator"),
            exact_match=True,
            severity=CRITICAL,
        )
    )
    for column in ("indicator_id", "fund_line_code", "amount", "issued_date", "district_code"):
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column, severity=CRITICAL))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeUnique(column="indicator_id", severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(column="amount", regex=YUAN, severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(column="issued_date", regex=DATE, severity=CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="district_code", regex=r"^\d{6}$", severity=CRITICAL
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="level",
            value_set=["central", "provincial", "municipal", "district"],
            severity=CRITICAL,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="status", value_set=["active", "adjusted", "withdrawn"], severity=CRITICAL
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="fiscal_year", regex=r"^20\d{2}$", severity=WARNING
        )
    )
    return suite


# Feed (checkpoint) -> the raw objects it validates, each with its suite.
FEEDS = {
    "budget": {
        "budget__department": configure_budget_department,
        "budget__fund_line": configure_budget_fund_line,
        "budget__budget_indicator": configure_budget_budget_indicator,
    },
}
