"""The suite of one raw object, generated from its contract.

Critical (the feed cannot be trusted, its models are held): a contract column is
missing, a key is null or names two different rows of one delivery, the ledger or a
control file disagrees with what landed, fund money is missing or unreadable, or a
column the marts count money by (`additions.CRITICAL_COLUMNS`) is off. Everything
else is a warning: reported, never held.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from sunshine.contracts import get_system
from sunshine.contracts.model import Field, FileDropTransport, SourceObject
from sunshine.contracts.values import allowed_values
from sunshine.load.raw import FILE_COLUMNS, METADATA_COLUMNS
from sunshine.quality import additions, patterns, queries
from sunshine.quality.kinds import LEGACY_ID_SYSTEMS, is_money, kind_of

CRITICAL = "critical"
WARNING = "warning"
# A date may lie this far after its night: a day for things that happened, ten years
# for the end of a term or payroll that is planned ahead.
EVENT_HORIZON_DAYS = 1
PLANNED_HORIZON_DAYS = 3660


def suite_name(system: str, obj: str) -> str:
    return f"raw.{system}__{obj}"


def raw_columns(system: str, obj: SourceObject) -> list[str]:
    extra = FILE_COLUMNS if obj.kind == "file" else ()
    return [*obj.aliases, *(name for name, _ in (*METADATA_COLUMNS, *extra))]


def _query(query: str, severity: str, description: str, column: str | None = None) -> Expectation:
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=query,
        severity=severity,
        description=description,
        meta={"column": column} if column else {},
    )


def structure(system: str, obj: SourceObject) -> list[Expectation]:
    """Columns, keys, and agreement with the ledger and control files."""
    keys = obj.key_aliases
    # A database table's or an API's key is unique at the source. A file may repeat a
    # key with different content: a double payment (rule D02) is a finding, not a defect.
    distinct_keys = WARNING if obj.kind == "file" else CRITICAL
    checks: list[Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=raw_columns(system, obj), exact_match=True, severity=CRITICAL
        ),
        *(gxe.ExpectColumnValuesToNotBeNull(column=k, severity=CRITICAL) for k in keys),
        _query(
            queries.key_unique_per_delivery(keys),
            distinct_keys,
            f"each key ({', '.join(keys)}) names one row per delivery (exact repeats are one row)",
        ),
        # Exact repeats, retries in a later file and reruns repeat a key within a night.
        _query(
            queries.key_repeats_in_night(keys),
            WARNING,
            f"each key ({', '.join(keys)}) appears once in the night's batch",
        ),
        _query(
            queries.ledger_agrees(system, obj.name),
            CRITICAL,
            "every load of the night left in raw the rows the load ledger counts",
        ),
    ]
    transport = get_system(system).transport
    if isinstance(transport, FileDropTransport) and transport.control_file is not None:
        checks.append(
            _query(
                queries.control_totals(system, obj.name, "amount"),
                CRITICAL,
                "every file's rows and amount sum agree with its control file",
            )
        )
    return checks


def _shape(kind: str, system: str, field: Field) -> str | None:
    if kind == "id_number":
        legacy = system in LEGACY_ID_SYSTEMS
        return patterns.ID_NUMBER_OR_LEGACY if legacy else patterns.ID_NUMBER
    if kind == "place_code":
        return patterns.digits(patterns.PLACE_CODE_DIGITS[field.alias])
    return {
        "credit_code": patterns.CREDIT_CODE,
        "fen": patterns.WHOLE_NUMBER,
        "yuan": patterns.AMOUNT_TIDY,
        "date": patterns.DATE_READABLE,
        "period": patterns.PERIOD,
        "integer": patterns.WHOLE_NUMBER,
    }.get(kind)


def field_checks(system: str, obj: SourceObject, field: Field) -> list[Expectation]:
    """Presence, shape, values and range of one delivered column."""
    column, kind = field.alias, kind_of(system, obj.name, field)
    money = is_money(field) and kind in ("yuan", "fen")
    held = money or column in additions.critical_columns(system, obj.name)
    severity = CRITICAL if held else WARNING
    checks: list[Expectation] = []
    if not field.nullable and column not in obj.key_aliases:
        checks.append(gxe.ExpectColumnValuesToNotBeNull(column=column, severity=severity))
    if money and kind == "yuan":
        # Staging must read it; how tidily it is written is the warning below.
        checks.append(
            gxe.ExpectColumnValuesToMatchRegex(
                column=column, regex=patterns.AMOUNT_READABLE, severity=CRITICAL
            )
        )
    example = additions.code_shape(system, obj.name, column)
    shape = example or _shape(kind, system, field)
    if shape is not None:
        # A shape the contracts only show by example, or tidy money, is worth a look only.
        strict = held and not example and not (money and kind == "yuan")
        checks.append(
            gxe.ExpectColumnValuesToMatchRegex(
                column=column, regex=shape, severity=CRITICAL if strict else WARNING
            )
        )
    if kind == "category":
        values = allowed_values(system, obj.name, field.name) or ()
        checks.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=column, value_set=list(values), severity=severity
            )
        )
    elif kind == "boolean":
        checks.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=column, value_set=["true", "false"], severity=WARNING
            )
        )
    elif kind == "json_array":
        checks.append(_query(queries.json_arrays(column), WARNING, "a JSON array", column))
    elif kind in ("yuan", "fen") and (system, obj.name) not in additions.REVERSIBLE_PAYMENTS:
        checks.append(_query(queries.not_negative(column), WARNING, "not negative", column))
    elif kind == "date":
        planned = column.endswith("_end")
        horizon = PLANNED_HORIZON_DAYS if planned else EVENT_HORIZON_DAYS
        checks.append(
            _query(
                queries.dates_in_range(column, horizon),
                WARNING,
                f"a calendar day from 1900 to {horizon} day(s) after the night",
                column,
            )
        )
    return checks


def raw_suite(system: str, obj_name: str) -> gx.ExpectationSuite:
    """The object's suite, unbound: built from a list, it writes nothing to a context."""
    obj = get_system(system).get_object(obj_name)
    checks = structure(system, obj)
    for field in obj.fields:
        checks += field_checks(system, obj, field)
    return gx.ExpectationSuite(name=suite_name(system, obj_name), expectations=checks)
