"""The simulator's output against the contracts: the project's encoding, always, and the
shared YAML documents themselves when they are present.

Each system is checked the way its transport delivers it: database tables by their
columns and SQL types (information_schema), CSV drops by encoding, header and control
file, XLSX drops by sheets and header rows, API stores by the JSON field names of every
record; every file name must match the contract's pattern.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import yaml
from openpyxl import load_workbook

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS, DatabaseTransport, FileDropTransport, HttpApiTransport
from sunshine.paths import PROJECT_ROOT

pytestmark = pytest.mark.usefixtures("small_city")


@dataclass
class FileSpec:
    pattern: str  # regex over the whole file name, versions allowed
    encoding: str | None = None  # csv: a codec that must decode the file
    bom: bool = False
    sheet: str | None = None  # xlsx: the data sheet (the first sheet)
    header_row: int = 1
    control_pattern: str | None = None
    control_encoding: str | None = None


@dataclass
class Expected:
    """What the outputs must look like, from one source of truth about the contracts."""

    tables: dict[tuple[str, str], list[tuple[str, str, bool]]] = field(default_factory=dict)
    files: dict[str, FileSpec] = field(default_factory=dict)
    fields: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # every object


def _sql_type(text: str) -> tuple[str, bool]:
    text = text.strip()
    return (text[:-5], True) if text.endswith(" null") else (text, False)


def from_encoding() -> Expected:
    expected = Expected()
    for code, system in SYSTEMS.items():
        for obj in system.objects:
            expected.fields[(code, obj.name)] = list(obj.field_names)
            if isinstance(system.transport, DatabaseTransport):
                expected.tables[(code, obj.name)] = [
                    (f.name, *_sql_type(f.type)) for f in obj.fields
                ]
        t = system.transport
        if isinstance(t, FileDropTransport):
            expected.files[code] = FileSpec(
                t.file_pattern,
                t.encoding,
                t.encoding == "utf-8-sig",
                t.sheet,
                t.header_row,
                t.control_file.pattern if t.control_file else None,
                t.control_file.encoding if t.control_file else None,
            )
        elif not isinstance(t, (DatabaseTransport, HttpApiTransport)):
            raise AssertionError(f"unknown transport of {code}")
    return expected


_PLACEHOLDERS = {
    "YYYYMMDD": r"\d{8}",
    "<YYYYMM>": r"\d{6}",
    "<9-digit town code>": r"\d{9}",
    "<YYYY>": r"\d{4}",
    "<term 1|2>": r"[12]",
}


def _pattern(template: str) -> str:
    """A contract's file-name template (`onecard_YYYYMMDD.csv`) as a regex with versions."""
    stem, ext = template.rsplit(".", 1)
    out = re.escape(stem)
    for placeholder, regex in _PLACEHOLDERS.items():
        out = out.replace(re.escape(placeholder), regex)
    return rf"{out}(?:_v\d+)?\.{re.escape(ext)}"


def _template(text: str) -> str:
    """The file name at the start of a contract's description: up to its extension."""
    m = re.match(r"(.*?\.(?:csv|xlsx|ok))\b", text)
    assert m, f"no file name in {text!r}"
    return m[1]


def from_yaml(folder: Path) -> Expected:
    expected = Expected()
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "system" not in doc:
            continue
        code, transport = doc["system"], doc["transport"]
        for name, obj in doc["objects"].items():
            expected.fields[(code, name)] = [f["name"] for f in obj["fields"]]
            if transport["kind"] == "database":
                expected.tables[(code, name)] = [
                    (f["name"], *_sql_type(str(f["type"]))) for f in obj["fields"]
                ]
        if transport["kind"] == "file_drop":
            template = _template(transport["files"])
            encoding = transport.get("encoding", "")
            header = str(transport.get("header", ""))
            spec = FileSpec(_pattern(template))
            if encoding.startswith("GBK"):
                spec.encoding = "gbk"
            elif "byte-order mark" in encoding:
                spec.encoding, spec.bom = "utf-8-sig", True
            if "sheet" in transport:
                spec.sheet = str(transport["sheet"]).split(" ")[0]
            if "row 2 the column names" in header:
                spec.header_row = 2
            control = transport.get("control_file")
            if control:
                spec.control_pattern = _pattern(_template(control))
                spec.control_encoding = "utf-8" if "UTF-8" in control else None
            expected.files[code] = spec
    return expected


def _contracts_dir() -> Path:
    override = os.environ.get("SUNSHINE_SHARED_CONTRACTS")
    return Path(override) if override else PROJECT_ROOT.parent / "shared" / "contracts"


@pytest.fixture(scope="module")
def yaml_expected() -> Expected:
    folder = _contracts_dir()
    if not folder.is_dir():
        pytest.skip(f"no shared contracts at {folder} (set SUNSHINE_SHARED_CONTRACTS)")
    return from_yaml(folder)


# ------------------------------------------------------------------ the checks


_CANONICAL = {
    "timestamp without time zone": "timestamp",
    "integer": "integer",
    "bigint": "bigint",
    "date": "date",
}


def _database_columns(url: str, system: str, table: str) -> list[tuple[str, str, bool]]:
    with psycopg.connect(with_database(url, f"src_{system}")) as conn:
        rows = conn.execute(
            "select column_name, data_type, character_maximum_length, numeric_precision, "
            "numeric_scale, is_nullable from information_schema.columns "
            "where table_schema = %s and table_name = %s order by ordinal_position",
            (system, table),
        ).fetchall()
    out = []
    for name, data_type, length, precision, scale, nullable in rows:
        if data_type == "character varying":
            sql_type = f"varchar({length})"
        elif data_type == "character":
            sql_type = f"char({length})"
        elif data_type == "numeric":
            sql_type = f"numeric({precision},{scale})"
        else:
            sql_type = _CANONICAL[data_type]
        out.append((name, sql_type, nullable == "YES"))
    return out


def check_databases(expected: Expected, url: str) -> None:
    assert expected.tables, "no database tables expected"
    for (system, table), columns in expected.tables.items():
        found = _database_columns(url, system, table)
        assert found == columns, f"{system}.{table}: {found} != {columns}"
        with psycopg.connect(with_database(url, f"src_{system}")) as conn:
            count = conn.execute(f'select count(*) from "{system}"."{table}"').fetchone()[0]
        assert count > 0, f"{system}.{table} is empty"


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def check_files(expected: Expected, out: Path) -> None:
    for system, spec in expected.files.items():
        folder = out / "drops" / system
        names = sorted(p.name for p in folder.iterdir())
        assert names, f"no files in {folder}"
        fields = expected.fields[(system, next(o for s, o in expected.fields if s == system))]
        data = [n for n in names if re.fullmatch(spec.pattern, n)]
        controls = [
            n for n in names if spec.control_pattern and re.fullmatch(spec.control_pattern, n)
        ]
        assert sorted(data + controls) == names, (
            f"{system}: unexpected names {set(names) - set(data) - set(controls)}"
        )
        for name in data:
            path = folder / name
            if name.endswith(".csv"):
                raw = path.read_bytes()
                assert raw.startswith(b"\xef\xbb\xbf") == spec.bom, name
                text = raw.decode(spec.encoding)
                rows = list(csv.reader(io.StringIO(text, newline="")))
                assert [c.lstrip("\ufeff") for c in rows[0]] == fields, f"{name} header"
                assert all(len(r) == len(fields) for r in rows[1:]), f"{name} row widths"
                if spec.control_pattern:
                    ok = path.with_suffix(".ok")
                    assert ok.exists(), f"{name} has no control file"
                    line = ok.read_bytes().decode(spec.control_encoding or "utf-8").strip()
                    m = re.fullmatch(r"rows=(\d+);amount=(-?\d+\.\d{2})", line)
                    assert m, f"{ok.name}: {line!r}"
                    column = fields.index("发放金额")
                    assert int(m[1]) == len(rows) - 1, f"{ok.name} rows"
                    assert Decimal(m[2]) == sum(
                        (_amount(r[column]) for r in rows[1:]), Decimal(0)
                    ), f"{ok.name} amount"
            else:
                book = load_workbook(path, read_only=True)
                try:
                    assert book.sheetnames[0] == spec.sheet, f"{name}: sheets {book.sheetnames}"
                    rows = list(book[spec.sheet].iter_rows(values_only=True))
                    if spec.header_row == 2:
                        title = [c for c in rows[0] if c]
                        assert len(title) == 1 and "记账凭证" in title[0], f"{name} title {title}"
                        assert book.sheetnames[1:] == ["说明"], name
                    header = [str(c) for c in rows[spec.header_row - 1][: len(fields)]]
                    assert header == fields, f"{name} header"
                    assert len(rows) > spec.header_row, f"{name} has no data"
                finally:
                    book.close()


def check_api_stores(expected: Expected, out: Path) -> None:
    for code, system in SYSTEMS.items():
        if not isinstance(system.transport, HttpApiTransport):
            continue
        store = out / "api" / f"{code}.sqlite"
        with sqlite3.connect(store) as conn:
            for obj in system.objects:
                fields = expected.fields[(code, obj.name)]
                (key,) = obj.key
                rows = conn.execute(
                    f'select id, updated_at, updated_at_utc, deleted, body from "{obj.name}"'
                ).fetchall()
                assert rows, f"{code}.{obj.name} is empty"
                for record_id, updated_at, utc, deleted, body in rows:
                    record = json.loads(body)
                    assert list(record) == fields, f"{code}.{obj.name}: {list(record)}"
                    assert record[key] == record_id and record["updatedAt"] == updated_at
                    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", updated_at)
                    assert utc.endswith("Z") and bool(deleted) == bool(record.get("deleted", False))


# ------------------------------------------------------------------ the tests


def test_databases_match_the_encoded_contracts(small_city) -> None:
    check_databases(from_encoding(), small_city.warehouse_url)


def test_files_match_the_encoded_contracts(small_city) -> None:
    check_files(from_encoding(), small_city.out)


def test_api_stores_match_the_encoded_contracts(small_city) -> None:
    check_api_stores(from_encoding(), small_city.out)


def test_databases_match_the_contract_documents(small_city, yaml_expected: Expected) -> None:
    check_databases(yaml_expected, small_city.warehouse_url)


def test_files_match_the_contract_documents(small_city, yaml_expected: Expected) -> None:
    check_files(yaml_expected, small_city.out)


def test_api_stores_match_the_contract_documents(small_city, yaml_expected: Expected) -> None:
    check_api_stores(yaml_expected, small_city.out)


def test_every_object_of_every_system_is_delivered(small_city) -> None:
    counts = small_city.summary.counts
    for code, system in SYSTEMS.items():
        for obj in system.objects:
            assert counts.get(code, {}).get(obj.name, 0) > 0, f"{code}.{obj.name} not delivered"


def test_files_are_delivered_in_the_evening_of_their_night(small_city) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    local = ZoneInfo("Asia/Shanghai")
    last = dt.date.fromisoformat(small_city.summary.last_night)
    for path in (small_city.out / "drops").rglob("*.*"):
        delivered = dt.datetime.fromtimestamp(path.stat().st_mtime, local)
        assert delivered.date() <= last + dt.timedelta(days=1), path.name
        late_ok = path.suffix == ".ok" and delivered.hour == 0
        assert late_ok or delivered.hour >= 21, f"{path.name} delivered at {delivered}"
    assert not list(small_city.out.rglob("*.tmp")), "a temporary file was left behind"


def test_sources_file_points_at_every_system(small_city, monkeypatch) -> None:
    from sunshine.sources.registry import load_sources

    monkeypatch.setenv("SUNSHINE_WAREHOUSE_URL", small_city.warehouse_url)
    text = (small_city.out / "sources.yaml").read_text(encoding="utf-8")
    assert "postgresql://" not in text, (
        "the warehouse URL (and its password) must not be in the file"
    )
    sources = load_sources(small_city.out / "sources.yaml")
    assert set(sources) == set(SYSTEMS)
    assert (small_city.out / "credentials.env").stat().st_mode & 0o777 == 0o600
    for code, config in sources.items():
        if isinstance(SYSTEMS[code].transport, FileDropTransport):
            assert Path(config.require("folder")).is_dir()
        elif isinstance(SYSTEMS[code].transport, HttpApiTransport):
            assert Path(config.require("store")).is_file()
            assert config.get("token") or config.get("api_key")
        else:
            assert config.require("database") == f"src_{code}"


def test_the_pipeline_reads_every_drop(small_city) -> None:
    """The project's own file-drop reader takes every file as delivered by the last night."""
    import datetime as dt

    from sunshine.sources.files import delivered_files, parse_amount, read_rows

    last = dt.date.fromisoformat(small_city.summary.last_night)
    for code in ("onecard", "allowance", "collective", "education"):
        system = SYSTEMS[code]
        transport = system.transport
        obj = system.objects[0]
        files = delivered_files(small_city.out / "drops" / code, transport, last)
        assert files, code
        for file in files:
            rows = list(read_rows(file, obj, transport))
            if transport.control_file is not None:
                control = file.path.with_name(transport.control_file.name_for(file.name))
                n, amount = transport.control_file.parse(control.read_text(encoding="utf-8"))
                at = obj.aliases.index("amount")
                assert n == len(rows)
                assert amount == sum((parse_amount(r[at]) for _, r in rows), Decimal(0))
