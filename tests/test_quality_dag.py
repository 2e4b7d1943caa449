"""The hold as Airflow sees it: every feed is checked before the night's dbt build, the
build runs whatever the checks said and leaves out exactly the failed feeds' models,
the marts are checked after it, and a failed task fails the run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sunshine.contracts import SYSTEMS
from sunshine.dbt import run_dbt
from sunshine.orchestrate.runner import airflow_environment
from sunshine.paths import DAGS_DIR, PROJECT_ROOT
from sunshine.quality.hold import exclusions, failed_feeds

SCRIPT = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
dag = bag.dags["sunshine_transform"]
build = dag.get_task("dbt_build")
print(json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "tasks": {
        t.task_id: {
            "trigger_rule": str(getattr(t.trigger_rule, "value", t.trigger_rule)),
            "upstream": sorted(t.upstream_task_ids),
            "downstream": sorted(t.downstream_task_ids),
        }
        for t in dag.tasks
    },
    "build": {
        "vars": build.vars,
        "interceptors": [f.__module__ + "." + f.__name__ for f in build.interceptors],
    },
}))
"""


@pytest.fixture(scope="module")
def graph(sunshine_home) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(DAGS_DIR)],
        env=airflow_environment(),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == {}
    return report


@pytest.mark.parametrize("feed", list(SYSTEMS))
def test_every_feed_is_checked_before_the_build(graph: dict, feed: str) -> None:
    check = graph["tasks"][f"check_{feed}"]
    assert check["upstream"] == ["night"]
    assert set(check["downstream"]) == {"dbt_build", "watcher"}


def test_the_build_runs_whatever_the_checks_said_and_holds_the_failed_feeds(graph) -> None:
    build = graph["tasks"]["dbt_build"]
    assert build["trigger_rule"] == "all_done"
    assert set(build["upstream"]) == {f"check_{feed}" for feed in SYSTEMS}
    assert graph["build"]["interceptors"] == ["sunshine.orchestrate.tasks.hold_back_failed_feeds"]
    assert graph["build"]["vars"] == {"night": "{{ ti.xcom_pull(task_ids='night') }}"}


def test_the_marts_are_checked_after_the_build_whatever_happened(graph: dict) -> None:
    marts = graph["tasks"]["check_marts"]
    assert marts["trigger_rule"] == "all_done"
    assert marts["upstream"] == ["dbt_build"]
    assert marts["downstream"] == ["watcher"]


def test_any_failed_task_fails_the_run(graph: dict) -> None:
    tasks = graph["tasks"]
    watcher = tasks["watcher"]
    assert watcher["trigger_rule"] == "one_failed"
    assert set(watcher["upstream"]) == {t for t in tasks if t not in ("night", "watcher")}
    assert [t for t, task in tasks.items() if not task["downstream"]] == ["watcher"]


def test_only_failed_checks_of_feeds_are_held() -> None:
    states = {
        "night": "success",
        "check_budget": "failed",
        "check_onecard": "success",
        "check_pension": "failed",
        "check_marts": "failed",
        "dbt_build": None,
    }
    assert failed_feeds(states) == ["budget", "pension"]
    assert exclusions([]) is None


def test_a_held_feed_leaves_out_its_models_and_only_theirs() -> None:
    """dbt itself resolves the exclusion: budget's staging models and what is built from
    them (the budget mart, the trace), not another feed's staging."""
    listed = run_dbt(
        ["ls", "--resource-type", "model", "--output", "name", "-s", exclusions(["budget"])],
        quiet=True,
    ).split()
    assert {"stg_budget__budget_indicators", "fund_line_budgets", "fund_trace"} <= set(listed)
    assert not [m for m in listed if m.startswith("stg_") and not m.startswith("stg_budget__")]
    assert "stg_pension__benefit_payments" not in listed
