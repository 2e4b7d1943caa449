"""The disposition feed: what a department says about an alert, one row per statement.

Rows are only ever added: a second disposition of the same alert is a new row and the
latest one (by `disposed_at`, then `disposition_id`) counts, so the history stays whole.
dbt reads the table as the source `ops.alert_dispositions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import psycopg

from sunshine.errors import SunshineError
from sunshine.schema_lock import hold_schema_lock

DISPOSITIONS = ("confirmed", "rectified", "explained", "false_positive")
LOCAL = ZoneInfo("Asia/Shanghai")
# A disposition dated with --at counts from that day's night on; noon keeps it inside the day
# in any reading of the time zone.
DATED_AT = dt.time(12, 0)

DDL = f"""
create schema if not exists ops;
create table if not exists ops.alert_dispositions (
    disposition_id bigserial primary key,
    alert_id text not null,
    disposition text not null
        check (disposition in ({", ".join(f"'{d}'" for d in DISPOSITIONS)})),
    note text,
    disposed_by text not null,
    disposed_at timestamptz not null default now(),
    department_code text,
    recorded_at timestamptz not null default clock_timestamp()
);
create index if not exists alert_dispositions_alert on ops.alert_dispositions (alert_id);
"""


@dataclass(frozen=True)
class Disposition:
    disposition_id: int
    alert_id: str
    disposition: str
    disposed_by: str
    disposed_at: dt.datetime
    department_code: str | None


def ensure_dispositions(conn: psycopg.Connection) -> None:
    hold_schema_lock(conn)
    conn.execute(DDL)


def parse_disposition(value: str) -> str:
    normalized = value.strip().lower().replace("-", "_").replace(" ", "_")
    if normalized not in DISPOSITIONS:
        raise SunshineError(
            f"--as {value!r} is not a disposition: use one of {', '.join(DISPOSITIONS)}"
        )
    return normalized


def disposed_at(day: dt.date | None) -> dt.datetime:
    """When a disposition counts from: the given day, or now."""
    if day is None:
        return dt.datetime.now(LOCAL)
    return dt.datetime.combine(day, DATED_AT, tzinfo=LOCAL)


def record(
    conn: psycopg.Connection,
    *,
    alert_id: str,
    disposition: str,
    disposed_by: str,
    note: str | None = None,
    day: dt.date | None = None,
) -> Disposition:
    """Add a disposition of an alert that marts.alerts holds; the alert's department with it."""
    disposition = parse_disposition(disposition)
    if not disposed_by.strip():
        raise SunshineError("--by must name who disposes the alert")
    ensure_dispositions(conn)
    if conn.execute("select to_regclass('marts.alerts')").fetchone()[0] is None:
        raise SunshineError("marts.alerts does not exist yet: run a night first")
    alert = conn.execute(
        "select department_code, first_detected_on from marts.alerts where alert_id = %s",
        (alert_id,),
    ).fetchone()
    if alert is None:
        raise SunshineError(
            f"no alert {alert_id!r} in marts.alerts: `sunshine alerts list` shows the ids"
        )
    department_code, first_detected_on = alert
    if day is not None and day < first_detected_on:
        raise SunshineError(
            f"--at {day} is before the alert was first detected ({first_detected_on})"
        )
    row = conn.execute(
        """insert into ops.alert_dispositions
               (alert_id, disposition, note, disposed_by, disposed_at, department_code)
           values (%s, %s, %s, %s, %s, %s)
           returning disposition_id, disposed_at""",
        (alert_id, disposition, note, disposed_by.strip(), disposed_at(day), department_code),
    ).fetchone()
    assert row is not None
    return Disposition(row[0], alert_id, disposition, disposed_by.strip(), row[1], department_code)
