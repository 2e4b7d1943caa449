"""What a night's build set aside: the data tests that found rows (ops.build_warnings).

dbt's on-run-end hook (macro record_build_warnings) writes one row per test that found
bad rows on the night; the models after it still built. `sunshine nightly` prints these
as DEGRADED lines, so a data engineer reads at once which model, which test, how many rows
and where the rows are kept (a view in schema `audit`).
"""

from __future__ import annotations

import datetime as dt

import psycopg

WARNINGS = """
select model, test, status, failing_rows, kept_in
from ops.build_warnings
where night = %s
order by model nulls last, test
"""


def build_warnings(url: str, night: dt.date) -> list[tuple]:
    """(model, test, status, rows, kept_in) of the night's last build; none before a build."""
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass('ops.build_warnings')").fetchone()[0] is None:
            return []
        return conn.execute(WARNINGS, (night,)).fetchall()


def degraded_lines(url: str, night: dt.date) -> list[str]:
    """One line per warning, naming the model, the test, the rows and where they are kept."""
    lines = []
    for model, test, status, rows, kept_in in build_warnings(url, night):
        count = "some" if rows is None else f"{rows:,}"
        where = f"; kept in {kept_in}" if kept_in else ""
        word = "warned" if status == "warn" else "failed"
        lines.append(
            f"DEGRADED night {night}: {model or '(no model)'}: test {test} {word} on "
            f"{count} row(s){where}"
        )
    return lines
