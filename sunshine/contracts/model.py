"""The shape of a source contract, as plain frozen dataclasses.

The interface documents of the source systems live outside this repository, so the
project carries its own encoding of them (`sunshine.contracts.systems`). These classes
are that encoding's vocabulary: enough for extractors, loaders and generated dbt sources
to agree on names, keys and formats without re-reading any document at run time.
Everything here is a constant built at import, so importing it costs no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

ObjectKind = Literal["table", "file", "endpoint"]
TransportKind = Literal["database", "file_drop", "http_json_api"]

_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Field:
    """One delivered column or JSON attribute.

    `name` is exactly what the source delivers (Chinese headers, camelCase JSON keys),
    because that is what a reader must look for; `alias` is the snake_case name we land
    and stage it under, so SQL never has to quote a Chinese or camelCase identifier.
    `type` is kept verbatim from the contract: it is documentation of what arrives
    (e.g. "Excel date, or text YYYY-MM-DD"), not a database type we impose.
    `nullable` is True when the contract says the value can be missing, in its type
    ("date null", "string or null", "integer 1-4 or empty") or in its note
    ("may be empty", "empty on success").
    """

    name: str
    type: str
    note: str | None = None
    alias: str = ""  # empty means "same as name", filled in below
    nullable: bool = False

    def __post_init__(self) -> None:
        if not self.alias:
            object.__setattr__(self, "alias", self.name)
        # Fail at import, not at 2 a.m. in a loader, when an alias would need quoting.
        if not _SNAKE.fullmatch(self.alias):
            raise ValueError(f"field {self.name!r}: alias {self.alias!r} is not snake_case")


@dataclass(frozen=True)
class SourceObject:
    """A table, file or endpoint a system delivers, with its key and how it changes.

    `incremental_column` names the delivered field a nightly run can filter on:
    `updated_at` for tables the contract reads incrementally, `updatedAt` for API
    endpoints (the server compares it with the incremental parameter), None for tables
    read whole every night and for file drops (a file is replaced whole by a new version).
    """

    name: str
    kind: ObjectKind
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    change: str | None = None
    incremental_column: str | None = None
    path: str | None = None  # endpoints only, e.g. "/api/v1/households" (always GET)
    note: str | None = None
    # An object a contract added later, which a source may not deliver yet: its absence at
    # the source is a warning of the night, not a failure (e.g. reference.division: a
    # deployment without it shows codes without names).
    optional: bool = False

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(f.alias for f in self.fields)

    @property
    def key_aliases(self) -> tuple[str, ...]:
        by_name = {f.name: f.alias for f in self.fields}
        return tuple(by_name[k] for k in self.key)

    def get_field(self, name: str) -> Field:
        """The field delivered as `name` (not its alias)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


@dataclass(frozen=True)
class DatabaseTransport:
    """A read-only account on the source database, reached through any SQLAlchemy URL."""

    kind: ClassVar[TransportKind] = "database"


@dataclass(frozen=True)
class ControlFile:
    """The small file that tells a complete data file from one still being written.

    A data file without its control file, or whose row count or amount sum disagrees
    with it, is incomplete and must not be loaded as good data.
    """

    pattern: str  # regex, full match, same named groups as the data file
    line_pattern: str  # regex for its single line, groups `rows` and `amount`
    encoding: str
    extension: str = ".ok"

    def name_for(self, data_file: str) -> str:
        """The control file that vouches for `data_file` (same stem, same version)."""
        return data_file.rsplit(".", 1)[0] + self.extension

    def parse(self, text: str) -> tuple[int, Decimal] | None:
        """(rows, amount) from the control file's text, None when it is malformed."""
        m = re.fullmatch(self.line_pattern, text.strip())
        return (int(m["rows"]), Decimal(m["amount"])) if m else None


@dataclass(frozen=True)
class FileDropTransport:
    """Files a producer drops into one folder per system; never edited in place.

    A correction is delivered again as `<name>_v2.<ext>`, `_v3`, ... and replaces the
    earlier version whole, so `file_pattern` captures an optional `version` besides the
    date, period, town, year or term the file covers. Rows are 1-based as a person
    reading the spreadsheet counts them.
    """

    kind: ClassVar[TransportKind] = "file_drop"

    file_pattern: str  # regex, matched against the whole file name
    format: Literal["csv", "xlsx"]
    # A drop that owes one file per banking day: its first delivery's name for a day, as
    # a format string of `day` (e.g. "onecard_{day:%Y%m%d}.csv"). A banking night without
    # it is a freshness warning (sunshine/load/freshness.py); None for other cadences.
    banking_day_file: str | None = None
    encoding: str | None = None  # csv only
    delimiter: str | None = None  # csv only
    quotechar: str | None = None  # csv only
    sheet: str | None = None  # xlsx only
    header_row: int = 1
    data_start_row: int = 2
    total_row_column: str | None = None  # a trailing total row has this column ...
    total_row_marker: str | None = None  # ... set to this marker; it is not data
    control_file: ControlFile | None = None
    # When a first delivery is due, in the project's own word: the contracts name no due
    # day. A file counts for the night of its due day at the latest, whatever a copy did
    # to its modification time (docs/file_drops.md, "A file's night"). The day is the end
    # of what the name covers (its `date`; the last day of its month `period`; the last
    # day of its `year`'s `term`), plus `due_months_after` whole months.
    due_months_after: int = 0
    # Term files: the (month, day) term n ends on, in the school year's second calendar
    # year (`year` is the school year's first: 2026 names 2026-2027).
    term_ends: tuple[tuple[int, int], ...] = ()

    def due_day(self, name: str) -> dt.date | None:
        """The last day a first delivery named `name` can be said to be late by.

        None for a name no contract allows, or one that carries no date, month or term.
        """
        parts = self.parse_file_name(name)
        if parts is None:
            return None
        if parts.get("date"):
            end = dt.datetime.strptime(parts["date"] or "", "%Y%m%d").date()
        elif parts.get("period"):
            period = parts["period"] or ""
            end = _month_end(int(period[:4]), int(period[4:]))
        elif parts.get("year") and parts.get("term") and self.term_ends:
            month, day = self.term_ends[int(parts["term"] or 0) - 1]
            end = dt.date(int(parts["year"] or 0) + 1, month, day)
        else:
            return None
        if self.due_months_after:
            months = end.year * 12 + end.month - 1 + self.due_months_after
            end = _month_end(months // 12, months % 12 + 1)
        return end

    def parse_file_name(self, name: str) -> dict[str, str | None] | None:
        """The named groups of a matching file name, None for any other file.

        Temporary names (e.g. `allowance_202610.csv.tmp`) do not match, which is how
        a drop without a control file tells a finished file from one being written.
        """
        m = re.fullmatch(self.file_pattern, name)
        return m.groupdict() if m else None

    def file_version(self, name: str) -> int:
        """1 for the first delivery, n for `_vn`; later versions replace earlier ones."""
        parts = self.parse_file_name(name)
        if parts is None:
            raise ValueError(f"{name!r} does not match {self.file_pattern!r}")
        return int(parts.get("version") or 1)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class HttpApiTransport:
    """A JSON HTTP API read page by page, incrementally, with retries.

    A failed page is retried (with back-off, honouring Retry-After when sent) and never
    taken for an empty one: an empty page would silently end the extract early.
    """

    kind: ClassVar[TransportKind] = "http_json_api"

    auth_header: str  # e.g. "Authorization" or "X-Api-Key"
    auth_prefix: str  # put before the secret in the header, e.g. "Bearer "
    unauthorized_status: int
    paging: Literal["page", "cursor"]
    page_param: str  # "page" (a number from 1) or "cursor" (opaque)
    size_param: str
    page_size: int
    max_page_size: int | None
    items_key: str  # where the records are in a response
    response_keys: tuple[str, ...]
    next_cursor_key: str | None  # cursor paging: null when there is no next page
    incremental_param: str
    incremental_inclusive: bool  # True: updatedAt >= since; False: updatedAt > since
    retryable_statuses: tuple[int, ...]
    soft_delete_field: str | None  # a deleted record stays in the feed with this true


Transport = DatabaseTransport | FileDropTransport | HttpApiTransport


@dataclass(frozen=True)
class System:
    """One source system: who owns it, how it is reached, and what it delivers."""

    code: str  # the id used in table names, folders and settings, e.g. "onecard"
    name_zh: str
    name_en: str
    owner: str
    transport: Transport
    objects: tuple[SourceObject, ...]

    @property
    def object_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.objects)

    def get_object(self, name: str) -> SourceObject:
        for o in self.objects:
            if o.name == name:
                return o
        raise KeyError(
            f"system {self.code!r} has no object {name!r}; it has {', '.join(self.object_names)}"
        )


Unit = Literal[
    "household_month",
    "person_month",
    "household_year",
    "person_term",
    "person_once",
    "enterprise_once",
    "project",
]


@dataclass(frozen=True)
class FundCategory:
    """A policy category of welfare money and its statutory parameters.

    A fund line in the budget system names one category and inherits these values
    unless its own row overrides them (`standard_amount`, `disburse_within_days`).
    Alert rules read them from here, so a changed standard is changed in one place.
    Money is Decimal because it is compared with amounts to the fen. A parameter the
    policy does not set is None (or False), never zero: zero would be a real limit.
    """

    code: str
    name_zh: str
    unit: Unit
    source_system: str  # the system whose records show this money reaching people
    disburse_within_days: int
    standard_per_person_month: Decimal | None = None
    standard_per_person_term: Decimal | None = None
    standard_once: Decimal | None = None
    standard_per_mu_year: Decimal | None = None
    cap_per_household_year: Decimal | None = None
    cap_per_person_year: Decimal | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_disability_grade: int | None = None  # grades run 1 (most severe) to 4
    once_per_lifetime: bool = False


Severity = Literal["yellow", "orange", "red"]


@dataclass(frozen=True)
class SupervisionPolicy:
    """Deadlines of the supervision loop (find the problem, press for a fix, close it)."""

    department_response_days: int  # a department must dispose an alert within this
    escalate_after_overdue_days: int  # overdue this long: red, commission re-supervises
    severity_by_delay_days: Mapping[Severity, int]  # first day past the deadline of each

    def severity(self, delay_days: int) -> Severity | None:
        """The severity of a disbursement `delay_days` past its deadline, None if on time."""
        reached = [s for s, d in self.severity_by_delay_days.items() if delay_days >= d]
        return max(reached, key=self.severity_by_delay_days.__getitem__) if reached else None
