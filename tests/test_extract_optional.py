"""A table a contract added later (reference.division) may be absent at a source: the
night records it as `missing` and goes on; any other table missing still fails its load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.errors import SunshineError
from sunshine.load.extract import extract_object
from sunshine.simulate.databases import ddl

pytestmark = pytest.mark.slow

NIGHT = dt.date(2026, 11, 5)
SOURCE = "src_reference_without_divisions"


@pytest.fixture(scope="module")
def sources_file(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reference base that predates the division table (and lacks vehicles too)."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(SOURCE))
        )
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(SOURCE)))
    with psycopg.connect(with_database(warehouse_url, SOURCE)) as conn:
        conn.execute("create schema reference")
        conn.execute(ddl("reference", SYSTEMS["reference"].get_object("resident")))
    path = tmp_path_factory.mktemp("optional") / "sources.yaml"
    path.write_text(
        "systems:\n  reference:\n    url: ${SUNSHINE_WAREHOUSE_URL}\n"
        f"    database: {SOURCE}\n    schema: reference\n",
        encoding="utf-8",
    )
    return path


def ledger_row(url: str, obj: str) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute(
            """select status, rows_landed, error from ops.load_ledger
               where system = 'reference' and object = %s order by load_id desc limit 1""",
            (obj,),
        ).fetchone()


def test_an_absent_optional_table_is_missing_not_failed(
    warehouse_url: str, sources_file: Path
) -> None:
    outcome = extract_object("reference", "division", NIGHT, sources_file=sources_file)
    assert outcome.status == "missing"
    status, landed, error = ledger_row(warehouse_url, "division")
    assert (status, landed) == ("missing", 0)
    assert error == "table reference.division is missing at the source"
    with psycopg.connect(warehouse_url) as conn:
        (warnings,) = conn.execute(
            "select warnings from ops.night_reconciliation"
            " where night = %s and system = 'reference'",
            (NIGHT,),
        ).fetchone()
    assert "missing at the source" in warnings


def test_an_absent_table_the_contract_requires_still_fails(
    warehouse_url: str, sources_file: Path
) -> None:
    with pytest.raises(SunshineError, match="table reference.vehicle is missing at the source"):
        extract_object("reference", "vehicle", NIGHT, sources_file=sources_file)
    assert ledger_row(warehouse_url, "vehicle")[0] == "failed"
