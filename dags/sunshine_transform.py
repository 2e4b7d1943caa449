"""
### Sunshine nightly transformation

Started by the `sunshine_raw_landed` asset for the night the extraction landed:
Great Expectations checks each feed's batch for that night (results in
`ops.quality_results`), then dbt builds staging, intermediate and marts through
cosmos, one `dbt build` task per model (the model and its tests). Cosmos's watcher
mode would be faster, but its sensors can start before their producer under
`airflow dags test`, which runs tasks one at a time, and then wait forever. A feed
failing a critical expectation fails its check and holds the marts back, so they
keep the previous night's data.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import LoadMode, TestBehavior
from cosmos.profiles import PostgresUserPasswordProfileMapping

from sunshine.orchestrate import tasks
from sunshine.orchestrate.assets import RAW_LANDED

DBT_PROJECT = Path(
    os.environ.get("SUNSHINE_DBT_PROJECT", Path(__file__).parents[1] / "dbt_project")
)
DBT_EXECUTABLE = Path(
    os.environ.get("SUNSHINE_DBT_EXECUTABLE", Path(sys.executable).parent / "dbt")
)
# dbt's own variable: parallel checkouts and test runs keep their artefacts apart.
DBT_TARGET = Path(os.environ.get("DBT_TARGET_PATH", DBT_PROJECT / "target"))
DBT_THREADS = int(os.environ.get("SUNSHINE_DBT_THREADS", "4"))
FEEDS = ["budget"]

RETRY_DELAY = dt.timedelta(seconds=int(os.environ.get("SUNSHINE_RETRY_DELAY_SECONDS", "120")))
DEFAULT_ARGS = {"owner": "sunshine-data", "retries": 1, "retry_delay": RETRY_DELAY}


@task(task_id="night")
def night_to_transform() -> str:
    return tasks.night_to_transform(get_current_context())


@task
def check_feed(feed: str) -> dict:
    return tasks.check_feed(feed, get_current_context())


@dag(
    dag_id="sunshine_transform",
    schedule=[RAW_LANDED],
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
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
    checks = [check_feed.override(task_id=f"check_{feed}")(feed=feed) for feed in FEEDS]
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT,
            manifest_path=DBT_TARGET / "manifest.json",
        ),
        profile_config=ProfileConfig(
            profile_name="sunshine",
            target_name="warehouse",
            profile_mapping=PostgresUserPasswordProfileMapping(
                conn_id="sunshine_warehouse",
                profile_args={"schema": "analytics", "threads": DBT_THREADS},
            ),
        ),
        execution_config=ExecutionConfig(dbt_executable_path=DBT_EXECUTABLE),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.BUILD
        ),
        # Models that keep history (alerts, snapshots of findings) stamp the night they saw.
        operator_args={
            "install_deps": False,
            "vars": {"night": "{{ ti.xcom_pull(task_ids='night') }}"},
        },
    )
    night = night_to_transform()
    night >> checks >> dbt


sunshine_transform()
