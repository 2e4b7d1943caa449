"""The load ledger: one row per table window, file or API sweep, and what became of it.

A data engineer reads it to answer "what did last night load, and why not the rest";
the next night reads it for its watermark. Rows are never updated after the load
finishes, so a rerun adds rows and the history stays whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from sunshine.errors import TransientSourceError
from sunshine.schema_lock import hold_schema_lock

DDL = """
create schema if not exists ops;
create table if not exists ops.load_ledger (
    load_id bigserial primary key,
    system text not null,
    object text not null,
    night date not null,
    transport text not null,
    source text not null,
    status text not null default 'running'
        check (status in ('running', 'loaded', 'unchanged', 'superseded', 'quarantined',
                          'failed', 'refused', 'unrecognised', 'interrupted',
                          'missing', 'late', 'held_back')),
    started_at timestamptz not null default clock_timestamp(),
    finished_at timestamptz,
    rows_at_source bigint,
    rows_landed bigint,
    rows_already_landed bigint,
    rows_quarantined bigint,
    file_sha256 text,
    control_rows bigint,
    control_amount numeric(18, 2),
    watermark_before timestamp,
    watermark_after timestamp,
    error text
);
create index if not exists load_ledger_object_night
    on ops.load_ledger (system, object, night);
alter table ops.load_ledger add column if not exists rows_superseded bigint;
alter table ops.load_ledger add column if not exists supersedes text;
alter table ops.load_ledger add column if not exists quarantine_path text;
-- A file's base name and version, so staging asks the ledger which version is current:
-- an empty _v2 lands no raw row, yet it replaces its _v1.
alter table ops.load_ledger add column if not exists file_base text;
alter table ops.load_ledger add column if not exists file_version integer;
create index if not exists load_ledger_file_version
    on ops.load_ledger (file_base, file_version) where file_base is not null;
-- 'refused' (a link or a path outside the drop folder, never read) and 'unrecognised'
-- (a name no contract allows), 'interrupted' (a load whose process died: the next load
-- of its object says so), 'missing' (a table the contract added that this source does not
-- deliver yet), 'late' (a banking day's file not delivered: sunshine/load/freshness.py),
-- 'held_back' (contract-named files in a drop folder that count for a later night than
-- the one loaded: one row per object and night) on a ledger created before they existed.
do $$
begin
    if not exists (
        select from pg_constraint
        where conrelid = 'ops.load_ledger'::regclass
          and conname = 'load_ledger_status_check'
          and pg_get_constraintdef(oid) like '%held_back%'
    ) then
        alter table ops.load_ledger drop constraint if exists load_ledger_status_check;
        alter table ops.load_ledger add constraint load_ledger_status_check
            check (status in ('running', 'loaded', 'unchanged', 'superseded', 'quarantined',
                              'failed', 'refused', 'unrecognised', 'interrupted',
                              'missing', 'late', 'held_back'));
    end if;
end
$$;

-- What each night did per system, in a data engineer's words: the last word on each
-- table window, file or sweep of that night (a rerun's row replaces the first run's).
create or replace view ops.night_reconciliation as
with last_word as (
    select distinct on (system, object, source, night) *
    from ops.load_ledger
    where status <> 'running'
    order by system, object, source, night, load_id desc
)
select
    night,
    system,
    count(*) filter (where status not in ('late', 'held_back')) as loads,
    count(*) filter (where status = 'quarantined') as quarantined_loads,
    count(*) filter (where status = 'failed') as failed_loads,
    coalesce(sum(rows_at_source), 0) as rows_at_source,
    coalesce(sum(rows_landed), 0) as rows_landed,
    coalesce(sum(rows_already_landed), 0) as rows_already_landed,
    coalesce(sum(rows_quarantined), 0) as rows_quarantined,
    coalesce(sum(rows_superseded), 0) as rows_superseded,
    string_agg(object || ' ' || source || ': ' || error, '; ' order by object, source)
        filter (where status in ('quarantined', 'failed', 'refused', 'interrupted'))
        as problems,
    count(*) filter (where status = 'unrecognised') as unrecognised_files,
    string_agg(source || ': ' || error, '; ' order by source)
        filter (where status in ('unrecognised', 'missing', 'held_back')) as warnings,
    -- Appended, so that `create or replace view` keeps the earlier columns in place.
    count(*) filter (where status = 'late') as late_files,
    string_agg(error, '; ' order by source) filter (where status = 'late') as freshness
from last_word
group by night, system;
"""


@dataclass
class LoadOutcome:
    """What one load did; written to the ledger when it finishes."""

    status: str
    rows_at_source: int = 0
    rows_landed: int = 0
    rows_already_landed: int = 0
    rows_quarantined: int = 0
    watermark_after: dt.datetime | None = None
    file_sha256: str | None = None
    control_rows: int | None = None
    control_amount: float | None = None
    error: str | None = None
    rows_superseded: int | None = None
    supersedes: str | None = None
    quarantine_path: str | None = None
    file_base: str | None = None
    file_version: int | None = None


_DDL_MARK = "sunshine ledger " + hashlib.sha256(DDL.encode()).hexdigest()[:16]


def _current(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "select obj_description(to_regclass('ops.load_ledger'), 'pg_class')"
    ).fetchone()
    return bool(row) and row[0] == _DDL_MARK


def ensure_ledger(conn: psycopg.Connection) -> None:
    """Create or upgrade the ledger, only when its set-up differs from this code's.

    Run on every load, the set-up's ALTER and CREATE VIEW asked for an exclusive lock
    on the ledger while other objects' loads wrote to it, and deadlocked one of them.
    """
    if _current(conn):
        return
    hold_schema_lock(conn)
    if _current(conn):
        return
    conn.execute(DDL)
    conn.execute(sql.SQL("comment on table ops.load_ledger is {}").format(sql.Literal(_DDL_MARK)))


def open_load(
    conn: psycopg.Connection,
    *,
    system: str,
    obj: str,
    night: dt.date,
    transport: str,
    source: str,
    watermark_before: dt.datetime | None,
) -> int:
    row = conn.execute(
        """insert into ops.load_ledger
               (system, object, night, transport, source, watermark_before)
           values (%s, %s, %s, %s, %s, %s) returning load_id""",
        (system, obj, night, transport, source, watermark_before),
    ).fetchone()
    assert row is not None
    return int(row[0])


def close_load(conn: psycopg.Connection, load_id: int, outcome: LoadOutcome) -> None:
    """Write what the load did; the outcome's fields are the ledger's columns."""
    columns = [f.name for f in fields(LoadOutcome)]
    conn.execute(
        sql.SQL(
            "update ops.load_ledger set finished_at = clock_timestamp(), {} where load_id = %s"
        ).format(sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)),
        [*(getattr(outcome, c) for c in columns), load_id],
    )


def watermark_before(
    conn: psycopg.Connection, system: str, obj: str, night: dt.date
) -> dt.datetime | None:
    """The high-water mark left by the last good load of an earlier night.

    Earlier nights only, so a rerun of night D reads the same window as the first run.
    """
    row = conn.execute(
        """select max(watermark_after) from ops.load_ledger
           where system = %s and object = %s and night < %s
             and status in ('loaded', 'unchanged')""",
        (system, obj, night),
    ).fetchone()
    return row[0] if row else None


# Session advisory locks: one per source object, so two loads of one drop (two nightly
# runs, a retry beside a slow first attempt) never land it twice, and a load that finds
# a 'running' row of its object knows its owner died (the owner would hold the lock).
_LOAD_KEY = 0x4C4F4144  # "LOAD"
LOAD_LOCK_WAIT = "15min"


@contextmanager
def object_lock(
    conn: psycopg.Connection, system: str, obj: str, wait: str = LOAD_LOCK_WAIT
) -> Iterator[None]:
    """Hold the object's lock for the load; a second load waits for it (bounded).

    A lock still held after `wait` is a transient failure: Airflow retries later, when
    the other load has finished and this one lands nothing it landed.
    """
    name = f"{system}.{obj}"
    try:
        conn.execute("select set_config('lock_timeout', %s, false)", (wait,))
        conn.execute("select pg_advisory_lock(%s, hashtext(%s))", (_LOAD_KEY, name))
    except psycopg.errors.LockNotAvailable:
        conn.rollback()
        raise TransientSourceError(
            f"{name}: another load of it still runs after {wait}; retried later"
        ) from None
    finally:
        if conn.info.transaction_status != TransactionStatus.INERROR:
            conn.execute("select set_config('lock_timeout', '0', false)")
    conn.commit()
    try:
        yield
    finally:
        if conn.info.transaction_status == TransactionStatus.INERROR:
            conn.rollback()
        if not conn.closed:
            conn.execute("select pg_advisory_unlock(%s, hashtext(%s))", (_LOAD_KEY, name))
            conn.commit()


def mark_interrupted(conn: psycopg.Connection, system: str, obj: str) -> int:
    """Mark the object's 'running' rows 'interrupted'; call with its lock held.

    Whoever opened such a row held the lock until it ended, so its process is gone.
    """
    found = conn.execute(
        """update ops.load_ledger
           set status = 'interrupted', finished_at = clock_timestamp(),
               error = 'interrupted: its process ended before the load finished '
                       || '(found by ' || %s || ')'
           where system = %s and object = %s and status = 'running'""",
        (f"pid {os.getpid()} on {socket.gethostname()}", system, obj),
    ).rowcount
    conn.commit()
    return found
