"""Hand-written parts of the raw suites: what the contract encoding cannot say by itself.

Which columns decide where money is counted (their checks hold the feed), and the
shapes of the codes the contracts only give by example.
"""

from __future__ import annotations

from sunshine.quality.patterns import padded

# Beyond the keys and the amounts, the columns the marts count money by: a status the
# fund trace does not know, or an indicator without its date, fund line or district,
# would put yuan in the wrong place. Their checks are critical.
CRITICAL_COLUMNS: dict[tuple[str, str], frozenset[str]] = {
    ("budget", "fund_line"): frozenset({"category"}),
    ("budget", "budget_indicator"): frozenset(
        {"fund_line_code", "level", "status", "issued_date", "district_code"}
    ),
    ("treasury", "payment_voucher"): frozenset({"indicator_id", "status"}),
    ("onecard", "disbursement"): frozenset({"status"}),
}

# Codes the contracts show by example ("e.g. D0107"): a different shape is worth a
# look, not a hold.
_DEPARTMENT = padded("D[0-9]{4}")
_FUND_LINE = padded("FL[0-9]{4}-[0-9]{4}")
_INDICATOR = padded("ZB[0-9]{10}")
_TREASURY_VOUCHER = padded("PV[0-9]{12}")
CODE_SHAPES: dict[str, str] = {
    "department_code": _DEPARTMENT,
    "payer_department_code": _DEPARTMENT,
    "fund_line_code": _FUND_LINE,
    "indicator_id": _INDICATOR,
    "parent_indicator_id": _INDICATOR,
    "fiscal_year": padded("20[0-9]{2}"),
}
# voucher_no is a treasury voucher in these objects; collective's vouchers are its own.
TREASURY_VOUCHER_OBJECTS = frozenset(
    {("treasury", "payment_voucher"), ("onecard", "disbursement"), ("poverty", "assistance")}
)


# The objects whose rows are payments to people (contracts/README.md, "Where the money
# reaches people"): a negative amount there is a reversal of an earlier payment (README,
# Money), data the contracts allow and staging reads (is_reversal), so no warning. Elsewhere
# (an indicator, a voucher whose returns are a status, a salary) a negative is worth a look.
REVERSIBLE_PAYMENTS = frozenset(
    {
        ("onecard", "disbursement"),
        ("pension", "benefit_payment"),
        ("allowance", "allowance_payment"),
        ("education", "aid_record"),
        ("employment", "subsidies"),
        ("poverty", "assistance"),
        ("collective", "voucher_line"),
    }
)


def critical_columns(system: str, obj: str) -> frozenset[str]:
    return CRITICAL_COLUMNS.get((system, obj), frozenset())


def code_shape(system: str, obj: str, alias: str) -> str | None:
    """The regex a code column should match, None when the contracts show no shape."""
    if alias == "voucher_no" and (system, obj) in TREASURY_VOUCHER_OBJECTS:
        return _TREASURY_VOUCHER
    return CODE_SHAPES.get(alias)
