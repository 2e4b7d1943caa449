"""Suites of the key marts, validated whole after dbt has built them.

A mart is checked where its arithmetic or its promise to users could break without
any dbt test noticing: the fund trace must account for every budgeted fen, and an
alert must carry its evidence. A failure here is reported and fails `check_marts`;
the mart is already built, so nothing is held.
"""

from __future__ import annotations

from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe

CRITICAL = "critical"
WARNING = "warning"

TRACE_PARTS = (
    "disbursed_amount",
    "failed_amount",
    "returned_amount",
    "undisbursed_amount",
    "unlinked_amount",
)
ALERT_SEVERITIES = ["yellow", "orange", "red"]


def suite_name(mart: str) -> str:
    return f"marts.{mart}"


def _rows(query: str, description: str) -> gxe.UnexpectedRowsExpectation:
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=query, severity=CRITICAL, description=description
    )


def _not_negative(columns: tuple[str, ...]) -> gxe.UnexpectedRowsExpectation:
    condition = " or ".join(f"{c} < 0" for c in columns)
    return _rows(f"select * from {{batch}} where {condition}", f"{', '.join(columns)} >= 0")


def _suite(mart: str, checks: list) -> gx.ExpectationSuite:
    # Built from a list, the suite stays unbound: nothing is written until configured.
    return gx.ExpectationSuite(name=suite_name(mart), expectations=checks)


def configure_fund_line_budgets() -> gx.ExpectationSuite:
    key = ["fund_line_code", "fiscal_year", "district_code"]
    amounts = ("budgeted_amount", "withdrawn_amount")
    return _suite(
        "fund_line_budgets",
        [
            gxe.ExpectTableColumnsToMatchSet(
                column_set=[*key, *amounts, "indicator_count"],
                exact_match=False,
                severity=CRITICAL,
            ),
            gxe.ExpectTableRowCountToBeBetween(min_value=1, severity=CRITICAL),
            *(gxe.ExpectColumnValuesToNotBeNull(column=c, severity=CRITICAL) for c in key),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=key, severity=CRITICAL),
            _not_negative(amounts),
            gxe.ExpectColumnValuesToNotBeNull(column="department_name", severity=WARNING),
        ],
    )


def configure_fund_trace() -> gx.ExpectationSuite:
    parts = " + ".join(TRACE_PARTS)
    return _suite(
        "fund_trace",
        [
            gxe.ExpectTableColumnsToMatchSet(
                column_set=["budgeted_amount", *TRACE_PARTS], exact_match=False, severity=CRITICAL
            ),
            # `is distinct from`: a null on either side is a yuan the trace lost, not a pass.
            _rows(
                f"select * from {{batch}} where budgeted_amount is distinct from ({parts})",
                f"budgeted_amount = {parts}, to the fen",
            ),
            _not_negative(("budgeted_amount", *TRACE_PARTS[:-1])),
        ],
    )


# Text or jsonb alike: a non-empty JSON object (braces doubled for GX's str.format).
_EVIDENCE_MISSING = (
    "select alert_id, evidence from {batch}\n"
    "where evidence is not null and case\n"
    "    when pg_input_is_valid(evidence::text, 'jsonb')\n"
    "        then jsonb_typeof(evidence::text::jsonb) <> 'object'\n"
    "            or evidence::text::jsonb = '{{}}'::jsonb\n"
    "    else true\n"
    "end"
)


def configure_alerts() -> gx.ExpectationSuite:
    return _suite(
        "alerts",
        [
            gxe.ExpectTableColumnsToMatchSet(
                column_set=["alert_id", "severity", "evidence"],
                exact_match=False,
                severity=CRITICAL,
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="alert_id", severity=CRITICAL),
            gxe.ExpectColumnValuesToBeUnique(column="alert_id", severity=CRITICAL),
            gxe.ExpectColumnValuesToBeInSet(
                column="severity", value_set=ALERT_SEVERITIES, severity=CRITICAL
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="evidence", severity=CRITICAL),
            _rows(_EVIDENCE_MISSING, "evidence is a non-empty JSON object"),
        ],
    )


# Mart -> its suite. The fund trace and the alerts are validated once dbt builds them.
MARTS: dict[str, Callable[[], gx.ExpectationSuite]] = {
    "fund_line_budgets": configure_fund_line_budgets,
    "fund_trace": configure_fund_trace,
    "alerts": configure_alerts,
}
