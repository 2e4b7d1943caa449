"""Loading a night's file drops: each file whole or not at all, each in the ledger.

A file is the unit a producer delivers and corrects, so it is the unit of loading:
its rows land in one transaction with its ledger row. A file already loaded is not
loaded again (a rerun records it as unchanged); a `_vN` replaces the earlier versions
of its file in staging, and its ledger row says how many rows it superseded. A file
that fails its control file, cannot be decoded or lacks a column is quarantined: a
copy is kept, the ledger says which file and why, and the other files still load.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

from sunshine.contracts.model import FileDropTransport, SourceObject
from sunshine.errors import SunshineError
from sunshine.load import ledger, raw
from sunshine.paths import state_dir
from sunshine.sources.files import (
    DroppedFile,
    FileRejected,
    delivered_files,
    parse_amount,
    read_rows,
    sha256_of,
)

log = logging.getLogger(__name__)
TRANSPORT = "file_drop"


@dataclass
class DropSummary:
    """What one object's drop folder brought on one night."""

    outcomes: dict[str, ledger.LoadOutcome] = field(default_factory=dict)

    @property
    def quarantined(self) -> dict[str, str]:
        return {
            name: outcome.error or ""
            for name, outcome in self.outcomes.items()
            if outcome.status == "quarantined"
        }

    def total(self) -> ledger.LoadOutcome:
        loaded = list(self.outcomes.values())
        return ledger.LoadOutcome(
            status="quarantined" if self.quarantined else "loaded",
            rows_at_source=sum(o.rows_at_source for o in loaded),
            rows_landed=sum(o.rows_landed for o in loaded),
            rows_quarantined=sum(o.rows_quarantined for o in loaded),
        )


def _earlier_loads(conn: psycopg.Connection, system: str, obj: str, name: str) -> list[tuple]:
    return conn.execute(
        """select night, status, file_sha256 from ops.load_ledger
           where system = %s and object = %s and source = %s
             and status in ('loaded', 'unchanged')
           order by load_id""",
        (system, obj, name),
    ).fetchall()


def _latest_version_loaded(
    conn: psycopg.Connection, system: str, obj: SourceObject, base: str
) -> int:
    row = conn.execute(
        sql.SQL("select max(_file_version) from {} where _file_base = %s").format(
            raw.raw_table(system, obj)
        ),
        (base,),
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _quarantine_copy(system: str, night: dt.date, *paths: Path) -> str:
    """Keep what was rejected, as delivered: the producer's folder is not ours to keep."""
    folder = state_dir() / "quarantine" / system / night.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.exists():
            shutil.copy2(path, folder / path.name)
    return str(folder)


def _control_totals(
    file: DroppedFile, transport: FileDropTransport
) -> tuple[Path | None, tuple[int, Decimal] | None]:
    if transport.control_file is None:
        return None, None
    control = file.path.with_name(transport.control_file.name_for(file.name))
    if not control.exists():
        raise FileRejected(f"{file.name}: its control file {control.name} has not arrived")
    try:
        text = control.read_text(encoding=transport.control_file.encoding)
    except (UnicodeDecodeError, OSError) as exc:
        raise FileRejected(
            f"{file.name}: its control file {control.name} is unreadable ({exc})"
        ) from None
    totals = transport.control_file.parse(text)
    if totals is None:
        raise FileRejected(
            f"{file.name}: its control file {control.name} should read "
            f"rows=<n>;amount=<sum>, it reads {text.strip()!r}"
        )
    return control, totals


def _counted_rows(file: DroppedFile, obj: SourceObject, transport: FileDropTransport, tally: dict):
    """Pass rows through while counting them and summing the amount the control file sums."""
    amount_at = obj.aliases.index("amount") if "amount" in obj.aliases else None
    for number, row in read_rows(file, obj, transport):
        tally["rows"] += 1
        if amount_at is not None and transport.control_file is not None:
            try:
                tally["amount"] += parse_amount(row[amount_at]) or 0
            except ValueError as exc:
                raise FileRejected(
                    f"{file.name}, row {number}: {obj.fields[amount_at].name} {exc}"
                ) from None
        yield number, row


def load_file(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    transport: FileDropTransport,
    file: DroppedFile,
    night: dt.date,
) -> ledger.LoadOutcome | None:
    """Load one delivered file; None when an earlier night already loaded it."""
    sha = sha256_of(file.path)
    earlier = _earlier_loads(conn, system, obj.name, file.name)
    same = [row for row in earlier if row[2] == sha]
    if same and all(row[0] != night for row in same):
        return None  # loaded on an earlier night: nothing new tonight
    load_id = ledger.open_load(
        conn,
        system=system,
        obj=obj.name,
        night=night,
        transport=TRANSPORT,
        source=file.name,
        watermark_before=None,
    )
    conn.commit()
    if same:
        outcome = ledger.LoadOutcome(status="unchanged", file_sha256=sha)
    elif earlier:
        outcome = _quarantine(
            system,
            night,
            file,
            sha,
            None,
            f"{file.name} changed after it was loaded (sha256 differs); "
            "a correction must come as a _v2 file",
        )
    elif _latest_version_loaded(conn, system, obj, file.base) > file.version:
        outcome = ledger.LoadOutcome(
            status="superseded",
            file_sha256=sha,
            error=f"a later version of {file.base} was loaded first; this one is not loaded",
        )
    else:
        try:
            outcome = _land(conn, system, obj, transport, file, night, sha, load_id)
        except Exception as exc:
            conn.rollback()
            failed = ledger.LoadOutcome(
                status="failed", file_sha256=sha, error=f"{file.name}: {exc}"
            )
            ledger.close_load(conn, load_id, failed)
            conn.commit()
            raise
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    return outcome


def _quarantine(
    system: str,
    night: dt.date,
    file: DroppedFile,
    sha: str,
    control: Path | None,
    reason: str,
    rows: int = 0,
) -> ledger.LoadOutcome:
    log.warning("quarantined %s: %s", file.name, reason)
    return ledger.LoadOutcome(
        status="quarantined",
        file_sha256=sha,
        error=reason,
        rows_quarantined=rows,
        rows_at_source=rows,
        quarantine_path=_quarantine_copy(system, night, file.path, *(c for c in [control] if c)),
    )


def _land(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    transport: FileDropTransport,
    file: DroppedFile,
    night: dt.date,
    sha: str,
    load_id: int,
) -> ledger.LoadOutcome:
    control = None
    tally = {"rows": 0, "amount": Decimal(0)}
    try:
        control, totals = _control_totals(file, transport)
        landed = raw.copy_file_rows(
            conn,
            system,
            obj,
            _counted_rows(file, obj, transport, tally),
            load_id=load_id,
            night=night.isoformat(),
            file_name=file.name,
            file_base=file.base,
            file_version=file.version,
        )
        if totals is not None and (tally["rows"], tally["amount"]) != totals:
            raise FileRejected(
                f"{file.name}: its control file says rows={totals[0]};amount={totals[1]}, "
                f"the file has rows={tally['rows']};amount={tally['amount']}"
            )
    except FileRejected as exc:
        conn.rollback()
        return _quarantine(system, night, file, sha, control, str(exc), rows=tally["rows"])
    superseded = conn.execute(
        sql.SQL(
            """select count(*), string_agg(distinct _source, ', ') from {}
               where _file_base = %s and _file_version < %s"""
        ).format(raw.raw_table(system, obj)),
        (file.base, file.version),
    ).fetchone()
    return ledger.LoadOutcome(
        status="loaded",
        rows_at_source=tally["rows"],
        rows_landed=landed,
        file_sha256=sha,
        control_rows=totals[0] if totals else None,
        control_amount=float(totals[1]) if totals else None,
        rows_superseded=superseded[0] if superseded else 0,
        supersedes=superseded[1] if superseded else None,
    )


def extract_drop(
    conn: psycopg.Connection,
    folder: Path,
    system: str,
    obj: SourceObject,
    transport: FileDropTransport,
    night: dt.date,
) -> DropSummary:
    """Load every file the night delivered for this object, the latest version of each."""
    if not folder.is_dir():
        raise SunshineError(f"the drop folder of {system} ({folder}) does not exist")
    files = delivered_files(folder, transport, night)
    latest: dict[str, int] = {}
    for file in files:
        latest[file.base] = max(latest.get(file.base, 0), file.version)
    summary = DropSummary()
    for file in files:
        # A v1 and its v2 delivered the same night: only the v2 is worth loading.
        if file.version < latest[file.base] and not _earlier_loads(
            conn, system, obj.name, file.name
        ):
            continue
        outcome = load_file(conn, system, obj, transport, file, night)
        if outcome is not None:
            summary.outcomes[file.name] = outcome
    return summary
