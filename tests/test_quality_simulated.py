"""Every feed of the small simulated city, extracted through Airflow, checked by GX.

The clean simulator output passes every critical expectation; its planted dirt shows as
warnings; each object with rows that night has its results in ops.quality_results; and
a raw table that no longer agrees with its ledger and control file holds its feed.
"""

from __future__ import annotations

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.quality.run import check_feed
from support import START, run_cli

pytestmark = pytest.mark.slow

NIGHT = START


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture(scope="module")
def landed(small_city, monkeypatch_module) -> str:
    """A warehouse database of its own, the city's first night extracted into it."""
    with psycopg.connect(small_city.warehouse_url, autocommit=True) as conn:
        conn.execute("drop database if exists sunshine_quality with (force)")
        conn.execute("create database sunshine_quality")
    url = with_database(small_city.warehouse_url, "sunshine_quality")
    monkeypatch_module.setenv("SUNSHINE_WAREHOUSE_URL", url)
    sources = small_city.out / "sources.yaml"
    result = run_cli("nightly", "--extract-only", "--date", str(NIGHT), "--sources", str(sources))
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    return url


@pytest.fixture(scope="module")
def checked(landed: str) -> dict:
    return {feed: check_feed(feed, NIGHT, landed) for feed in SYSTEMS}


def fetch(url: str, query: str, *params) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def test_the_clean_city_passes_every_critical_expectation(checked: dict) -> None:
    for feed, quality in checked.items():
        assert quality.checked > 0, feed
        assert quality.failed_critical == [], feed


def test_every_object_with_rows_that_night_has_its_results(landed: str, checked: dict) -> None:
    with_rows = {
        f"raw.{code}__{obj.name}"
        for code, system in SYSTEMS.items()
        for obj in system.objects
        if fetch(landed, f"select count(*) from raw.{code}__{obj.name} where _night = %s", NIGHT)[
            0
        ][0]
    }
    assert len(with_rows) >= 15, "the first night lands most objects"
    stored = fetch(
        landed,
        """select object, count(*), count(*) filter (where severity = 'critical'),
                  bool_and(observed_value is not null or unexpected_count is not null)
           from ops.quality_results where night = %s group by object""",
        NIGHT,
    )
    assert {obj for obj, *_ in stored} == with_rows
    for obj, total, critical, observed in stored:
        assert total >= 8 and critical >= 4, obj
        assert observed, f"{obj}: a result without an observed value or count"
    validated = {f"raw.{t}" for quality in checked.values() for t in quality.validated}
    assert validated == with_rows


def test_planted_dirt_is_reported_as_warnings_only(landed: str, checked: dict) -> None:
    warnings = fetch(
        landed,
        """select object, column_name, expectation from ops.quality_results
           where night = %s and not success""",
        NIGHT,
    )
    assert warnings, "the simulator plants dirt beyond what the contracts allow"
    severities = fetch(
        landed,
        "select distinct severity from ops.quality_results where night = %s and not success",
        NIGHT,
    )
    assert severities == [("warning",)]
    assert all(quality.publishable for quality in checked.values())
    assert sum(len(q.failed_warning) for q in checked.values()) == len(warnings)


def test_a_rerun_of_the_checks_replaces_the_nights_results(landed: str, checked: dict) -> None:
    def count() -> int:
        return fetch(
            landed,
            "select count(*) from ops.quality_results where night = %s and object like %s",
            NIGHT,
            "raw.budget__%",
        )[0][0]

    before = count()
    again = check_feed("budget", NIGHT, landed)
    assert again.publishable
    assert count() == before == again.checked


def test_raw_rows_that_disagree_with_ledger_and_control_file_hold_the_feed(
    landed: str, checked: dict
) -> None:
    (source, control_rows) = fetch(
        landed,
        """select source, control_rows from ops.load_ledger
           where system = 'onecard' and night = %s and status = 'loaded' and control_rows > 1
           order by load_id limit 1""",
        NIGHT,
    )[0]
    with psycopg.connect(landed) as conn:
        conn.execute(
            """create table public.removed_row as select * from raw.onecard__disbursement
               where _source = %s and _night = %s order by _row_number limit 1""",
            (source, NIGHT),
        )
        conn.execute(
            """delete from raw.onecard__disbursement r using public.removed_row x
               where r._source = x._source and r._row_number = x._row_number"""
        )
    try:
        held = check_feed("onecard", NIGHT, landed)
    finally:
        with psycopg.connect(landed) as conn:
            conn.execute("insert into raw.onecard__disbursement select * from public.removed_row")
            conn.execute("drop table public.removed_row")
    assert not held.publishable
    assert len(held.failed_critical) == 2
    assert all("raw.onecard__disbursement" in f for f in held.failed_critical)
    assert any("control file" in f and "observed 1" in f for f in held.failed_critical)
    assert any("load ledger" in f and "observed 1" in f for f in held.failed_critical)
    stored = fetch(
        landed,
        """select description, observed_value from ops.quality_results
           where night = %s and object = 'raw.onecard__disbursement'
             and severity = 'critical' and not success""",
        NIGHT,
    )
    assert len(stored) == 2 and all(observed == "1" for _, observed in stored)
    assert control_rows > 1
    assert check_feed("onecard", NIGHT, landed).publishable, "restored, the feed passes again"
