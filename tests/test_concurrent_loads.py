"""Loads and nightly runs at once: nothing doubled, a dead load named, a second run refused."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_file_drops import NIGHT, drops, ledger, onecard_file, onecard_row, raw_rows  # noqa: F401

from sunshine.errors import SunshineError
from sunshine.load.extract import extract_object
from sunshine.orchestrate.runner import nightly_lock, run_night

HERE = Path(__file__).parent


def python(code: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A separate process, as a second Airflow task or `sunshine nightly` would be."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE), **(env or {})},
    )


def test_a_killed_load_is_marked_interrupted_by_the_next(drops: Path, warehouse_url) -> None:  # noqa: F811
    onecard_file(drops / "onecard", "onecard_20261005.csv", [onecard_row(1, "600.00")], NIGHT)
    # A load that opened its ledger row and then died (SIGKILL: no finally runs).
    dying = python(
        f"""
        import datetime as dt, time, psycopg
        from sunshine.load import ledger
        conn = psycopg.connect({warehouse_url!r})
        ledger.ensure_ledger(conn); conn.commit()
        with ledger.object_lock(conn, "onecard", "disbursement"):
            ledger.open_load(conn, system="onecard", obj="disbursement",
                             night=dt.date(2026, 10, 5), transport="file_drop",
                             source="onecard_20261005.csv", watermark_before=None)
            conn.commit()
            print("ready", flush=True)
            time.sleep(600)
        """
    )
    assert dying.stdout is not None and dying.stdout.readline().strip() == "ready"
    os.kill(dying.pid, signal.SIGKILL)
    dying.wait()
    outcome = extract_object("onecard", "disbursement", NIGHT)
    assert outcome.rows_landed == 1
    rows = ledger(warehouse_url)
    assert [r[2] for r in rows] == ["interrupted", "loaded"]
    assert "process ended before the load finished" in rows[0][7]
    # The next load does not mark a finished row, nor its own.
    extract_object("onecard", "disbursement", NIGHT)
    assert [r[2] for r in ledger(warehouse_url)] == ["interrupted", "loaded", "unchanged"]


def test_two_loads_of_one_drop_at_once_land_it_once(drops: Path, warehouse_url) -> None:  # noqa: F811
    # Large enough that the two loads overlap: each takes longer than their start skew.
    rows = [onecard_row(n, "600.00") for n in range(1, 20001)]
    onecard_file(drops / "onecard", "onecard_20261005.csv", rows, NIGHT)
    code = """
        import datetime as dt, sys
        from sunshine.load.extract import extract_object
        sys.stdin.readline()  # both start together
        print(extract_object("onecard", "disbursement", dt.date(2026, 10, 5)).rows_landed)
        """
    loads = [python(code), python(code)]
    for load in loads:
        assert load.stdin is not None
        load.stdin.write("go\n")
        load.stdin.flush()
    answers = [load.communicate(timeout=600) for load in loads]
    assert all(load.returncode == 0 for load in loads), [err for _, err in answers]
    outcomes = sorted(out.strip() for out, _ in answers)
    assert outcomes == ["0", "20000"]  # the second waited, then found the file loaded
    assert len(raw_rows(warehouse_url)) == 20000
    assert sorted(r[2] for r in ledger(warehouse_url)) == ["loaded", "unchanged"]


def test_a_second_nightly_run_is_refused_while_one_runs(tmp_path: Path, warehouse_url) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("systems: {}\n", encoding="utf-8")
    night = dt.date(2026, 11, 3)
    with nightly_lock(warehouse_url, night):
        with pytest.raises(
            SunshineError,
            match=rf"already under way, sunshine nightly {night} "
            rf"\(pid {os.getpid()} on .*warehouse session \d+",
        ):
            run_night(night, sources_file=sources, url=warehouse_url)
    # A run that died frees the warehouse: its session's lock goes with it.
    holder = python(
        f"""
        import datetime as dt, time
        from sunshine.orchestrate.runner import nightly_lock
        with nightly_lock({warehouse_url!r}, dt.date(2026, 11, 4)):
            print("ready", flush=True)
            time.sleep(600)
        """
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    with pytest.raises(SunshineError, match="sunshine nightly 2026-11-04"):
        with nightly_lock(warehouse_url, night):
            pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with nightly_lock(warehouse_url, night):
        pass
