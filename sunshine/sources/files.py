"""File drops: which files a night brings, and reading CSV and XLSX ones row by row.

A file counts as delivered for night D when it sits in the system's folder under a
name its contract allows, with a modification time before D+1 00:00 Asia/Shanghai
(producers write under a temporary name and rename, so a matching name is a finished
file). Readers stream: a file is never held in memory whole. Every problem that makes
a file unusable raises `FileRejected` with the file, the row and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
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


def delivered_files(
    folder: Path, transport: FileDropTransport, night: dt.date
) -> list[DroppedFile]:
    """Files of this drop delivered by the end of `night`, oldest delivery first."""
    cutoff = dt.datetime.combine(night + dt.timedelta(days=1), dt.time.min, LOCAL)
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        if not path.is_file() or transport.parse_file_name(path.name) is None:
            continue
        delivered = dt.datetime.fromtimestamp(path.stat().st_mtime, LOCAL)
        if delivered < cutoff:
            found.append(DroppedFile(path, transport.file_version(path.name), delivered))
    return sorted(found, key=lambda f: (f.delivered_at, f.base, f.version))


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
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
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
    reader = read_xlsx if transport.format == "xlsx" else read_csv
    return reader(file, obj, transport)
