"""Bodies of the DAGs' tasks, kept out of the DAG files so parsing stays cheap."""

from __future__ import annotations

import logging
from typing import Any

from sunshine.errors import SunshineError
from sunshine.orchestrate.nights import night_of

log = logging.getLogger(__name__)


def extract(system: str, obj: str, context: dict[str, Any]) -> dict[str, Any]:
    """Land one source object for the run's night; skip systems sources.yaml lacks.

    A TransientSourceError (a source down, a refused connection, a body cut short) is
    raised as is: Airflow retries the task with exponential back-off. Any other
    SunshineError (a refused credential, a missing column, a bad sources.yaml) will not
    mend itself, so it fails the task at once; anything else retries.
    """
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    from sunshine.errors import TransientSourceError
    from sunshine.load.extract import ensure_landing, extract_object
    from sunshine.settings import check_unknown
    from sunshine.sources.registry import load_sources

    check_unknown()  # a misspelt variable, said in the task's log

    night = night_of(context)
    try:
        sources = load_sources()
    except SunshineError as exc:  # a bad sources.yaml does not mend itself
        raise AirflowFailException(str(exc)) from exc
    if system not in sources:
        ensure_landing(system, obj)
        raise AirflowSkipException(f"sources.yaml does not list system '{system}'")
    try:
        outcome = extract_object(system, obj, night)
    except TransientSourceError:
        raise
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


def hold_back_failed_feeds(context: dict[str, Any], operator: Any) -> None:
    """Leave the feeds whose quality check failed out of the night's dbt build."""
    from sunshine.quality.hold import exclusions, failed_feeds

    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    held = failed_feeds(states)
    if held:
        operator.exclude = exclusions(held)
        log.warning(
            "night %s: %s failed a critical expectation; their models are not rebuilt and "
            "keep the previous night's data",
            night_of(context),
            ", ".join(held),
        )


def night_to_transform(context: dict[str, Any]) -> str:
    """The night this transformation run is for, for the dbt models that stamp it."""
    return night_of(context).isoformat()


def check_feed(feed: str, context: dict[str, Any]) -> dict[str, Any]:
    """Validate the feed's night; a critical failure fails the task and holds its models.

    A system this deployment does not extract has nothing to check: the task succeeds
    (a skip would skip its staging models, which still build on the empty landing tables).
    """
    from airflow.sdk.exceptions import AirflowFailException

    from sunshine.quality.run import check_feed as run_checks
    from sunshine.sources.registry import load_sources

    night = night_of(context)
    if feed not in load_sources():
        log.info("sources.yaml does not list system '%s': nothing to check", feed)
        return {"night": night.isoformat(), "checked": 0, "extracted": False}
    quality = run_checks(feed, night)
    for failure in quality.failed_warning:
        log.warning("quality warning on %s night %s: %s", feed, night, failure)
    if not quality.publishable:
        raise AirflowFailException(
            f"feed {feed} night {night} failed {len(quality.failed_critical)} critical "
            f"expectations, its models are held: {'; '.join(quality.failed_critical)}"
        )
    return {"night": night.isoformat(), "checked": quality.checked, "extracted": True}


def check_marts(context: dict[str, Any]) -> dict[str, Any]:
    """Validate the key marts once dbt is done; a critical failure fails the task."""
    from airflow.sdk.exceptions import AirflowFailException

    from sunshine.quality.run import check_marts as run_checks

    night = night_of(context)
    quality = run_checks(night)
    for failure in quality.failed_warning:
        log.warning("quality warning on the marts night %s: %s", night, failure)
    if not quality.publishable:
        raise AirflowFailException(
            f"marts night {night} failed {len(quality.failed_critical)} critical "
            f"expectations: {'; '.join(quality.failed_critical)}"
        )
    return {"night": night.isoformat(), "checked": quality.checked, "marts": quality.validated}
