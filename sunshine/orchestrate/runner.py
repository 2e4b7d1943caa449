"""Running the nightly DAGs through Airflow itself, from the CLI and the tests.

Each run is `airflow dags test`: a real DAG run, its tasks executed one after another
in one process, its state in Airflow's SQLite metadata under the state folder. No
scheduler is needed, which is what a laptop or CI has.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sunshine.config import WAREHOUSE_URL_ENV, warehouse_url
from sunshine.dbt import dbt_environment, run_dbt
from sunshine.errors import SunshineError
from sunshine.paths import DAGS_DIR, airflow_home
from sunshine.settings import current_settings
from sunshine.sources.registry import SOURCES_FILE_ENV, default_sources_file

NIGHTLY_DAGS = ("sunshine_extract", "sunshine_transform")


def _retry_delay_seconds() -> int:
    configured = current_settings().retry_delay_seconds
    return 5 if configured is None else configured


def airflow_environment(url: str | None = None, sources_file: Path | None = None) -> dict[str, str]:
    """The environment every Airflow command of ours runs with."""
    home = airflow_home()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Shanghai",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "GX_ANALYTICS_ENABLED": "False",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        # A person is waiting on a local run: retry soon, not in five minutes.
        "SUNSHINE_RETRY_DELAY_SECONDS": str(_retry_delay_seconds()),
    }
    if url:
        env.update(dbt_environment(url))
        env.update({"AIRFLOW_CONN_SUNSHINE_WAREHOUSE": url, WAREHOUSE_URL_ENV: url})
    if sources_file:
        env[SOURCES_FILE_ENV] = str(sources_file)
    return env


def _airflow(args: list[str], env: dict[str, str], log_file: Path | None = None) -> int:
    command = [str(Path(sys.executable).parent / "airflow"), *args]
    if log_file is None:
        return subprocess.run(command, env=env, capture_output=True, text=True).returncode
    with log_file.open("a", encoding="utf-8") as log:
        log.write(f"\n$ airflow {' '.join(args)}\n")
        log.flush()
        return subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT).returncode


def ensure_metadata(env: dict[str, str] | None = None) -> None:
    """Create Airflow's SQLite metadata on first use."""
    env = env or airflow_environment()
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    marker = home / ".migrated"
    if marker.exists():
        return
    log_file = home / "db-migrate.log"
    if _airflow(["db", "migrate"], env, log_file) != 0:
        raise SunshineError(f"Airflow's metadata could not be created: see {log_file}")
    marker.touch()


@contextmanager
def simulated_apis(sources_file: Path, say: Callable[[str], None] = print) -> Iterator[None]:
    """Serve the simulated JSON APIs of sources.yaml for the duration of a run.

    Only systems with a `store` (the simulator's) are served, and only when nothing
    listens on their port yet: `sunshine sources serve` may already be running them.
    """
    from sunshine.ports import port_in_use
    from sunshine.sources.api_server import serve_sources
    from sunshine.sources.registry import load_sources

    simulated = [
        c for c in load_sources(sources_file).values() if c.get("store") and c.get("base_url")
    ]
    addresses = [urlsplit(str(c.get("base_url"))) for c in simulated]
    if not simulated or any(
        port_in_use(a.hostname or "127.0.0.1", a.port or 80) for a in addresses
    ):
        yield
        return
    servers = serve_sources(sources_file)
    say(f"serving the simulated APIs of {', '.join(s.system.code for s in servers)} for this run")
    try:
        yield
    finally:
        for server in servers:
            server.stop()


# One nightly run at a time per warehouse: a second one used to kill the first's Airflow
# run, truncate its log and load the same files beside it. A session advisory lock goes
# with its connection, so a run that died frees it.
_NIGHTLY_KEY = 0x4E494748  # "NIGH"


@contextmanager
def nightly_lock(url: str, night: dt.date) -> Iterator[None]:
    """Hold the warehouse's nightly-run lock, or refuse naming the run that holds it."""
    import psycopg

    me = f"sunshine nightly {night} (pid {os.getpid()} on {socket.gethostname()})"
    with psycopg.connect(url, autocommit=True, application_name=me[:63]) as conn:
        row = conn.execute("select pg_try_advisory_lock(%s)", (_NIGHTLY_KEY,)).fetchone()
        if not (row and row[0]):
            holder = conn.execute(
                """select a.application_name, a.pid, a.backend_start
                   from pg_locks l join pg_stat_activity a on a.pid = l.pid
                   where l.locktype = 'advisory' and l.granted and l.classid = 0
                     and l.objid = %s and l.objsubid = 1""",
                (_NIGHTLY_KEY,),
            ).fetchone()
            who = (
                f"{holder[0] or 'a session'} (warehouse session {holder[1]}, since "
                f"{holder[2]:%Y-%m-%d %H:%M:%S %Z})"
                if holder
                else "another session"
            )
            raise SunshineError(
                f"night {night} not started: a nightly run is already under way, {who}; "
                "wait for it to end (a run that died frees the warehouse at once)"
            )
        try:
            yield
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (_NIGHTLY_KEY,))


def parse_dbt_project(url: str | None = None) -> None:
    """Write dbt's manifest: cosmos renders the dbt task graph from it at parse time."""
    run_dbt(["parse", "--quiet"], url, quiet=True)


def logical_date_for(night: dt.date) -> str:
    """The scheduled time that extracts night D: 01:30 Asia/Shanghai on D+1."""
    return f"{night + dt.timedelta(days=1)}T01:30:00+08:00"


def run_night(
    night: dt.date,
    *,
    sources_file: Path | None = None,
    url: str | None = None,
    say: Callable[[str], None] = print,
    dags: tuple[str, ...] = NIGHTLY_DAGS,
) -> Path:
    """Run extraction then transformation for one night; return the run's log file.

    `dags` narrows the run (e.g. extraction only); the order stays the nightly one.
    """
    from sunshine.orchestrate.schedule import check_night
    from sunshine.settings import check_unknown
    from sunshine.sources.registry import absent_systems, load_sources

    check_night(night)
    unknown = set(dags) - set(NIGHTLY_DAGS)
    if unknown:
        raise SunshineError(f"no nightly DAG {', '.join(sorted(unknown))}; they are {NIGHTLY_DAGS}")
    url = url or warehouse_url()
    sources_file = sources_file or default_sources_file()
    if not sources_file.exists():
        raise SunshineError(
            f"no sources file at {sources_file}: run `sunshine demo`, or point "
            f"{SOURCES_FILE_ENV} at your systems' sources.yaml"
        )
    check_unknown()  # a misspelt SUNSHINE_ variable is said before the night starts
    # sources.yaml may name the warehouse's own server as ${SUNSHINE_WAREHOUSE_URL}
    # (the simulator's databases live there); this process reads it too.
    os.environ[WAREHOUSE_URL_ENV] = url
    # A bad sources.yaml is one line here, not a failed task per system in the log.
    absent = absent_systems(load_sources(sources_file))
    if absent:
        say(f"night {night}: sources.yaml does not list {', '.join(absent)}: not extracted")
    env = airflow_environment(url, sources_file)
    with nightly_lock(url, night):
        ensure_metadata(env)
        logs = Path(env["AIRFLOW_HOME"]) / "runs"
        logs.mkdir(parents=True, exist_ok=True)
        log_file = logs / f"night-{night}.log"
        log_file.write_text("")
        with simulated_apis(sources_file, say):
            failed = _run_dags(night, dags, env, log_file, say)
    if "sunshine_extract" in dags:
        # A drop that owed tonight's file and sent none: the night goes on, and says so.
        from sunshine.load.freshness import late_lines

        for line in late_lines(url, night):
            say(line)
    if "sunshine_transform" in dags:
        # A degraded night still succeeds, and says loudly what it set aside.
        from sunshine.orchestrate.degraded import degraded_lines

        for line in degraded_lines(url, night):
            say(line)
    if failed:
        raise SunshineError(
            f"night {night}: {' and '.join(failed)} failed; the failed tasks and their "
            f"errors are in {log_file}"
        )
    return log_file


def _run_dags(
    night: dt.date,
    dags: tuple[str, ...],
    env: dict[str, str],
    log_file: Path,
    say: Callable[[str], None],
) -> list[str]:
    conf = json.dumps({"night": night.isoformat()})
    # As under a scheduler, transformation runs even when a system failed to load: the
    # extraction's asset event is emitted whatever happened, and the good feeds publish.
    failed = []
    for dag_id in (d for d in NIGHTLY_DAGS if d in dags):
        started = time.monotonic()
        say(f"night {night}: running {dag_id} ...")
        code = _airflow(
            ["dags", "test", dag_id, logical_date_for(night), "-c", conf], env, log_file
        )
        outcome = "failed" if code else "succeeded"
        say(f"night {night}: {dag_id} {outcome} in {time.monotonic() - started:.0f} s")
        if code:
            failed.append(dag_id)
    return failed
