"""The hold, through real Airflow nights of the small budget fixture.

Night 1 delivers a department code of an unexpected shape: a warning, reported, and
the budget marts are built. Night 2 delivers an indicator without its key: a critical
failure, `check_budget` fails naming it, the night's build leaves the budget models
out so marts.fund_line_budgets keeps night 1's data, another feed's models still
build, and the run is not green. Whether dbt rebuilt a relation is read from
PostgreSQL: dbt replaces a view or table by a new one, with a new oid.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import psycopg
import pytest

from sunshine import fixtures
from sunshine.config import with_database
from sunshine.paths import airflow_home
from support import NIGHT, run_cli

pytestmark = pytest.mark.slow

FIRST = dt.date.fromisoformat(NIGHT)
SECOND = FIRST + dt.timedelta(days=1)
SOURCE = "quality_budget"
WAREHOUSE = "sunshine_quality_hold"
MART = "select * from marts.fund_line_budgets order by fund_line_code, fiscal_year, district_code"
# A relation of the held feed, one built from it, and one of another feed.
RELATIONS = (
    "staging.stg_budget__budget_indicators",
    "marts.fund_line_budgets",
    "staging.stg_reference__residents",
)


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def fetch(url: str, query: str, *params) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def task_states() -> dict[str, str | None]:
    """The task states of the latest transformation run, from Airflow's metadata."""
    with sqlite3.connect(airflow_home() / "airflow.db") as db:
        (run_id,) = db.execute(
            "select run_id from dag_run where dag_id = 'sunshine_transform' order by id desc"
        ).fetchone()
        return dict(
            db.execute(
                "select task_id, state from task_instance "
                "where dag_id = 'sunshine_transform' and run_id = ?",
                (run_id,),
            ).fetchall()
        )


def oids(url: str) -> dict[str, int]:
    return {name: fetch(url, "select to_regclass(%s)::oid", name)[0][0] for name in RELATIONS}


def run_night(feed: dict, night: dt.date) -> dict:
    result = run_cli("nightly", "--date", str(night), "--sources", str(feed["sources"]))
    log = Path(airflow_home() / "runs" / f"night-{night}.log").read_text(errors="replace")
    return {
        "returncode": result.returncode,
        "stderr": result.stderr,
        "log": log,
        "states": task_states(),
        "mart": fetch(feed["url"], MART),
        "oids": oids(feed["url"]),
    }


@pytest.fixture(scope="module")
def feed(warehouse_url: str, sunshine_home: Path, monkeypatch_module) -> dict:
    """The budget fixture in a source database of its own, a warehouse database of its own."""
    monkeypatch_module.setattr(fixtures, "SOURCE_DATABASE", SOURCE)
    fixtures.create_budget_source(warehouse_url, FIRST)
    sources = fixtures.write_sources_file(sunshine_home / "quality_hold" / "sources.yaml")
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {WAREHOUSE} with (force)")
        conn.execute(f"create database {WAREHOUSE}")
    url = with_database(warehouse_url, WAREHOUSE)
    monkeypatch_module.setenv("SUNSHINE_WAREHOUSE_URL", url)
    return {"url": url, "source": with_database(warehouse_url, SOURCE), "sources": sources}


@pytest.fixture(scope="module")
def first(feed: dict) -> dict:
    stamp = dt.datetime.combine(FIRST, dt.time(9))
    with psycopg.connect(feed["source"]) as conn:
        conn.execute("insert into budget.department values ('X9', '试点办', %s)", (stamp,))
    return run_night(feed, FIRST)


@pytest.fixture(scope="module")
def second(feed: dict, first: dict) -> dict:
    stamp = dt.datetime.combine(SECOND, dt.time(9))
    with psycopg.connect(feed["source"]) as conn:
        conn.execute(
            "alter table budget.budget_indicator drop constraint budget_indicator_pkey, "
            "alter column indicator_id drop not null"
        )
        conn.execute(
            """insert into budget.budget_indicator
               select null, parent_indicator_id, fund_line_code, fiscal_year, level,
                      document_no || '-bis', issued_date, district_code, amount, status, %s
               from budget.budget_indicator where level = 'district' order by indicator_id
               limit 1""",
            (stamp,),
        )
        # Built, the mart would show these 1,000 yuan: held, it must not.
        conn.execute(
            """update budget.budget_indicator set amount = amount + 1000, updated_at = %s
               where indicator_id = (select min(indicator_id) from budget.budget_indicator
                                     where level = 'district' and status = 'active')""",
            (stamp,),
        )
    return run_night(feed, SECOND)


def results(feed: dict, night: dt.date) -> list[tuple]:
    return fetch(
        feed["url"],
        """select object, column_name, expectation, severity, success, unexpected_count
           from ops.quality_results
           where night = %s and not success and object like 'raw.%%'""",
        night,
    )


def test_a_warning_is_reported_and_holds_nothing(feed: dict, first: dict) -> None:
    failed = results(feed, FIRST)
    assert failed == [
        (
            "raw.budget__department",
            "department_code",
            "expect_column_values_to_match_regex",
            "warning",
            False,
            1,
        )
    ]
    assert first["states"]["check_budget"] == "success"
    assert first["mart"], "the budget mart is built on a night with warnings only"
    assert all(first["oids"].values()), first["oids"]
    assert "quality warning on budget" in first["log"]
    assert "failed a critical expectation" not in first["log"]


def test_a_critical_failure_fails_the_check_naming_what_failed(feed: dict, second: dict) -> None:
    assert second["returncode"] == 1
    assert "sunshine_transform failed" in second["stderr"]
    critical = [r for r in results(feed, SECOND) if r[3] == "critical"]
    assert (
        "raw.budget__budget_indicator",
        "indicator_id",
        "expect_column_values_to_not_be_null",
        "critical",
        False,
        1,
    ) in critical
    assert {r[0] for r in critical} == {"raw.budget__budget_indicator"}
    states = second["states"]
    assert states["check_budget"] == "failed"
    assert states["watcher"] == "failed"
    message = next(line for line in second["log"].splitlines() if "critical expectations" in line)
    assert "raw.budget__budget_indicator.indicator_id" in message
    assert "expect_column_values_to_not_be_null" in message
    assert "1 unexpected" in message


def test_the_held_feeds_models_keep_the_previous_night(
    feed: dict, first: dict, second: dict
) -> None:
    assert "budget failed a critical expectation" in second["log"]
    for name in ("staging.stg_budget__budget_indicators", "marts.fund_line_budgets"):
        assert second["oids"][name] == first["oids"][name], f"{name} was rebuilt"
    assert second["mart"] == first["mart"]
    landed = fetch(
        feed["url"],
        "select count(*) from raw.budget__budget_indicator where _night = %s",
        SECOND,
    )
    assert landed == [(2,)], "the night's rows did land: only the models were held"


def test_other_feeds_models_still_build(feed: dict, first: dict, second: dict) -> None:
    name = "staging.stg_reference__residents"
    assert second["oids"][name] != first["oids"][name], f"{name} was not rebuilt"
    states = second["states"]
    assert states["dbt_build"] in ("success", "failed"), "the build runs whatever the checks said"
    # The marts are checked whatever dbt did; the held mart still passes its suite.
    assert states["check_marts"] in ("success", "failed")
    mart = fetch(
        feed["url"],
        "select bool_and(success) from ops.quality_results where night = %s and object = %s",
        SECOND,
        "marts.fund_line_budgets",
    )
    assert mart == [(True,)]
