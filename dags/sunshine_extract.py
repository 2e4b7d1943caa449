"""
### Sunshine nightly extraction

Lands every source system's new and changed rows for night D in the warehouse's
`raw` schema, one task group per system and one task per contract object, each
recorded in `ops.load_ledger`. Runs at 01:30 Asia/Shanghai on D+1. A system that
`sources.yaml` does not list is skipped; a system that fails fails its own task
while the others still load. When every task has finished, the
`sunshine_raw_landed` asset starts `sunshine_transform` for the same night.
"""

from __future__ import annotations

from airflow.sdk import Param, TaskGroup, dag, get_current_context, task

from sunshine.contracts import SYSTEMS
from sunshine.orchestrate import schedule, tasks
from sunshine.orchestrate.assets import RAW_LANDED

DEFAULT_ARGS = schedule.retry_args(retries=2, default_delay_seconds=300)


@task
def extract(system: str, obj: str) -> dict:
    return tasks.extract(system, obj, get_current_context())


@task(outlets=[RAW_LANDED], trigger_rule="all_done")
def night_landed() -> str:
    return tasks.announce_night(get_current_context(), RAW_LANDED)


@task(trigger_rule="one_failed", retries=1)
def watcher() -> None:
    tasks.fail_the_run(get_current_context())


@dag(
    dag_id="sunshine_extract",
    schedule="30 1 * * *",
    start_date=schedule.START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "night": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Night to extract (YYYY-MM-DD); default: the day before",
        )
    },
    tags=["sunshine", "extract", "nightly"],
    doc_md=__doc__,
)
def sunshine_extract():
    landed, failed = night_landed(), watcher()
    for code, system in SYSTEMS.items():
        with TaskGroup(group_id=code, tooltip=system.name_zh):
            for obj in system.objects:
                extract.override(task_id=obj.name)(system=code, obj=obj.name) >> [landed, failed]


sunshine_extract()
