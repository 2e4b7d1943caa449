"""An API system's store: one SQLite file, one table per endpoint, read-only.

Each table (named after the contract object) holds one row per record:
`id` (the record key), `updated_at` (the record's updatedAt, with its offset),
`updated_at_utc` (the same instant in UTC, written so that text order is time
order), `deleted` (0/1) and `body` (the JSON record exactly as served). The
simulator writes it; the server opens it read-only on every request, so what it
serves is what the store holds at that moment.

`updated_at_utc` is compared as text (that is what its index on
(updated_at_utc, id) serves), so a bound from a request is written the way the
store writes its instants: separator, fractional digits and UTC suffix are read
from a stored value, never assumed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sunshine.contracts.model import System
from sunshine.errors import SunshineError

COLUMNS = ("id", "updated_at", "updated_at_utc", "deleted", "body")
BUSY_TIMEOUT_SECONDS = 10.0

_UTC_TEXT = re.compile(
    r"\d{4}-\d\d-\d\d(?P<sep>[T ])\d\d:\d\d:\d\d(?:\.(?P<fraction>\d+))?"
    r"(?P<suffix>Z|[+-]00:?00)?"
)


class StoreError(SunshineError):
    """The store is missing or does not have the shape the server reads."""


@dataclass(frozen=True)
class Since:
    """An incremental filter: records updated at or after (inclusive) / after `instant`."""

    instant: dt.datetime  # aware
    inclusive: bool


@dataclass(frozen=True)
class UtcFormat:
    """How a store writes `updated_at_utc`, so a bound compares right as text."""

    sep: str = "T"
    digits: int = 0
    suffix: str = "Z"

    @classmethod
    def of(cls, sample: str, where: str) -> UtcFormat:
        m = _UTC_TEXT.fullmatch(sample)
        if not m:
            raise StoreError(
                f"{where}: updated_at_utc {sample!r} is not an ISO-8601 UTC date-time "
                "such as 2026-11-03T13:14:05Z"
            )
        return cls(m["sep"], len(m["fraction"] or ""), m["suffix"] or "")

    def render(self, instant: dt.datetime) -> str:
        utc = instant.astimezone(dt.UTC)
        text = utc.strftime(f"%Y-%m-%d{self.sep}%H:%M:%S")
        if self.digits:
            text += "." + f"{utc.microsecond:06d}".ljust(self.digits, "0")[: self.digits]
        return text + self.suffix

    def where(self, since: Since) -> tuple[str, str]:
        """The SQL comparison and the text bound for `since`.

        A stored instant is a whole number of the store's units (seconds when it
        writes no fraction). A bound between two units is raised to the next one,
        where "at or after" and "after" both mean ">=" it.
        """
        unit = 10 ** (6 - min(self.digits, 6))
        spill = since.instant.microsecond % unit
        if spill:
            raised = since.instant + dt.timedelta(microseconds=unit - spill)
            return ">=", self.render(raised)
        return (">=" if since.inclusive else ">"), self.render(since.instant)


@dataclass(frozen=True)
class Row:
    updated_at_utc: str
    id: str
    body: str


class Store:
    """The SQLite file of one API system."""

    def __init__(self, path: Path, system: System) -> None:
        self.path = Path(path)
        self.system = system

    def check(self) -> dict[str, int]:
        """Fail now, with what is wrong, rather than on the first request; rows per table."""
        if not self.path.is_file():
            raise StoreError(
                f"no store for '{self.system.code}' at {self.path}: create the sources "
                "(`sunshine simulate`) or fix `store` in sources.yaml"
            )
        counts = {}
        with self.connect() as conn:
            for obj in self.system.objects:
                found = {row[1] for row in conn.execute(f'PRAGMA table_info("{obj.name}")')}
                if not found:
                    raise StoreError(f"store {self.path} has no table '{obj.name}'")
                missing = [c for c in COLUMNS if c not in found]
                if missing:
                    raise StoreError(
                        f"store {self.path}: table '{obj.name}' lacks {', '.join(missing)}"
                    )
                self.utc_format(conn, obj.name)
                counts[obj.name] = conn.execute(f'SELECT count(*) FROM "{obj.name}"').fetchone()[0]
        return counts

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            # One snapshot per request: a count and its page agree even while the
            # simulator writes.
            conn.execute("BEGIN")
            yield conn
        finally:
            conn.close()

    def utc_format(self, conn: sqlite3.Connection, table: str) -> UtcFormat:
        sample = conn.execute(
            f'SELECT updated_at_utc FROM "{table}" WHERE updated_at_utc IS NOT NULL LIMIT 1'
        ).fetchone()
        return UtcFormat.of(sample[0], f"{self.path}:{table}") if sample else UtcFormat()

    def _filters(
        self, conn: sqlite3.Connection, table: str, since: Since | None, live_only: bool
    ) -> tuple[list[str], list[object]]:
        clauses: list[str] = []
        values: list[object] = []
        if since is not None:
            op, bound = self.utc_format(conn, table).where(since)
            clauses.append(f"updated_at_utc {op} ?")
            values.append(bound)
        if live_only:
            clauses.append("deleted = 0")
        return clauses, values

    def page(
        self, table: str, *, since: Since | None, live_only: bool, offset: int, size: int
    ) -> tuple[list[str], int]:
        """Bodies of one numbered page in (updated_at_utc, id) order, and the total."""
        with self.connect() as conn:
            clauses, values = self._filters(conn, table, since, live_only)
            where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
            total = conn.execute(f'SELECT count(*) FROM "{table}" {where}', values).fetchone()[0]
            if offset >= total:
                return [], total
            bodies = [
                body
                for (body,) in conn.execute(
                    f'SELECT body FROM "{table}" {where} '
                    "ORDER BY updated_at_utc, id LIMIT ? OFFSET ?",
                    [*values, size, offset],
                )
            ]
        return bodies, total

    def after(
        self,
        table: str,
        *,
        since: Since | None,
        live_only: bool,
        position: tuple[str, str] | None,
        limit: int,
    ) -> list[Row]:
        """Up to `limit` rows strictly after `position` in (updated_at_utc, id) order."""
        with self.connect() as conn:
            clauses, values = self._filters(conn, table, since, live_only)
            if position is not None:
                clauses.append("(updated_at_utc, id) > (?, ?)")
                values.extend(position)
            where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
            return [
                Row(*row)
                for row in conn.execute(
                    f'SELECT updated_at_utc, id, body FROM "{table}" {where} '
                    "ORDER BY updated_at_utc, id LIMIT ?",
                    [*values, limit],
                )
            ]


def write_store(path: Path, system: System, tables: dict[str, list[dict]]) -> Path:
    """Write (replace) an API system's store: `tables` maps each endpoint to its records.

    One row per record key, the latest version; `updated_at_utc` as `...THH:MM:SSZ`.
    The simulator writes its stores with this, so the server reads what it expects.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    conn = sqlite3.connect(temporary)
    try:
        with conn:
            for name, records in tables.items():
                obj = system.get_object(name)
                (key,) = obj.key
                stamp = obj.incremental_column or "updatedAt"
                deleted_field = getattr(system.transport, "soft_delete_field", None)
                conn.execute(
                    f'CREATE TABLE "{name}" (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, '
                    "updated_at_utc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, "
                    "body TEXT NOT NULL)"
                )
                conn.execute(f'CREATE INDEX "{name}_changes" ON "{name}" (updated_at_utc, id)')
                conn.executemany(
                    f'INSERT OR REPLACE INTO "{name}" VALUES (?, ?, ?, ?, ?)',
                    (
                        (
                            str(record[key]),
                            record[stamp],
                            dt.datetime.fromisoformat(record[stamp])
                            .astimezone(dt.UTC)
                            .strftime("%Y-%m-%dT%H:%M:%SZ"),
                            int(bool(deleted_field and record.get(deleted_field))),
                            json.dumps(record, ensure_ascii=False),
                        )
                        for record in records
                    ),
                )
    finally:
        conn.close()
    temporary.replace(path)
    return path
