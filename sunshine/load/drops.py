"""Loading a night's file drops: each file whole or not at all, each in the ledger.

A file is the unit a producer delivers and corrects, so it is the unit of loading:
its rows land in one transaction with its ledger row. A file already loaded is not
loaded again (a rerun records it as unchanged); a `_vN` replaces the earlier versions
of its file in staging, and its ledger row says how many rows it superseded. A file
that fails its control file, cannot be decoded or lacks a column is quarantined: a
copy is kept, the ledger says which file and why, and the other files still load.
Quarantine copies hold personal data: files 0600, folders 0700. A link or a path
outside the folder is refused unread; a name no contract allows is `unrecognised`.

Which version of a file is current is the ledger's word (`file_base`, `file_version`),
not the raw rows': an empty `_v2` lands no row, yet it replaces its `_v1` whole.

Which night a file counts for is its delivery time's (`sunshine.sources.files`), except
for a file the ledger has loaded: that very file (same name, same sha256) counts for the
night it was first loaded on every rerun, whatever a copy has done to its time since.
Contract-named files that count for a later night are said once a night (`held_back`): a
backfill of a copied folder must not load nothing silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

from sunshine.contracts.model import FileDropTransport, SourceObject
from sunshine.errors import SunshineError
from sunshine.load import freshness, ledger, raw
from sunshine.paths import state_dir
from sunshine.sources.files import (
    DroppedFile,
    FileRejected,
    dropped_files,
    night_end,
    parse_amount,
    read_rows,
    sha256_of,
    unrecognised_files,
)

log = logging.getLogger(__name__)
TRANSPORT = "file_drop"
# The ledger's `source` of a night's one `held_back` row: the files that count for a later night.
LATER = "files delivered after this night"
SHOWN = 3  # names a `held_back` warning lists before "and n more"


@dataclass
class DropSummary:
    """What one object's drop folder brought on one night."""

    outcomes: dict[str, ledger.LoadOutcome] = field(default_factory=dict)

    @property
    def quarantined(self) -> dict[str, str]:
        """Files quarantined or refused: the night must say they were not loaded."""
        return {
            name: outcome.error or ""
            for name, outcome in self.outcomes.items()
            if outcome.status in ("quarantined", "refused")
        }

    def total(self) -> ledger.LoadOutcome:
        loaded = [
            o
            for o in self.outcomes.values()
            if o.status not in ("unrecognised", "late", "held_back")
        ]
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
    """The newest version of a file the ledger loaded, rows or none.

    Raw rows count too, for files loaded before the ledger kept versions.
    """
    row = conn.execute(
        sql.SQL(
            """select greatest(
                   (select max(file_version) from ops.load_ledger
                    where system = %s and object = %s and file_base = %s
                      and status in ('loaded', 'unchanged')),
                   (select max(_file_version) from {} where _file_base = %s))"""
        ).format(raw.raw_table(system, obj)),
        (system, obj.name, base, base),
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _private_folder(folder: Path) -> None:
    """Create `folder` and its parents below the state directory, each 0700."""
    root = state_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in [folder, *folder.parents]:
        if part == root or not part.is_relative_to(root):
            break
        part.chmod(0o700)  # mkdir's mode is masked by the umask and spares existing ones


def _quarantine_copy(system: str, night: dt.date, *paths: Path) -> str:
    """Keep what was rejected, as delivered: the producer's folder is not ours to keep.

    The copies hold identity numbers and accounts: readable by the pipeline's user only.
    """
    folder = state_dir() / "quarantine" / system / night.isoformat()
    _private_folder(folder)
    for path in paths:
        if path.is_symlink() or not path.is_file():
            continue  # never copy what a link points at
        target = folder / path.name
        # Created 0600 before a byte is written, so no reader can open it in between.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out, path.open("rb") as source:
            shutil.copyfileobj(source, out)
        shutil.copystat(path, target)  # the delivery time, and the producer's mode ...
        target.chmod(0o600)  # ... which is not ours to keep
    return str(folder)


def _control_totals(
    file: DroppedFile, transport: FileDropTransport
) -> tuple[Path | None, tuple[int, Decimal] | None]:
    if transport.control_file is None:
        return None, None
    control = file.path.with_name(transport.control_file.name_for(file.name))
    if control.is_symlink():
        raise FileRejected(
            f"{file.name}: its control file {control.name} is a symbolic link: "
            "drop folders take files only"
        )
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
    sha: str | None = None,
) -> ledger.LoadOutcome | None:
    """Load one delivered file; None when an earlier night already loaded it.

    `sha` is the file's sha256 when the caller has hashed it already.
    """
    if file.refused is not None:
        return _refuse(conn, system, obj, file, night)
    sha = sha or sha256_of(file.path)
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
    outcome.file_base, outcome.file_version = file.base, file.version
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    return outcome


def _record(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    name: str,
    night: dt.date,
    outcome: ledger.LoadOutcome,
) -> ledger.LoadOutcome:
    load_id = ledger.open_load(
        conn,
        system=system,
        obj=obj.name,
        night=night,
        transport=TRANSPORT,
        source=name,
        watermark_before=None,
    )
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    return outcome


def _refuse(
    conn: psycopg.Connection, system: str, obj: SourceObject, file: DroppedFile, night: dt.date
) -> ledger.LoadOutcome:
    """A link or a path outside the folder: recorded, never opened, hashed or copied."""
    log.warning("refused %s", file.refused)
    outcome = ledger.LoadOutcome(status="refused", error=file.refused)
    return _record(conn, system, obj, file.name, night, outcome)


def _unrecognised(
    conn: psycopg.Connection, system: str, obj: SourceObject, path: Path, night: dt.date
) -> ledger.LoadOutcome | None:
    """A file no contract name allows: said once, on the night it first arrived."""
    earlier = conn.execute(
        """select 1 from ops.load_ledger
           where system = %s and object = %s and source = %s and status = 'unrecognised'
             and night < %s""",
        (system, obj.name, path.name, night),
    ).fetchone()
    if earlier:
        return None
    reason = "matches no file name of the contract; not loaded"
    log.warning("unrecognised %s in the drop folder of %s: %s", path.name, system, reason)
    outcome = ledger.LoadOutcome(status="unrecognised", error=reason)
    return _record(conn, system, obj, path.name, night, outcome)


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


def _first_nights(conn: psycopg.Connection, system: str, obj: str) -> dict[tuple, dt.date]:
    """(file name, sha256) -> the first night the ledger loaded that very file."""
    rows = conn.execute(
        """select source, file_sha256, min(night) from ops.load_ledger
           where system = %s and object = %s and transport = %s
             and status in ('loaded', 'unchanged') and file_sha256 is not null
           group by source, file_sha256""",
        (system, obj, TRANSPORT),
    ).fetchall()
    return {(name, sha): first for name, sha, first in rows}


def night_files(
    conn: psycopg.Connection,
    folder: Path,
    system: str,
    obj: SourceObject,
    transport: FileDropTransport,
    night: dt.date,
) -> tuple[list[DroppedFile], list[DroppedFile], dict[str, str]]:
    """(files that count for `night`, contract-named files that count for a later one,
    the sha256 of each file hashed on the way); the counted ones oldest delivery first.

    A file counts by its delivery time, unless the ledger has loaded it (same name, same
    sha256): then it counts for its first night, so a rerun of that night sees it whatever
    its modification time is now, and a rerun of an earlier night does not see it early.
    """
    first = _first_nights(conn, system, obj.name)
    known = {name for name, _sha in first}
    end = night_end(night)
    counted, later, shas = [], [], {}
    for file in dropped_files(folder, transport):
        counts = file.delivered_at < end
        if file.refused is None and file.name in known:
            shas[file.name] = sha = sha256_of(file.path)
            loaded_on = first.get((file.name, sha))
            if loaded_on is not None:
                counts = loaded_on <= night
                by_then = night_end(loaded_on) - dt.timedelta(seconds=1)
                if counts and file.delivered_at > by_then:
                    file = dataclasses.replace(file, delivered_at=by_then)
        if counts:
            counted.append(file)
        elif file.refused is None:
            later.append(file)
    counted.sort(key=lambda f: (f.delivered_at, f.base, f.version))
    return counted, later, shas


def _later(
    conn: psycopg.Connection,
    system: str,
    obj: SourceObject,
    files: list[DroppedFile],
    night: dt.date,
) -> ledger.LoadOutcome:
    """Files the folder holds for a later night: said once, a warning, not an error.

    A backfill of a copied folder reads a folder stamped after the night it loads: the
    files not due by that night wait for their due day's night, and the night says so.
    """
    names = sorted(f.name for f in files)
    shown = ", ".join(names[:SHOWN]) + (
        f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    )
    reason = (
        f"{len(names)} contract-named file(s) in the folder count for a later night: "
        f"{shown} (a file counts by its modification time, a first delivery by the end "
        "of its due day at the latest, a loaded file by its first night; "
        "docs/file_drops.md)"
    )
    log.warning("%s.%s night %s: %s", system, obj.name, night, reason)
    outcome = ledger.LoadOutcome(status="held_back", error=reason)
    return _record(conn, system, obj, LATER, night, outcome)


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
    files, later, shas = night_files(conn, folder, system, obj, transport, night)
    latest: dict[str, int] = {}
    for file in files:
        if file.refused is None:
            latest[file.base] = max(latest.get(file.base, 0), file.version)
    summary = DropSummary()
    for file in files:
        # A v1 and its v2 delivered the same night: only the v2 is worth loading.
        if (
            file.refused is None
            and file.version < latest[file.base]
            and not _earlier_loads(conn, system, obj.name, file.name)
        ):
            continue
        outcome = load_file(conn, system, obj, transport, file, night, shas.get(file.name))
        if outcome is not None:
            summary.outcomes[file.name] = outcome
    for path in unrecognised_files(folder, transport, night):
        outcome = _unrecognised(conn, system, obj, path, night)
        if outcome is not None:
            summary.outcomes[path.name] = outcome
    if later:
        summary.outcomes[LATER] = _later(conn, system, obj, later, night)
    owed = freshness.owed_file(conn, system, obj, transport, night, files)
    if owed is not None:
        reason = freshness.late_reason(owed, night)
        log.warning("late: %s", reason)
        late = ledger.LoadOutcome(status="late", error=reason)
        summary.outcomes[owed] = _record(conn, system, obj, owed, night, late)
    return summary
