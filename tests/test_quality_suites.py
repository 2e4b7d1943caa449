"""The quality suites: one per raw object and key mart, committed as generated, severe where
the feed cannot be trusted, and tolerant of exactly the dirt the contracts allow."""

from __future__ import annotations

import json
import re

import psycopg
import pytest

from sunshine.contracts import CATEGORIES, SYSTEMS
from sunshine.contracts.values import ALLOWED_VALUES, allowed_values
from sunshine.quality import patterns
from sunshine.quality.additions import CODE_SHAPES
from sunshine.quality.suites import FEEDS, MARTS

RAW_TABLES = {f"{code}__{obj.name}" for code, system in SYSTEMS.items() for obj in system.objects}


@pytest.fixture(scope="module")
def context():
    from sunshine.quality.context import get_context

    return get_context()


def configs(suite) -> list[str]:
    """Each expectation as canonical JSON without its id."""
    out = []
    for expectation in suite.expectations:
        config = expectation.configuration.to_json_dict()
        config.pop("id", None)
        config["meta"] = config.get("meta") or {}
        out.append(json.dumps(config, sort_keys=True, default=str))
    return sorted(out)


def by_type(suite, severity: str | None = None) -> list:
    return [
        e
        for e in suite.expectations
        if severity is None or str(getattr(e.severity, "value", e.severity)) == severity
    ]


def test_every_contract_object_has_a_suite_and_every_system_a_feed() -> None:
    assert set(FEEDS) == set(SYSTEMS)
    generated = {table for objects in FEEDS.values() for table in objects}
    assert generated == RAW_TABLES
    for feed, objects in FEEDS.items():
        assert all(table.startswith(f"{feed}__") for table in objects)
        for table, configure in objects.items():
            assert configure().name == f"raw.{table}"
    assert {configure().name for configure in MARTS.values()} == {f"marts.{m}" for m in MARTS}


def test_every_suite_has_a_checkpoint_on_its_own_table_and_batch(context) -> None:
    from great_expectations.core.partitioners import ColumnPartitionerDaily

    names = [f"raw.{t}" for t in sorted(RAW_TABLES)] + [f"marts.{m}" for m in MARTS]
    for name in names:
        checkpoint = context.checkpoints.get(name)
        (validation,) = checkpoint.validation_definitions
        assert validation.suite.name == name
        assert validation.data.data_asset.name == name
        schema, table = name.split(".")
        assert (validation.data.data_asset.schema_name, validation.data.data_asset.table_name) == (
            schema,
            table,
        )
        partitioner = validation.data.partitioner
        if schema == "raw":
            # GX can write a daily partitioner it reads back as a partition on the value.
            assert isinstance(partitioner, ColumnPartitionerDaily), name
            assert partitioner.column_name == "_night"
        else:
            assert partitioner is None, name
        assert checkpoint.result_format == {"result_format": "SUMMARY"} or (
            getattr(checkpoint.result_format, "value", None) == "SUMMARY"
        )


def test_the_committed_suites_are_what_the_code_generates(context) -> None:
    """`python -m sunshine.quality configure` was run after the last change of the suites."""
    suites = [c() for objects in FEEDS.values() for c in objects.values()]
    suites += [c() for c in MARTS.values()]
    for suite in suites:
        assert configs(context.suites.get(suite.name)) == configs(suite), suite.name


@pytest.mark.parametrize("table", sorted(RAW_TABLES))
def test_a_raw_suite_holds_the_feed_on_columns_keys_and_the_ledger(table: str) -> None:
    system, obj_name = table.split("__", 1)
    obj = SYSTEMS[system].get_object(obj_name)
    suite = FEEDS[system][table]()
    critical = by_type(suite, "critical")
    types = [e.expectation_type for e in critical]
    assert "expect_table_columns_to_match_set" in types
    not_null = {e.column for e in critical if e.expectation_type.endswith("to_not_be_null")}
    assert set(obj.key_aliases) <= not_null
    queries = [e.unexpected_rows_query for e in critical if hasattr(e, "unexpected_rows_query")]
    assert any("ops.load_ledger" in q and "rows_landed" in q for q in queries)
    has_control = getattr(SYSTEMS[system].transport, "control_file", None) is not None
    assert any("control_amount" in q for q in queries) == has_control
    # Only a source that guarantees its key (a table, an API) is held on repeated keys.
    distinct = [q for q in queries if "count(distinct _row_hash)" in q]
    assert bool(distinct) == (obj.kind != "file")
    # Identity numbers, and codes the contracts only show by example, are never a hold.
    for e in critical:
        column = getattr(e, "column", None) or ""
        assert not (column.endswith("id_number") and "regex" in e.expectation_type), column
        assert getattr(e, "regex", None) not in CODE_SHAPES.values(), column


def test_fund_money_that_staging_cannot_read_holds_its_feed() -> None:
    for system, objects in FEEDS.items():
        for table, configure in objects.items():
            obj = SYSTEMS[system].get_object(table.split("__", 1)[1])
            suite = configure()
            readable = {
                e.column
                for e in by_type(suite, "critical")
                if getattr(e, "regex", None) == patterns.AMOUNT_READABLE
            }
            money = {f.alias for f in obj.fields if f.alias.endswith("amount")}
            assert money <= readable, table


# The payment records of contracts/README.md ("Where the money reaches people"), whose
# negative amounts are reversals (README, Money): allowed data, not a warning.
PAYMENT_RECORDS = {
    "onecard__disbursement": "amount",
    "pension__benefit_payment": "amount",
    "allowance__allowance_payment": "amount",
    "education__aid_record": "amount",
    "employment__subsidies": "amount_fen",
    "poverty__assistance": "amount",
    "collective__voucher_line": "amount",
}


def _not_negative_columns(table: str) -> set[str]:
    system = table.split("__", 1)[0]
    return {
        e.meta.get("column")
        for e in FEEDS[system][table]().expectations
        if e.description == "not negative"
    }


def test_a_reversal_on_a_payment_record_is_no_warning() -> None:
    """A negative amount is a reversal where people are paid, worth a look elsewhere."""
    for table, amount in PAYMENT_RECORDS.items():
        assert amount not in _not_negative_columns(table), table
    assert "amount" in _not_negative_columns("budget__budget_indicator")
    assert "amount" in _not_negative_columns("treasury__payment_voucher")
    assert "monthly_salary" in _not_negative_columns("reference__public_employee")


def _closed_list(note: str | None) -> list[str] | None:
    """The values a contract note lists as `a | b | c` (the first word of each)."""
    if not note or " | " not in note or note.startswith(("e.g.", "relation:")):
        return None
    return [re.split(r"\s|\(", part.strip(), maxsplit=1)[0] for part in note.split(" | ")]


def test_the_allowed_values_are_the_lists_the_contracts_close() -> None:
    listed = {}
    for code, system in SYSTEMS.items():
        for obj in system.objects:
            for field in obj.fields:
                values = _closed_list(field.note)
                if field.note == "a key of fund_lines.yaml categories":
                    values = list(CATEGORIES)
                if field.type == "integer 1-4 or empty":
                    values = ["1", "2", "3", "4"]
                if values:
                    listed[(code, obj.name, field.name)] = values
    assert set(listed) == set(ALLOWED_VALUES)
    for key, values in listed.items():
        assert list(allowed_values(*key) or ()) == values, key


def test_every_closed_list_is_checked_in_its_suite() -> None:
    for (system, obj, name), values in ALLOWED_VALUES.items():
        alias = SYSTEMS[system].get_object(obj).get_field(name).alias
        suite = FEEDS[system][f"{system}__{obj}"]()
        checks = [
            e
            for e in suite.expectations
            if e.expectation_type == "expect_column_values_to_be_in_set" and e.column == alias
        ]
        assert [list(c.value_set) for c in checks] == [list(values)], (system, obj, alias)


ACCEPTED = [
    (patterns.ID_NUMBER, "32012119711022179X"),
    (patterns.ID_NUMBER, "32012119711022179x"),
    (patterns.ID_NUMBER, "  320121197110221790 "),
    (patterns.ID_NUMBER, "３２０１２１１９７１１０２２１７９０"),
    (patterns.ID_NUMBER, "\u3000320121197110221790"),
    (patterns.ID_NUMBER_OR_LEGACY, "320121711022179"),
    (patterns.CREDIT_CODE, "92320102042894778J"),
    (patterns.AMOUNT_READABLE, "1,234.50"),
    (patterns.AMOUNT_READABLE, "-8010.00"),
    (patterns.AMOUNT_READABLE, " 2500 "),
    (patterns.AMOUNT_READABLE, "１２３.４"),
    (patterns.AMOUNT_TIDY, "1,234.50"),
    (patterns.AMOUNT_TIDY, "3000"),
    (patterns.DATE_READABLE, "2026/04/10"),
    (patterns.DATE_READABLE, "20260410"),
    (patterns.DATE_READABLE, "2026-11-03T21:14:05+08:00"),
    (patterns.DATE_READABLE, "2026-11-03 21:14:05"),
    (patterns.DATE_READABLE, "2026年4月1日"),
    (patterns.DATE_READABLE, "46113"),
    (patterns.DATE_READABLE, "46113.75"),  # an Excel serial with its time of day
    (patterns.PERIOD, "202611"),
    (patterns.PERIOD, "2026-1"),
    (patterns.PERIOD, "202611.0"),
    (patterns.digits(12), "320115101201"),
    (patterns.digits(12), "320115101201.0"),
    (patterns.WHOLE_NUMBER, "3.0"),
]
REJECTED = [
    (patterns.ID_NUMBER, "320121711022179"),  # legacy form outside collective/education
    (patterns.ID_NUMBER, "3201211971102217"),
    (patterns.ID_NUMBER, "32012119711022179Y"),
    (patterns.CREDIT_CODE, "92320102042894778I"),
    (patterns.AMOUNT_READABLE, "12a"),
    (patterns.AMOUNT_READABLE, "about 30"),
    (patterns.AMOUNT_TIDY, "1234.567"),
    (patterns.AMOUNT_TIDY, "12,34.00"),
    (patterns.DATE_READABLE, "03/11/2026"),
    (patterns.DATE_READABLE, "yesterday"),
    (patterns.PERIOD, "202613"),
    (patterns.digits(12), "32011510120"),
    (patterns.WHOLE_NUMBER, "3.5"),
]


@pytest.fixture(scope="module")
def matches(warehouse_url: str):
    """Whether PostgreSQL's `~` (the operator GX uses here) matches a value."""
    conn = psycopg.connect(warehouse_url)
    yield lambda pattern, value: conn.execute("select %s ~ %s", (value, pattern)).fetchone()[0]
    conn.close()


@pytest.mark.parametrize(("pattern", "value"), ACCEPTED)
def test_shapes_accept_the_dirt_the_contracts_allow(matches, pattern: str, value: str) -> None:
    assert matches(pattern, value)


@pytest.mark.parametrize(("pattern", "value"), REJECTED)
def test_shapes_reject_what_staging_could_not_read(matches, pattern: str, value: str) -> None:
    assert not matches(pattern, value)
