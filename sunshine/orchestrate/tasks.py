"""Bodies of the DAGs' tasks, kept out of the DAG files so parsing stays cheap."""

from __future__ import annotations

import logging
from typing import Any

from sunshine.errors import SunshineError
from sunshine.orchestrate.nights import night_of

log = logging.getLogger(__name__)


def extract(system: str, obj: str, context: dict[str, Any]) -> dict[str, Any]:
    """Land one source object for the run's night; skip systems sources.yaml lacks."""
    from airflow.sdk.exceptions import AirflowSkipException

    from sunshine.load.extract import extract_object
    from sunshine.sources.registry import load_sources

    night = night_of(context)
    if system not in load_sources():
        raise AirflowSkipException(f"sources.yaml does not list system '{system}'")
    outcome = extract_object(system, obj, night)
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


def check_feed(feed: str, context: dict[str, Any]) -> dict[str, Any]:
    """Validate the feed's night; a critical failure fails the task and holds the marts."""
    from airflow.sdk.exceptions import AirflowSkipException

    from sunshine.quality.run import check_feed as run_checks
    from sunshine.sources.registry import load_sources

    if feed not in load_sources():
        raise AirflowSkipException(f"sources.yaml does not list system '{feed}'")
    night = night_of(context)
    quality = run_checks(feed, night)
    for failure in quality.failed_warning:
        log.warning("quality warning on %s night %s: %s", feed, night, failure)
    if not quality.publishable:
        raise SunshineError(
            f"feed {feed} night {night} failed {len(quality.failed_critical)} critical "
            f"expectations, its marts are not published: {'; '.join(quality.failed_critical)}"
        )
    return {"night": night.isoformat(), "checked": quality.checked}
