"""The load ledger: one row per table window, file or API sweep, and what became of it.

A data engineer reads it to answer "what did last night load, and why not the rest";
the next night reads it for its watermark. Rows are never updated after the load
finishes, so a rerun adds rows and the history stays whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import psycopg
from psycopg import sql

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
                          'failed', 'refused', 'unrecognised')),
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
-- (a name no contract allows) on a ledger created before they existed.
do $$
begin
    if not exists (
        select from pg_constraint
        where conrelid = 'ops.load_ledger'::regclass
          and conname = 'load_ledger_status_check'
          and pg_get_constraintdef(oid) like '%unrecognised%'
    ) then
        alter table ops.load_ledger drop constraint if exists load_ledger_status_check;
        alter table ops.load_ledger add constraint load_ledger_status_check
            check (status in ('running', 'loaded', 'unchanged', 'superseded', 'quarantined',
                              'failed', 'refused', 'unrecognised'));
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
    count(*) as loads,
    count(*) filter (where status = 'quarantined') as quarantined_loads,
    count(*) filter (where status = 'failed') as failed_loads,
    coalesce(sum(rows_at_source), 0) as rows_at_source,
    coalesce(sum(rows_landed), 0) as rows_landed,
    coalesce(sum(rows_already_landed), 0) as rows_already_landed,
    coalesce(sum(rows_quarantined), 0) as rows_quarantined,
    coalesce(sum(rows_superseded), 0) as rows_superseded,
    string_agg(object || ' ' || source || ': ' || error, '; ' order by object, source)
        filter (where status in ('quarantined', 'failed', 'refused')) as problems,
    count(*) filter (where status = 'unrecognised') as unrecognised_files,
    string_agg(source || ': ' || error, '; ' order by source)
        filter (where status = 'unrecognised') as warnings
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


def ensure_ledger(conn: psycopg.Connection) -> None:
    hold_schema_lock(conn)
    conn.execute(DDL)


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
