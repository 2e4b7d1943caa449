"""Extraction of the simulated city through Airflow, reconciled against the sources.

Databases, file drops and APIs each: what landed equals what the source holds up to
the night, the ledger's counts add up, a rerun changes nothing, a `_v2` supersedes,
soft deletes arrive, and a corrupted file is quarantined while the rest loads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3

import psycopg
import pytest
from psycopg import sql

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.sources.files import LOCAL, delivered_files, read_rows
from support import NIGHTS, START, run_cli

pytestmark = pytest.mark.slow

FIRST = START
LAST = START + dt.timedelta(days=NIGHTS - 1)


def kind(code: str) -> str:
    return SYSTEMS[code].transport.kind


@pytest.fixture(scope="module")
def pipeline(small_city, monkeypatch_module) -> dict:
    """A warehouse database of its own on the test server; two nights, then a rerun."""
    with psycopg.connect(small_city.warehouse_url, autocommit=True) as conn:
        conn.execute("drop database if exists sunshine_sim with (force)")
        conn.execute("create database sunshine_sim")
    url = with_database(small_city.warehouse_url, "sunshine_sim")
    monkeypatch_module.setenv("SUNSHINE_WAREHOUSE_URL", url)
    sources = small_city.out / "sources.yaml"
    runs = {}
    for night in (FIRST, LAST, LAST):
        result = run_cli(
            "nightly", "--extract-only", "--date", str(night), "--sources", str(sources)
        )
        assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
        runs.setdefault(night, []).append(result)
    return {
        "url": url,
        "sources": sources,
        "server": small_city.warehouse_url,
        "out": small_city.out,
    }


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def fetch(url: str, query, params=()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def night_end(night: dt.date) -> dt.datetime:
    return dt.datetime.combine(night + dt.timedelta(days=1), dt.time.min)


@pytest.mark.parametrize(
    ("system", "obj"),
    [(c, o.name) for c, s in SYSTEMS.items() if s.transport.kind == "database" for o in s.objects],
)
def test_database_tables_land_their_current_rows(pipeline, system: str, obj: str) -> None:
    contract = SYSTEMS[system].get_object(obj)
    fields = sql.SQL(", ").join(
        sql.SQL("{}::text").format(sql.Identifier(f)) for f in contract.field_names
    )
    at_source = set(
        fetch(
            with_database(pipeline["server"], f"src_{system}"),
            sql.SQL("select {} from {} where {} < %s").format(
                fields,
                sql.Identifier(system, obj),
                sql.Identifier(contract.incremental_column or "updated_at"),
            ),
            (night_end(LAST),),
        )
    )
    key = sql.SQL(", ").join(map(sql.Identifier, contract.key))
    landed = set(
        fetch(
            pipeline["url"],
            sql.SQL(
                "select distinct on ({key}) {cols} from {raw} order by {key}, _load_id desc"
            ).format(
                key=key,
                cols=sql.SQL(", ").join(map(sql.Identifier, contract.aliases)),
                raw=sql.Identifier("raw", f"{system}__{obj}"),
            ),
        )
    )
    assert at_source, f"{system}.{obj} is empty at the source"
    assert landed == at_source


@pytest.mark.parametrize("system", [c for c in SYSTEMS if kind(c) == "file_drop"])
def test_every_delivered_file_lands_whole(pipeline, system: str) -> None:
    transport = SYSTEMS[system].transport
    (obj,) = SYSTEMS[system].objects
    files = delivered_files(pipeline["out"] / "drops" / system, transport, LAST)
    latest = {}
    for file in files:
        if file.version >= latest.get(file.base, file).version:
            latest[file.base] = file
    landed = dict(
        fetch(
            pipeline["url"],
            sql.SQL("select _source, count(*) from {} group by _source").format(
                sql.Identifier("raw", f"{system}__{obj.name}")
            ),
        )
    )
    assert latest
    for file in latest.values():
        rows = sum(1 for _ in read_rows(file, obj, transport))
        assert landed.get(file.name, 0) == rows, file.name


def test_a_v2_says_which_file_and_how_many_rows_it_supersedes(pipeline) -> None:
    rows = fetch(
        pipeline["url"],
        """select system, source, rows_superseded, supersedes from ops.load_ledger
           where transport = 'file_drop' and status = 'loaded' and rows_superseded > 0""",
    )
    assert rows, "the simulator re-delivers some files as _v2"
    for system, source, superseded, supersedes in rows:
        assert "_v" in source and supersedes and supersedes != source, (system, source)
        assert superseded > 0


@pytest.mark.parametrize("system", [c for c in SYSTEMS if kind(c) == "http_json_api"])
def test_api_records_land_with_their_soft_deletes(pipeline, system: str) -> None:
    store = sqlite3.connect(pipeline["out"] / "api" / f"{system}.sqlite")
    cutoff = night_end(LAST).replace(tzinfo=LOCAL).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for obj in SYSTEMS[system].objects:
        served = {
            (key, json.loads(body).get("deleted", False))
            for key, body in store.execute(
                f'select id, body from "{obj.name}" where updated_at_utc < ? '
                + ("" if SYSTEMS[system].transport.soft_delete_field else "and deleted = 0"),
                (cutoff,),
            )
        }
        key_alias = obj.key_aliases[0]
        deleted = "deleted" if SYSTEMS[system].transport.soft_delete_field else "'false'"
        landed = {
            (key, flag == "true")
            for key, flag in fetch(
                pipeline["url"],
                f"select distinct on ({key_alias}) {key_alias}, {deleted} "
                f"from raw.{system}__{obj.name} "
                f"order by {key_alias}, updated_at desc, _load_id desc",
            )
        }
        assert served and landed == served, f"{system}.{obj.name}"
    if system == "poverty":
        assert any(flag for _, flag in landed), "soft-deleted households arrive as deleted"


def test_the_ledger_adds_up_and_the_rerun_landed_nothing(pipeline) -> None:
    view = fetch(
        pipeline["url"],
        """select system, night, rows_at_source, rows_landed, rows_already_landed,
                  rows_quarantined, problems
           from ops.night_reconciliation order by night, system""",
    )
    assert {system for system, *_ in view} == set(SYSTEMS)
    for system, night, at_source, landed, already, quarantined, problems in view:
        assert at_source == landed + already + quarantined, (system, night)
        assert problems is None, (system, night, problems)
    rerun = fetch(
        pipeline["url"],
        """select distinct on (system, object, source) status, rows_landed
           from ops.load_ledger where night = %s order by system, object, source, load_id desc""",
        (LAST,),
    )
    assert {status for status, _ in rerun} <= {"unchanged"}
    assert sum(landed for _, landed in rerun) == 0


def test_a_corrupted_file_is_quarantined_while_the_rest_loads(pipeline) -> None:
    folder = pipeline["out"] / "drops" / "onecard"
    transport = SYSTEMS["onecard"].transport
    newest = max(delivered_files(folder, transport, LAST), key=lambda f: (f.base, f.version))
    later = LAST + dt.timedelta(days=1)
    moment = dt.datetime.combine(later, dt.time(22), LOCAL).timestamp()
    # A re-delivery identical to its predecessor: neutral for the data, but a new file.
    stem = newest.base.rsplit(".", 1)[0]
    good = folder / f"{stem}_v{newest.version + 1}.csv"
    bad = folder / f"onecard_{later:%Y%m%d}.csv"
    try:
        shutil.copy(newest.path, good)
        shutil.copy(newest.path.with_suffix(".ok"), good.with_suffix(".ok"))
        shutil.copy(newest.path, bad)
        rows, amount = newest.path.with_suffix(".ok").read_text().strip().split(";")
        bad.with_suffix(".ok").write_text(f"rows={int(rows.split('=')[1]) + 1};{amount}\n")
        for path in (good, good.with_suffix(".ok"), bad, bad.with_suffix(".ok")):
            os.utime(path, (moment, moment))
        result = run_cli(
            "nightly", "--extract-only", "--date", str(later), "--sources", str(pipeline["sources"])
        )
    finally:
        for path in (good, good.with_suffix(".ok"), bad, bad.with_suffix(".ok")):
            path.unlink(missing_ok=True)
    assert result.returncode == 1
    assert "sunshine_extract failed" in result.stderr
    ledger = {
        source: (status, error)
        for source, status, error in fetch(
            pipeline["url"],
            "select source, status, error from ops.load_ledger "
            "where night = %s and system = 'onecard'",
            (later,),
        )
    }
    assert ledger[bad.name][0] == "quarantined"
    assert "control file says rows=" in ledger[bad.name][1] and bad.name in ledger[bad.name][1]
    assert ledger[good.name][0] == "loaded"
    others = fetch(
        pipeline["url"],
        "select distinct status from ops.load_ledger where night = %s and system <> 'onecard'",
        (later,),
    )
    assert {status for (status,) in others} <= {"loaded", "unchanged"}
    problems = fetch(
        pipeline["url"],
        "select problems from ops.night_reconciliation where night = %s and system = 'onecard'",
        (later,),
    )
    assert bad.name in problems[0][0]
