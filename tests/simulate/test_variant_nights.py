"""Every producer's world runs the night: zero failed dbt nodes and the planted cases found.

For the default producer and each variant of variants.py (issue 12, item 3): the small
city written by that producer, its last night through Airflow (`sunshine nightly`:
extraction, GX checks, dbt), then `sunshine score` against the producer's own truth with
0.98 precision and recall asked of every rule. The variants share one warehouse server of
their own, so the session's small city (src_* databases of the same names) is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.orchestrate.degraded import build_warnings
from sunshine.simulate import simulate
from sunshine.simulate.variants import VARIANTS
from support import LAST_NIGHT, NIGHTS, SEED, START, run_cli

pytestmark = pytest.mark.slow

MIN = 0.98


@pytest.fixture(scope="module")
def variant_server(sunshine_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second embedded PostgreSQL: the variants' source databases and warehouses.

    `sunshine_home` too: the nights' Airflow state and run logs stay the session's own,
    never the clone's .sunshine, which another run on the same clone may be using."""
    from sunshine.warehouse import EmbeddedWarehouse

    server = EmbeddedWarehouse(tmp_path_factory.mktemp("variant_server"))
    url = server.start()
    yield url
    server.stop()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_producers_night_builds_and_scores(
    variant: str, variant_server: str, tmp_path: Path
) -> None:
    out = tmp_path / "city"
    summary = simulate(
        "small", SEED, START, NIGHTS, out, variant_server, say=lambda _l: None, variant=variant
    )
    assert summary.variant == variant
    assert not summary.problems, summary.problems
    database = f"night_{variant}"
    with psycopg.connect(variant_server, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database} with (force)")
        conn.execute(f"create database {database}")
    url = with_database(variant_server, database)
    env = {"SUNSHINE_WAREHOUSE_URL": url}
    night = run_cli(
        "nightly", "--date", str(LAST_NIGHT), "--sources", str(out / "sources.yaml"), env=env
    )
    assert night.returncode == 0, night.stdout[-3000:] + night.stderr[-3000:]
    failed = [w for w in build_warnings(url, LAST_NIGHT) if w[2] != "warn"]
    assert not failed, failed
    with psycopg.connect(url) as conn:
        alerts = conn.execute("select count(*) from marts.alerts").fetchone()[0]
    assert alerts > 0
    scored = run_cli(
        "score", "--truth", str(out / "truth.csv"), "--night", str(LAST_NIGHT), env=env
    )
    print(f"variant {variant}:\n{scored.stdout}")
    assert scored.returncode == 0, scored.stdout + scored.stderr
    low = below(scored.stdout)
    assert not low, f"variant {variant}: " + "; ".join(low) + "\n" + scored.stdout
    assert dt.date.fromisoformat(summary.last_night) == LAST_NIGHT
    traced_as_the_producer_wrote(VARIANTS[variant], url)


def traced_as_the_producer_wrote(producer, url: str) -> None:
    """The trace's freedoms reached the warehouse's fund trace as the contract reads them."""
    with psycopg.connect(url) as conn:
        before_live = conn.execute(
            "select coalesce(sum(disbursed_amount), 0) from marts.fund_trace"
            " where row_type = 'unlinked' and unlinked_reason = 'beyond_indicators'"
            " and category in ('dibao_urban', 'dibao_rural', 'tekun')"
        ).fetchone()[0]
        last_year = conn.execute(
            "select count(*), count(*) filter (where completed_date is null or is_late)"
            " from marts.fund_trace where row_type = 'indicator'"
            " and fiscal_year < extract(year from %s::date)",
            (str(LAST_NIGHT),),
        ).fetchone()
    if producer.late_treasury:
        # one-card money paid before the treasury went live: unlinked, not an alert
        assert before_live > 0
    if producer.last_year_leaves > 0:
        # last year's leaves, completed by January's spending in time
        assert last_year[0] > 0 and last_year[1] == 0, last_year


def below(table: str) -> list[str]:
    """Every rule whose precision or recall is under MIN ('-' is no alert / no truth)."""
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    assert len(rows) > 10, table  # every planted rule has its line
    return [
        f"{row[0]} {name} {value}"
        for row in rows
        for name, value in (("precision", row[7]), ("recall", row[8]))
        if value != "-" and float(value) < MIN
    ]
