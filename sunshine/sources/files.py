"""File drops: which files a night brings, and reading CSV and XLSX ones row by row.

A file counts as delivered for night D when it sits in the system's folder under a
name its contract allows, with a delivery time before D+1 00:00 Asia/Shanghai
(producers write under a temporary name and rename, so a matching name is a finished
file). The delivery time is the modification time, or for a first delivery the end of
its due day when that is earlier (a copied folder; docs/file_drops.md, "A file's
night"); the loader also holds a file the ledger has loaded to its first night.
Readers stream: a file is never held in memory whole. Every problem that makes a file
unusable raises `FileRejected` with the file, the row and the reason.

A symbolic link, or anything resolving outside the folder, is refused unread: the
folder is writable by the producer, and a link could make the loader read (and copy
into the quarantine) any file the pipeline can read. Temporary names (`.tmp`, `.part`,
dot-files, Office's `~$` lock files) are skipped; any other name no contract allows is
reported as unrecognised rather than ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from sunshine.contracts.model import FileDropTransport, SourceObject

LOCAL = ZoneInfo("Asia/Shanghai")
Row = tuple[str | None, ...]


class FileRejected(Exception):
    """A file that cannot be loaded as good data; the message says where and why."""


@dataclass(frozen=True)
class DroppedFile:
    path: Path
    version: int
    delivered_at: dt.datetime
    refused: str | None = None  # why it is not read at all (a link, a path outside)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def base(self) -> str:
        """The name of the first delivery: what a `_vN` re-delivery replaces."""
        stem, dot, extension = self.name.rpartition(".")
        if self.version > 1:
            stem = stem.rsplit(f"_v{self.version}", 1)[0]
        return f"{stem}{dot}{extension}"


TEMPORARY_SUFFIXES = (".tmp", ".part")


def is_temporary(name: str) -> bool:
    """A name a producer writes under before renaming, or an editor's lock file."""
    return name.startswith((".", "~$")) or name.lower().endswith(TEMPORARY_SUFFIXES)


def _refusal(path: Path, folder: Path) -> str | None:
    if path.is_symlink():
        return f"{path.name}: a symbolic link: drop folders take files only"
    if not path.resolve().is_relative_to(folder.resolve()):
        return f"{path.name}: resolves outside the drop folder {folder}"
    return None


def _named(
    name: str, version: int, mtime: dt.datetime, transport: FileDropTransport
) -> dt.datetime:
    """A first delivery counts by the end of its due day at the latest.

    A folder copied from elsewhere has every file stamped with the copy's time: the
    modification time alone would hold back every file until tonight (issue 12, item 5).
    The due day is the contract encoding's (`FileDropTransport.due_day`): the day a
    daily file names, the end of the month after a month file's, the end of a term
    file's term. A `_vN` keeps its own time: a correction has no due day.
    """
    due = transport.due_day(name) if version == 1 else None
    if due is None:
        return mtime
    return min(mtime, dt.datetime.combine(due, dt.time(23, 59, 59), LOCAL))


def night_end(night: dt.date) -> dt.datetime:
    """The first moment after `night`: a file delivered before it counts for `night`."""
    return dt.datetime.combine(night + dt.timedelta(days=1), dt.time.min, LOCAL)


def _entries(
    folder: Path, night: dt.date | None, transport: FileDropTransport | None = None
) -> Iterator[tuple[Path, dt.datetime]]:
    """(path, delivery time) of the folder's non-temporary entries delivered by `night`.

    Every entry, whatever its delivery time, when `night` is None.
    """
    cutoff = night_end(night) if night is not None else None
    for path in folder.iterdir() if folder.is_dir() else ():
        if is_temporary(path.name):
            continue
        # lstat: a link's own time, never its target's
        delivered = dt.datetime.fromtimestamp(path.lstat().st_mtime, LOCAL)
        parts = transport.parse_file_name(path.name) if transport else None
        if transport is not None and parts is not None and not path.is_symlink():
            delivered = _named(path.name, transport.file_version(path.name), delivered, transport)
        if cutoff is None or delivered < cutoff:
            yield path, delivered


def dropped_files(
    folder: Path, transport: FileDropTransport, night: dt.date | None = None
) -> list[DroppedFile]:
    """Files of this drop delivered by the end of `night` (None: all), oldest first.

    Links and paths outside the folder come with `refused` set: never to be opened.
    """
    found = []
    for path, delivered in _entries(folder, night, transport):
        refused = _refusal(path, folder)
        if refused is None and not path.is_file():
            continue
        if transport.parse_file_name(path.name) is not None:
            found.append(DroppedFile(path, transport.file_version(path.name), delivered, refused))
        elif refused is not None and not _is_control_file(path.name, transport):
            found.append(DroppedFile(path, 1, delivered, refused))
    return sorted(found, key=lambda f: (f.delivered_at, f.base, f.version))


def delivered_files(
    folder: Path, transport: FileDropTransport, night: dt.date
) -> list[DroppedFile]:
    """Files of this drop delivered by the end of `night`, oldest delivery first."""
    return dropped_files(folder, transport, night)


def _is_control_file(name: str, transport: FileDropTransport) -> bool:
    control = transport.control_file
    return control is not None and re.fullmatch(control.pattern, name) is not None


def unrecognised_files(folder: Path, transport: FileDropTransport, night: dt.date) -> list[Path]:
    """Files delivered by `night` whose name neither the contract nor its control file allows."""
    return sorted(
        path
        for path, _delivered in _entries(folder, night)
        if not path.is_symlink()
        and path.is_file()
        and transport.parse_file_name(path.name) is None
        and not _is_control_file(path.name, transport)
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_amount(text: str | None) -> Decimal | None:
    """Yuan as files write them: thousands separators, surrounding spaces, a sign."""
    if text is None or not text.strip():
        return None
    try:
        return Decimal(text.strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None


def _check_header(file: DroppedFile, found: list[str], obj: SourceObject, row: int) -> None:
    expected = list(obj.field_names)
    found = [(cell or "").strip().lstrip("\ufeff") for cell in found]
    missing = [name for name in expected if name not in found]
    if missing:
        raise FileRejected(f"{file.name}, row {row}: missing columns {', '.join(missing)}")
    if found[: len(expected)] != expected or any(found[len(expected) :]):
        raise FileRejected(
            f"{file.name}, row {row}: columns are not in the contract's order "
            f"(found {', '.join(found)})"
        )


def read_csv(
    file: DroppedFile, obj: SourceObject, transport: FileDropTransport
) -> Iterator[tuple[int, Row]]:
    """(line number, values in contract order) for each data row of a CSV drop."""
    width = len(obj.fields)
    try:
        with file.path.open(encoding=transport.encoding or "utf-8", newline="") as handle:
            reader = csv.reader(
                handle, delimiter=transport.delimiter or ",", quotechar=transport.quotechar or '"'
            )
            for number, cells in enumerate(reader, start=1):
                if number < transport.header_row:
                    continue
                if number == transport.header_row:
                    _check_header(file, cells, obj, number)
                    continue
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    raise FileRejected(
                        f"{file.name}, row {number}: {len(cells)} fields, the header has {width}"
                    )
                yield number, tuple(cell if cell != "" else None for cell in cells)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"{file.name}: not readable as {transport.encoding} (byte {exc.start}: {exc.reason})"
        ) from None
    except csv.Error as exc:
        raise FileRejected(f"{file.name}: malformed CSV ({exc})") from None


def excel_text(value: object) -> str | None:
    """A cell as the text a person would have typed: dates ISO, codes without '.0'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time.min else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a float: a 12-digit village code comes back as
        # 320113001002.0, an amount as 1234.5.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    text = str(value)
    return text if text.strip() else None


def read_xlsx(
    file: DroppedFile, obj: SourceObject, transport: FileDropTransport
) -> Iterator[tuple[int, Row]]:
    """(row number, values in contract order) for each data row of an XLSX drop."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(file.path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileRejected(f"{file.name}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book[transport.sheet] if transport.sheet in book.sheetnames else None
        if sheet is None:
            raise FileRejected(f"{file.name}: no sheet named {transport.sheet}")
        width = len(obj.fields)
        marker_at = (
            obj.field_names.index(transport.total_row_column)
            if transport.total_row_column
            else None
        )
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number < transport.header_row:
                continue
            if number == transport.header_row:
                _check_header(file, [excel_text(c) or "" for c in cells], obj, number)
                continue
            if number < transport.data_start_row:
                continue
            values = tuple(excel_text(c) for c in list(cells)[:width])
            values += (None,) * (width - len(values))
            if not any(values):
                continue
            if (
                marker_at is not None
                and (values[marker_at] or "").strip() == transport.total_row_marker
            ):
                continue  # the producer's total row, not a record
            yield number, values
    finally:
        book.close()


def read_rows(
    file: DroppedFile, obj: SourceObject, transport: FileDropTransport
) -> Iterator[tuple[int, Row]]:
    if transport.header_row >= 1 and file.path.stat().st_size == 0:
        raise FileRejected(
            f"{file.name}: empty (0 bytes); the contract's file starts with a header row"
        )
    reader = read_xlsx if transport.format == "xlsx" else read_csv
    return reader(file, obj, transport)
