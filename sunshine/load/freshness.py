"""Freshness: a drop that owes a file every banking day and delivered none for the night.

The one-card contract promises "onecard_YYYYMMDD.csv, one per banking day". A banking
night (Monday to Friday) with no such file for its day, neither in the folder by the end
of the night nor loaded on an earlier night, is a warning, not a failure: the night goes
on with what came, the ledger records a row with status `late` under the name it expected,
`ops.night_reconciliation` lists it in `warnings` (the data-quality dashboard shows it),
and `sunshine nightly` prints a LATE line. A file that arrives later loads on its own
night; a rerun of the night then finds it (its row is the night's last word for that name).

Not judged: nights before the drop's first delivery (a system not yet live owes nothing),
and public holidays, which the contract does not list: a warning on one is explained by it.
"""

from __future__ import annotations

import datetime as dt

import psycopg

from sunshine.contracts.model import FileDropTransport, SourceObject
from sunshine.sources.files import DroppedFile

LATE = """
select system, source, error from ops.load_ledger
where night = %s and status = 'late'
  and load_id in (
      select max(load_id) from ops.load_ledger where night = %s group by system, object, source
  )
order by system, source
"""


def owed_file(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    transport: FileDropTransport,
    night: dt.date,
    delivered: list[DroppedFile],
) -> str | None:
    """The name of the banking day's file the drop owes and did not deliver, else None."""
    if transport.banking_day_file is None or night.weekday() >= 5:
        return None
    name = transport.banking_day_file.format(day=night)
    if any(file.base == name for file in delivered):
        return None
    # Loaded before (delivered early, or the folder was emptied since): not owed.
    # Nothing ever delivered by tonight: the system is not live yet.
    seen, started = conn.execute(
        """select bool_or(file_base = %s), count(*) > 0 from ops.load_ledger
           where system = %s and object = %s and file_base is not null and night <= %s
             and status in ('loaded', 'unchanged', 'quarantined', 'superseded')""",
        (name, system, obj.name, night),
    ).fetchone()
    if seen or not (started or delivered):
        return None
    return name


def late_reason(name: str, night: dt.date) -> str:
    """The freshness warning's words: which file, which night, and what may explain it."""
    return (
        f"no {name} by the end of {night:%Y-%m-%d} ({night:%A}): the contract promises one "
        "file per banking day; a public holiday explains it, else ask the producer"
    )


def late_lines(url: str, night: dt.date) -> list[str]:
    """One LATE line per file the night's drops owed and did not deliver."""
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass('ops.load_ledger')").fetchone()[0] is None:
            return []
        rows = conn.execute(LATE, (night, night)).fetchall()
    return [f"LATE night {night}: {system}: {error}" for system, _source, error in rows]
