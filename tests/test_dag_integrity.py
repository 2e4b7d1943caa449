"""The DAGs import cleanly, follow the house policy, and do no work while parsed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sunshine.contracts import SYSTEMS
from sunshine.orchestrate.runner import airflow_environment, parse_dbt_project
from sunshine.paths import DAGS_DIR, PROJECT_ROOT

EXPECTED_DAGS = {"sunshine_extract", "sunshine_transform"}


@pytest.fixture(scope="module")
def airflow_env(sunshine_home: Path) -> dict[str, str]:
    parse_dbt_project()  # the manifest cosmos renders from
    return airflow_environment()


@pytest.fixture(scope="module")
def dagbag_report(airflow_env: dict[str, str]) -> dict:
    """What Airflow's own DagBag makes of the folder, gathered in a clean process."""
    script = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
out = {"errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    out["dags"][dag_id] = {
        "tags": sorted(dag.tags),
        "cron": getattr(dag.timetable, "expression", None),
        "assets": [a.uri for a in getattr(dag.timetable.asset_condition, "objects", [])],
        "timezone": str(dag.timezone),
        "tasks": {
            t.task_id: {
                "retries": t.retries,
                "owner": t.owner,
                "outlets": [getattr(o, "uri", str(o)) for o in t.outlets],
            }
            for t in dag.tasks
        },
    }
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(DAGS_DIR)],
        env=airflow_env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dags_import_without_errors(dagbag_report: dict) -> None:
    assert dagbag_report["errors"] == {}
    assert set(dagbag_report["dags"]) == EXPECTED_DAGS


def test_every_dag_is_tagged_and_every_task_retries(dagbag_report: dict) -> None:
    for dag_id, dag in dagbag_report["dags"].items():
        assert "sunshine" in dag["tags"], dag_id
        assert dag["timezone"] in {"Asia/Shanghai", "Timezone('Asia/Shanghai')"}, dag_id
        for task_id, task in dag["tasks"].items():
            assert task["retries"] >= 1, f"{dag_id}.{task_id} has no retries"
            assert task["owner"] == "sunshine-data", f"{dag_id}.{task_id} owner {task['owner']}"


def test_extraction_has_a_task_per_contract_object(dagbag_report: dict) -> None:
    tasks = dagbag_report["dags"]["sunshine_extract"]["tasks"]
    expected = {f"{code}.{obj.name}" for code, s in SYSTEMS.items() for obj in s.objects}
    assert expected <= set(tasks)
    assert dagbag_report["dags"]["sunshine_extract"]["cron"] == "30 1 * * *"


def test_extraction_announces_the_asset_that_starts_transformation(dagbag_report: dict) -> None:
    outlets = dagbag_report["dags"]["sunshine_extract"]["tasks"]["night_landed"]["outlets"]
    assert outlets == ["sunshine://warehouse/raw"]
    transform = dagbag_report["dags"]["sunshine_transform"]
    assert transform["assets"] == ["sunshine://warehouse/raw"]
    assert "dbt_build" in transform["tasks"]
    checks = {f"check_{code}" for code in SYSTEMS} | {"check_marts", "watcher"}
    assert checks <= set(transform["tasks"])


def test_parsing_opens_no_connection_and_starts_no_process(airflow_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "tests" / "dag_parse_probe.py"), str(DAGS_DIR)],
        env=airflow_env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["dags"]) == EXPECTED_DAGS
    assert report["events"] == []


def test_the_probe_would_notice_a_connection(tmp_path: Path, airflow_env: dict[str, str]) -> None:
    """The audit is only worth something if it catches a DAG file that connects."""
    bad = tmp_path / "bad_dag.py"
    bad.write_text(
        "import socket\n"
        "socket.socket().connect_ex(('127.0.0.1', 9))\n"
        "from airflow.sdk import DAG\n"
        "dag = DAG('bad')\n"
    )
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "tests" / "dag_parse_probe.py"), str(tmp_path)],
        env=airflow_env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert any(e.startswith("socket.connect") for e in report["events"])


def test_airflows_backfill_plans_one_run_per_night(airflow_env: dict[str, str]) -> None:
    """`airflow backfill create` over a date range: each planned run maps to one night."""
    import re

    import pendulum

    from sunshine.orchestrate.nights import night_of
    from sunshine.orchestrate.runner import ensure_metadata

    ensure_metadata(airflow_env)
    airflow = str(Path(sys.executable).parent / "airflow")
    serialized = subprocess.run(
        [airflow, "dags", "reserialize"],
        env=airflow_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert serialized.returncode == 0, serialized.stderr[-2000:]
    planned = subprocess.run(
        [
            airflow,
            "backfill",
            "create",
            "--dag-id",
            "sunshine_extract",
            "--from-date",
            "2026-11-01",
            "--to-date",
            "2026-11-05",
            "--dry-run",
        ],
        env=airflow_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert planned.returncode == 0, planned.stderr[-2000:]
    logical = re.findall(r"\| (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00) \|", planned.stdout)
    nights = [
        night_of({"logical_date": pendulum.parse(value), "dag_run": None}).isoformat()
        for value in logical
    ]
    assert nights == ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"]
