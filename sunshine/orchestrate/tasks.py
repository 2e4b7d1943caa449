"""Bodies of the DAGs' tasks, kept out of the DAG files so parsing stays cheap."""

from __future__ import annotations

import logging
from typing import Any

from sunshine.errors import SunshineError
from sunshine.orchestrate.nights import night_of

log = logging.getLogger(__name__)


def extract(system: str, obj: str, context: dict[str, Any]) -> dict[str, Any]:
    """Land one source object for the run's night; skip systems sources.yaml lacks.

    A SunshineError (a missing column, a bad sources.yaml) will not mend itself in five
    minutes, so it fails the task at once; anything else (a dropped connection) retries.
    """
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    from sunshine.load.extract import ensure_landing, extract_object
    from sunshine.sources.registry import load_sources

    night = night_of(context)
    if system not in load_sources():
        ensure_landing(system, obj)
        raise AirflowSkipException(f"sources.yaml does not list system '{system}'")
    try:
        outcome = extract_object(system, obj, night)
    except SunshineError as exc:
        raise AirflowFailException(str(exc)) from exc
    return {
        "night": night.isoformat(),
        "status": outcome.status,
        "rows_at_source": outcome.rows_at_source,
        "rows_landed": outcome.rows_landed,
    }


def announce_night(context: dict[str, Any], asset) -> str:
    """Record the night on the asset event that starts the transformation DAG."""
    night = night_of(context).isoformat()
    context["outlet_events"][asset].extra = {"night": night}
    return night


def fail_the_run(context: dict[str, Any]) -> None:
    """Runs only when a task failed: makes the run itself fail, not end green.

    The task that announces the night runs whatever happened (the systems that loaded
    are transformed), and as the last task it would decide the run's state alone.
    """
    from airflow.sdk.exceptions import AirflowFailException

    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    failed = sorted(task for task, state in states.items() if state == "failed")
    raise AirflowFailException(f"night {night_of(context)}: failed tasks: {', '.join(failed)}")


def night_to_transform(context: dict[str, Any]) -> str:
    """The night this transformation run is for, for the dbt models that stamp it."""
    return night_of(context).isoformat()


def check_feed(feed: str, context: dict[str, Any]) -> dict[str, Any]:
    """Validate the feed's night; a critical failure fails the task and holds the marts."""
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    from sunshine.quality.run import check_feed as run_checks
    from sunshine.sources.registry import load_sources

    if feed not in load_sources():
        raise AirflowSkipException(f"sources.yaml does not list system '{feed}'")
    night = night_of(context)
    quality = run_checks(feed, night)
    for failure in quality.failed_warning:
        log.warning("quality warning on %s night %s: %s", feed, night, failure)
    if not quality.publishable:
        raise AirflowFailException(
            f"feed {feed} night {night} failed {len(quality.failed_critical)} critical "
            f"expectations, its marts are not published: {'; '.join(quality.failed_critical)}"
        )
    return {"night": night.isoformat(), "checked": quality.checked}
