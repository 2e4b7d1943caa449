"""When the nightly DAGs run, written once for both DAG files and the CLI.

A night D is extracted at 01:30 Asia/Shanghai on D+1, so the first night the DAGs can
run is the day before their start date. Airflow answers a run before the start date
with a silent no-op, which the CLI used to report as "succeeded": the runner checks
the night against this range first and names it.
"""

from __future__ import annotations

import datetime as dt

import pendulum

from sunshine.errors import SunshineError
from sunshine.orchestrate.nights import TIMEZONE
from sunshine.settings import current_settings

START_DATE = pendulum.datetime(2026, 1, 1, tz=TIMEZONE)
EXTRACT_AT = dt.time(1, 30)


def first_night() -> dt.date:
    return START_DATE.date() - dt.timedelta(days=1)


def last_night() -> dt.date:
    """Today in the DAGs' timezone: a later night has not happened yet."""
    return pendulum.now(TIMEZONE).date()


def check_night(night: dt.date) -> None:
    """A night the DAGs cannot run is an error naming the range they do run."""
    first, last = first_night(), last_night()
    if not first <= night <= last:
        raise SunshineError(
            f"night {night} cannot run: the nightly DAGs run nights {first} (their start "
            f"date {START_DATE.date()}) to {last}"
        )


def retry_args(retries: int, default_delay_seconds: int) -> dict:
    """Task defaults: a transient failure is retried after a delay doubling each time,
    capped at an hour (SUNSHINE_RETRY_DELAY_SECONDS shortens the first for local runs)."""
    configured = current_settings(warn_unknown=False).retry_delay_seconds  # at parse time
    delay = default_delay_seconds if configured is None else configured
    return {
        "owner": "sunshine-data",
        "retries": retries,
        "retry_delay": dt.timedelta(seconds=delay),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": dt.timedelta(hours=1),
    }
