"""Which night a DAG run is about.

A night D is extracted after midnight, at 01:30 on D+1 Asia/Shanghai, so a scheduled
run's night is the day before its logical date. A manual or test run names the night
in its conf (`{"night": "2026-11-03"}`); an asset-triggered run inherits the night
that the extraction run recorded on its asset event.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pendulum

TIMEZONE = "Asia/Shanghai"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_night(value: str) -> dt.date:
    # fromisoformat alone also takes 20261103 and 2026-W45-2; a night is written one way.
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"night {value!r} is not a date written YYYY-MM-DD") from None


def night_of(context: dict[str, Any]) -> dt.date:
    params = context.get("params") or {}
    if params.get("night"):
        return parse_night(str(params["night"]))
    dag_run = context.get("dag_run")
    conf = getattr(dag_run, "conf", None) or {}
    if conf.get("night"):
        return parse_night(str(conf["night"]))
    for events in (context.get("triggering_asset_events") or {}).values():
        for event in events:
            night = (event.extra or {}).get("night")
            if night:
                return parse_night(str(night))
    logical = context.get("logical_date") or dag_run.run_after
    return pendulum.instance(logical).in_timezone(TIMEZONE).date() - dt.timedelta(days=1)
