"""`sunshine alerts list`: the alerts of marts.alerts a person asked for, as lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from sunshine.errors import SunshineError

STATUSES = ("open", "escalated", "disposed", "resolved")


@dataclass(frozen=True)
class ListedAlert:
    alert_id: str
    rule_code: str
    severity: str
    status: str
    subject_type: str
    subject_key: str
    period: str | None
    amount_at_risk: float
    department_code: str | None
    first_detected_on: dt.date
    due_on: dt.date


def list_alerts(
    conn: psycopg.Connection,
    *,
    status: str | None = None,
    rule: str | None = None,
    limit: int | None = None,
) -> list[ListedAlert]:
    if status is not None and status not in STATUSES:
        raise SunshineError(
            f"--status {status!r} is not a status: use one of {', '.join(STATUSES)}"
        )
    if conn.execute("select to_regclass('marts.alerts')").fetchone()[0] is None:
        raise SunshineError("marts.alerts does not exist yet: run a night first")
    rows = conn.execute(
        """select alert_id, rule_code, severity, status, subject_type, subject_key, period,
                  amount_at_risk, department_code, first_detected_on, due_on
           from marts.alerts
           where (%(status)s::text is null or status = %(status)s)
             and (%(rule)s::text is null or rule_code = %(rule)s)
           order by due_on, rule_code, alert_id
           limit %(limit)s""",
        {"status": status, "rule": rule.upper() if rule else None, "limit": limit},
    ).fetchall()
    return [ListedAlert(*row) for row in rows]


def resolve_alert_id(conn: psycopg.Connection, given: str) -> str:
    """The full alert id for an id or a unique prefix of at least 6 characters."""
    given = given.strip().lower()
    if len(given) < 6:
        raise SunshineError(f"alert id {given!r} is too short: give at least 6 characters")
    if conn.execute("select to_regclass('marts.alerts')").fetchone()[0] is None:
        raise SunshineError("marts.alerts does not exist yet: run a night first")
    rows = conn.execute(
        "select alert_id from marts.alerts where alert_id like %s order by alert_id limit 2",
        (given.replace("%", "").replace("_", "") + "%",),
    ).fetchall()
    if not rows:
        raise SunshineError(
            f"no alert {given!r} in marts.alerts: `sunshine alerts list` shows the ids"
        )
    if len(rows) > 1 and rows[0][0] != given:
        raise SunshineError(f"alert id {given!r} is ambiguous: give more characters")
    return rows[0][0]


def format_alerts(alerts: list[ListedAlert]) -> list[str]:
    lines = [
        f"{'alert_id':<32}  {'rule':<4} {'severity':<8} {'status':<9} {'due_on':<10}  "
        f"{'dept':<6} {'amount':>12}  subject"
    ]
    for a in alerts:
        subject = f"{a.subject_type} {a.subject_key}" + (f" {a.period}" if a.period else "")
        lines.append(
            f"{a.alert_id:<32}  {a.rule_code:<4} {a.severity:<8} {a.status:<9} "
            f"{a.due_on.isoformat():<10}  {a.department_code or '-':<6} "
            f"{a.amount_at_risk:>12,.2f}  {subject}"
        )
    return lines
