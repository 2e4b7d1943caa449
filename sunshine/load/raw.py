"""Raw landing tables: every delivered column as text, plus where each row came from.

One table per source object, `raw.<system>__<object>`. Rows are streamed in with COPY
into a temporary table, then only versions not landed before are kept, so a rerun of
the same night changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import psycopg
from psycopg import sql

from sunshine.contracts.model import SourceObject
from sunshine.load import ledger
from sunshine.schema_lock import hold_schema_lock

RAW_SCHEMA = "raw"
METADATA_COLUMNS = (
    ("_load_id", "bigint not null"),
    ("_night", "date not null"),
    ("_source", "text not null"),
    ("_row_number", "bigint not null"),
    ("_extracted_at", "timestamptz not null default now()"),
    ("_row_hash", "text not null"),
)
# A file drop's rows also say which delivery they came from: a `_v2` replaces its `_v1`
# whole, and staging keeps the latest version of each file.
FILE_COLUMNS = (("_file_base", "text"), ("_file_version", "integer"))


def raw_table(system: str, obj: SourceObject) -> sql.Composed:
    return sql.Identifier(RAW_SCHEMA, f"{system}__{obj.name}")


def ensure_raw_table(conn: psycopg.Connection, system: str, obj: SourceObject) -> None:
    hold_schema_lock(conn)
    if obj.kind == "file":
        # Staging asks the ledger which version of each file is current.
        ledger.ensure_ledger(conn)
    table = raw_table(system, obj)
    columns = [sql.SQL("{} text").format(sql.Identifier(alias)) for alias in obj.aliases]
    extra = FILE_COLUMNS if obj.kind == "file" else ()
    columns += [sql.SQL(f"{name} {kind}") for name, kind in (*METADATA_COLUMNS, *extra)]
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(RAW_SCHEMA)))
    conn.execute(
        sql.SQL("create table if not exists {} ({})").format(table, sql.SQL(", ").join(columns))
    )
    name = f"{system}__{obj.name}"
    conn.execute(
        sql.SQL("create index if not exists {} on {} (_row_hash)").format(
            sql.Identifier(f"{name}_row_hash"), table
        )
    )
    conn.execute(
        sql.SQL("create index if not exists {} on {} (_night)").format(
            sql.Identifier(f"{name}_night"), table
        )
    )
    if obj.kind == "file":
        # Each file's load asks what earlier versions of it landed: without this index
        # every file of a night would scan the whole table.
        conn.execute(
            sql.SQL("create index if not exists {} on {} (_file_base, _file_version)").format(
                sql.Identifier(f"{name}_file"), table
            )
        )


def _keep_new_versions(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    stage: sql.Identifier,
    *,
    load_id: int,
    night: str,
    source: str,
    unique_in_batch: bool = False,
) -> int:
    """Move staged rows into raw, except versions landed before (by their row hash).

    `unique_in_batch`: the source guarantees one row per key in a batch (a database
    table with its key), so the batch needs no de-duplication of its own. An empty
    raw table needs no comparison with what landed before: the first load of a large
    table is the one where both savings count.
    """
    table = raw_table(system, obj)
    aliases = obj.aliases
    column_list = sql.SQL(", ").join(map(sql.Identifier, aliases))
    hashed = sql.SQL("select s.*, md5(row({})::text) as _row_hash from {} s").format(
        sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(a)) for a in aliases), stage
    )
    if not unique_in_batch:
        hashed = sql.SQL(
            "select distinct on (_row_hash) * from ({}) h order by _row_hash, _row_number"
        ).format(hashed)
    landed_before = conn.execute(
        sql.SQL("select exists (select 1 from {})").format(table)
    ).fetchone()
    new_only = (
        sql.SQL("where not exists (select 1 from {} r where r._row_hash = s._row_hash)").format(
            table
        )
        if landed_before and landed_before[0]
        else sql.SQL("")
    )
    return conn.execute(
        sql.SQL(
            """insert into {table} ({columns}, _load_id, _night, _source, _row_number, _row_hash)
               select {columns}, %s, %s, %s, _row_number, _row_hash from ({hashed}) s {new_only}"""
        ).format(table=table, columns=column_list, hashed=hashed, new_only=new_only),
        (load_id, night, source),
    ).rowcount


def _stage(conn: psycopg.Connection, obj: SourceObject, load_id: int) -> sql.Identifier:
    """A temporary table in the object's shape; `_row_number` counts rows as they come."""
    stage = sql.Identifier(f"_stage_{load_id}")
    conn.execute(
        sql.SQL("create temporary table {} ({}, _row_number bigserial) on commit drop").format(
            stage,
            sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(a)) for a in obj.aliases),
        )
    )
    return stage


def land_copy_stream(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    chunks: Iterable[bytes],
    *,
    load_id: int,
    night: str,
    source: str,
    unique_in_batch: bool = False,
) -> tuple[int, int]:
    """Like `land_rows`, for rows already in COPY text format (server-to-server)."""
    stage = _stage(conn, obj, load_id)
    copy_sql = sql.SQL("copy {} ({}) from stdin").format(
        stage, sql.SQL(", ").join(map(sql.Identifier, obj.aliases))
    )
    with conn.cursor() as cur, cur.copy(copy_sql) as copy:
        for chunk in chunks:
            copy.write(chunk)
    read = conn.execute(sql.SQL("select count(*) from {}").format(stage)).fetchone()[0]
    landed = _keep_new_versions(
        conn, system, obj, stage, load_id=load_id, night=night, source=source
    )
    return int(read), landed


def land_rows(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    rows: Iterable[Sequence[str | None]],
    *,
    load_id: int,
    night: str,
    source: str,
    unique_in_batch: bool = False,
) -> tuple[int, int]:
    """COPY rows (aliases order) in; keep versions not landed before.

    Returns (rows read, rows newly landed).
    """
    stage = _stage(conn, obj, load_id)
    copy_sql = sql.SQL("copy {} ({}) from stdin").format(
        stage, sql.SQL(", ").join(map(sql.Identifier, obj.aliases))
    )
    read = 0
    with conn.cursor() as cur, cur.copy(copy_sql) as copy:
        for read, row in enumerate(rows, start=1):  # noqa: B007 - the count is the point
            copy.write_row(row)
    landed = _keep_new_versions(
        conn, system, obj, stage, load_id=load_id, night=night, source=source
    )
    return read, landed


def copy_file_rows(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    rows: Iterable[tuple[int, Sequence[str | None]]],
    *,
    load_id: int,
    night: str,
    file_name: str,
    file_base: str,
    file_version: int,
) -> int:
    """COPY a file's rows straight in: a file is loaded whole or not at all (the caller's
    transaction), and exact duplicates inside it are kept, as its control file counts them.
    """
    aliases = obj.aliases
    columns = [
        *aliases,
        "_load_id",
        "_night",
        "_source",
        "_row_number",
        "_row_hash",
        "_file_base",
        "_file_version",
    ]
    copy_sql = sql.SQL("copy {} ({}) from stdin").format(
        raw_table(system, obj), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    landed = 0
    with conn.cursor() as cur, cur.copy(copy_sql) as copy:
        for number, row in rows:
            digest = hashlib.md5(repr(tuple(row)).encode(), usedforsecurity=False).hexdigest()
            copy.write_row(
                (*row, load_id, night, file_name, number, digest, file_base, file_version)
            )
            landed += 1
    return landed
