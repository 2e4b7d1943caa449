"""
### Sunshine nightly transformation

Started by the `sunshine_raw_landed` asset for the night the extraction landed:
Great Expectations checks each feed's batch for that night (`check_<feed>`, results in
`ops.quality_results`), then one `dbt build` (cosmos) builds seeds, staging,
intermediate, marts, snapshots and their tests for the night, `check_marts` validates
the key marts, and a watcher makes the run fail if any task did.

A feed failing a critical expectation fails its check, and the build leaves out that
feed's staging models and everything built from them: those tables keep the previous
night's data while the other feeds' models build. One build, not a task per model: a
night passes its date to dbt, and dbt parses the project again whenever its vars
change, which a task per model would pay a hundred times. See docs/quality.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from airflow.sdk import Param, dag, get_current_context, task
from cosmos import ProfileConfig
from cosmos.operators.local import DbtBuildLocalOperator
from cosmos.profiles import PostgresUserPasswordProfileMapping

from sunshine.contracts import SYSTEMS
from sunshine.orchestrate import schedule, tasks
from sunshine.orchestrate.assets import RAW_LANDED
from sunshine.settings import current_settings

# SUNSHINE_DBT_PROJECT, _EXECUTABLE and _THREADS (docs/settings.md).
_SETTINGS = current_settings(warn_unknown=False)
DBT_PROJECT = _SETTINGS.dbt_project or Path(__file__).parents[1] / "dbt_project"
DBT_EXECUTABLE = _SETTINGS.dbt_executable or Path(sys.executable).parent / "dbt"
DBT_THREADS = _SETTINGS.dbt_threads
FEEDS = list(SYSTEMS)

DEFAULT_ARGS = schedule.retry_args(retries=1, default_delay_seconds=120)


@task(task_id="night")
def night_to_transform() -> str:
    return tasks.night_to_transform(get_current_context())


@task
def check_feed(feed: str) -> dict:
    return tasks.check_feed(feed, get_current_context())


@task(trigger_rule="all_done")
def check_marts() -> dict:
    return tasks.check_marts(get_current_context())


@task(trigger_rule="one_failed", retries=1)
def watcher() -> None:
    tasks.fail_the_run(get_current_context())


@dag(
    dag_id="sunshine_transform",
    schedule=[RAW_LANDED],
    start_date=schedule.START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "night": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Night to transform (YYYY-MM-DD)",
        )
    },
    tags=["sunshine", "transform", "quality", "nightly"],
    doc_md=__doc__,
)
def sunshine_transform():
    night = night_to_transform()
    checks = [check_feed.override(task_id=f"check_{feed}")(feed=feed) for feed in FEEDS]
    build = DbtBuildLocalOperator(
        task_id="dbt_build",
        project_dir=str(DBT_PROJECT),
        profile_config=ProfileConfig(
            profile_name="sunshine",
            target_name="warehouse",
            profile_mapping=PostgresUserPasswordProfileMapping(
                conn_id="sunshine_warehouse",
                profile_args={"schema": "analytics", "threads": DBT_THREADS},
            ),
        ),
        dbt_executable_path=str(DBT_EXECUTABLE),
        install_deps=False,
        emit_datasets=False,
        # Models that keep history (alert detections) stamp the night they saw.
        vars={"night": "{{ ti.xcom_pull(task_ids='night') }}"},
        # Runs whatever the checks said; the feeds that failed one are left out here.
        interceptors=[tasks.hold_back_failed_feeds],
        trigger_rule="all_done",
    )
    marts = check_marts()
    night >> checks >> build >> marts
    [*checks, build, marts] >> watcher()


sunshine_transform()
