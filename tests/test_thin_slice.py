"""One night end to end: budget source -> Airflow -> raw + ledger -> GX -> dbt -> mart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.fixtures import SOURCE_DATABASE
from support import NIGHT, run_cli

pytestmark = pytest.mark.slow

OBJECTS = ("department", "fund_line", "budget_indicator")


def query(url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def source_count(url: str, table: str) -> int:
    return query(with_database(url, SOURCE_DATABASE), f"select count(*) from budget.{table}")[0][0]


def test_every_source_row_lands_in_raw_and_the_ledger_says_so(
    night_run, warehouse_url: str
) -> None:
    for obj in OBJECTS:
        at_source = source_count(warehouse_url, obj)
        landed = query(
            warehouse_url, f"select count(*) from raw.budget__{obj} where _night = %s", NIGHT
        )
        ledger = query(
            warehouse_url,
            """select status, rows_at_source, rows_landed from ops.load_ledger
               where system = 'budget' and object = %s and night = %s order by load_id""",
            obj,
            NIGHT,
        )
        assert at_source > 0
        assert landed == [(at_source,)], obj
        assert ledger[0] == ("loaded", at_source, at_source), obj


def test_the_mart_counts_each_leaf_yuan_once(night_run, warehouse_url: str) -> None:
    expected = query(
        with_database(warehouse_url, SOURCE_DATABASE),
        """select fund_line_code, sum(amount) from budget.budget_indicator i
           where status <> 'withdrawn'
             and not exists (select 1 from budget.budget_indicator c
                             where c.parent_indicator_id = i.indicator_id)
           group by fund_line_code order by 1""",
    )
    got = query(
        warehouse_url,
        """select fund_line_code, sum(budgeted_amount) from marts.fund_line_budgets
           group by fund_line_code order by 1""",
    )
    assert got == expected
    names = query(
        warehouse_url, "select count(*) from marts.fund_line_budgets where department_name is null"
    )
    assert names == [(0,)]
    withdrawn = query(warehouse_url, "select sum(withdrawn_amount) from marts.fund_line_budgets")
    assert withdrawn[0][0] > Decimal(0)


def test_quality_results_of_the_night_are_in_the_warehouse(night_run, warehouse_url: str) -> None:
    rows = query(
        warehouse_url,
        """select suite, count(*), bool_and(success) from ops.quality_results
           where night = %s group by suite order by suite""",
        NIGHT,
    )
    feeds = [row for row in rows if row[0].startswith("raw.")]
    assert [suite for suite, _, _ in feeds] == [f"raw.budget__{obj}" for obj in sorted(OBJECTS)]
    assert all(count >= 3 and ok for _, count, ok in feeds)
    # the key marts are checked after the build, in the same table
    assert ("marts.fund_line_budgets", True) in {(suite, ok) for suite, _, ok in rows}


def test_a_rerun_of_the_same_night_changes_nothing(
    night_run, warehouse_url: str, budget_sources: Path
) -> None:
    def snapshot() -> tuple:
        raw = tuple(
            query(warehouse_url, f"select count(*) from raw.budget__{o}")[0][0] for o in OBJECTS
        )
        mart = query(warehouse_url, "select * from marts.fund_line_budgets order by 1, 6, 7")
        quality = query(
            warehouse_url, "select count(*) from ops.quality_results where night = %s", NIGHT
        )
        return raw, mart, quality

    before = snapshot()
    result = run_cli("nightly", "--date", NIGHT, "--sources", str(budget_sources))
    assert result.returncode == 0, result.stderr[-2000:]
    assert snapshot() == before
    last = query(
        warehouse_url,
        """select distinct on (object) object, status, rows_landed from ops.load_ledger
           where night = %s order by object, load_id desc""",
        NIGHT,
    )
    assert {(obj, status, landed) for obj, status, landed in last} == {
        (obj, "unchanged", 0) for obj in OBJECTS
    }


def test_a_broken_source_table_fails_its_task_and_the_rest_still_loads(
    night_run, warehouse_url: str, budget_sources: Path
) -> None:
    night = dt.date.fromisoformat(NIGHT) + dt.timedelta(days=1)
    source = with_database(warehouse_url, SOURCE_DATABASE)
    with psycopg.connect(source, autocommit=True) as conn:
        conn.execute("alter table budget.department rename column department_name to dept_name")
        conn.execute(
            "update budget.fund_line set updated_at = %s", (dt.datetime.combine(night, dt.time(9)),)
        )
    try:
        result = run_cli("nightly", "--date", str(night), "--sources", str(budget_sources))
    finally:
        with psycopg.connect(source, autocommit=True) as conn:
            conn.execute("alter table budget.department rename column dept_name to department_name")
    assert result.returncode == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "sunshine_extract failed" in error_lines[0], result.stderr
    ledger = dict(
        (
            (obj, (status, error))
            for obj, status, error in query(
                warehouse_url,
                "select object, status, error from ops.load_ledger where night = %s",
                str(night),
            )
        )
    )
    assert ledger["department"][0] == "failed"
    assert "department_name" in ledger["department"][1]
    assert ledger["fund_line"][0] == "loaded"
    landed = query(
        warehouse_url, "select count(*) from raw.budget__fund_line where _night = %s", str(night)
    )
    assert landed[0][0] == source_count(warehouse_url, "fund_line")
