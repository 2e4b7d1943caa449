"""Incremental models give what a full refresh gives.

A night adds a small slice to the largest tables; those models read only the raw rows
loaded since their last build. Here the small city's first night is built, later nights
are extracted and built incrementally, and the result must equal a full rebuild of the
same raw data, row for row.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.dbt import run_dbt
from support import LAST_NIGHT, START, run_cli

pytestmark = pytest.mark.slow

INCREMENTAL = {"staging.stg_pension__benefit_payments": "payment_id"}
# A month before the city's last night: pensions are paid monthly, so the nights between
# bring a month of new payments (and corrections of older ones) for the incremental run.
EARLIER = START - dt.timedelta(days=30)


def rows(url: str, relation: str, key: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"select * from {relation} order by {key}").fetchall()


@pytest.fixture(scope="module")
def city_db(small_city) -> str:
    with psycopg.connect(small_city.warehouse_url, autocommit=True) as conn:
        conn.execute("drop database if exists sunshine_incremental with (force)")
        conn.execute("create database sunshine_incremental")
    return with_database(small_city.warehouse_url, "sunshine_incremental")


def extract(url: str, small_city, night) -> None:
    result = run_cli(
        "nightly", "--extract-only", "--date", str(night),
        "--sources", str(small_city.out / "sources.yaml"),
        env={"SUNSHINE_WAREHOUSE_URL": url},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]


@pytest.mark.parametrize(("relation", "key"), sorted(INCREMENTAL.items()))
def test_incremental_nights_equal_a_full_refresh(city_db, small_city, relation, key) -> None:
    model = relation.split(".")[1]
    extract(city_db, small_city, EARLIER)
    run_dbt(["build", "-s", model], city_db, quiet=True)
    first = rows(city_db, relation, key)

    extract(city_db, small_city, LAST_NIGHT)
    run_dbt(["run", "-s", model], city_db, quiet=True)
    incremental = rows(city_db, relation, key)
    assert len(incremental) > len(first), "the later nights should add payments"

    run_dbt(["run", "-s", model, "--full-refresh"], city_db, quiet=True)
    assert rows(city_db, relation, key) == incremental
