"""The project's encoding of the source contracts, checked against the contracts themselves.

The interface documents (one YAML per system, plus fund_lines.yaml) live outside the
repository, in `../shared/contracts` or wherever `SUNSHINE_SHARED_CONTRACTS` points.
When they are present, every system, object, field, transport detail and policy
parameter is compared, and the first difference is reported by its path. When they
are absent (a user's clone), those tests skip and the self-consistency tests still run.

The YAML is read with its own small interpretation here, independent of the encoding:
a field's alias is its `as:`, or its camelCase name in snake_case; it is nullable when
its type or note says "null" or "empty"; a flow mapping whose unquoted note contained
", " is put back together (YAML reads the rest of such a note as extra keys).
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from sunshine.contracts import (
    CATEGORIES,
    SUPERVISION,
    SYSTEMS,
    FileDropTransport,
    FundCategory,
    HttpApiTransport,
    SourceObject,
    System,
    get_system,
    raw_table_name,
)
from sunshine.errors import SunshineError
from sunshine.paths import PROJECT_ROOT

SYSTEM_CODES = list(SYSTEMS)
ALL_OBJECTS = [(s.code, o) for s in SYSTEMS.values() for o in s.objects]


def _contracts_dir() -> Path:
    override = os.environ.get("SUNSHINE_SHARED_CONTRACTS")
    return Path(override) if override else PROJECT_ROOT.parent / "shared" / "contracts"


@pytest.fixture(scope="module")
def contracts_dir() -> Path:
    folder = _contracts_dir()
    if not folder.is_dir():
        pytest.skip(f"no shared contracts at {folder} (set SUNSHINE_SHARED_CONTRACTS)")
    return folder


def _load(folder: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- reading the YAML

_FIELD_KEYS = {"name", "as", "type", "note"}
_OBJECT_KEYS = {"kind", "key", "change", "note", "path", "fields"}
_TRANSPORT_KEYS = {
    "database": {"kind", "how"},
    "file_drop": {
        "kind",
        "folder",
        "files",
        "encoding",
        "delimiter",
        "quoting",
        "header",
        "sheet",
        "control_file",
    },
    "http_json_api": {"kind", "auth", "paging", "incremental", "failure_modes"},
}
_SAYS_MISSING = re.compile(r"\b(null|empty)\b")
# What each placeholder of a file-name template stands for in the samples built here.
_PLACEHOLDERS = {
    "YYYYMMDD": ("date", "20261103"),
    "<9-digit town code>": ("town", "320113001"),
    "<YYYYMM>": ("period", "202610"),
    "<YYYY>": ("year", "2026"),
    "<term 1|2>": ("term", "1"),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _yaml_note(field: dict[str, Any]) -> str | None:
    """The note as written: `note: 12 digits, Excel may ...` parses as two keys."""
    extra = [k for k, v in field.items() if k not in _FIELD_KEYS and v is None]
    parts = ([field["note"]] if "note" in field else []) + extra
    return ", ".join(str(p) for p in parts) if parts else None


def _unknown(where: str, mapping: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Attributes the encoding does not model: each one is a difference."""
    return {f"{where}.{k} (not modelled)": v for k, v in mapping.items() if k not in known}


def _encoding_family(text: str | None) -> str | None:
    """Contract wording ("GBK (...)", "UTF-8 with a byte-order mark") or a codec name."""
    if text is None:
        return None
    if "byte-order mark" in text:
        return "utf-8 with BOM"
    try:
        name = codecs.lookup(text).name
    except LookupError:
        name = text.split()[0].lower()
    return {"gb18030": "gbk", "gbk": "gbk", "utf-8-sig": "utf-8 with BOM"}.get(name, name)


def _file_samples(template: str, versions: list[str]) -> dict[str, dict[str, str | None]]:
    """Sample names built from a contract template, with the groups each must yield."""
    name, groups = template, {}
    for placeholder, (group, value) in _PLACEHOLDERS.items():
        if placeholder in name:
            name, groups[group] = name.replace(placeholder, value), value
    assert "<" not in name and "YYYY" not in name, f"unknown placeholder in {template!r}"
    stem, ext = name.rsplit(".", 1)
    samples = {name: {**groups, "version": None}}
    for v in versions:
        samples[f"{stem}_v{v}.{ext}"] = {**groups, "version": v}
    return samples


def _expected_transport(doc: dict[str, Any]) -> dict[str, Any]:
    t = doc["transport"]
    out: dict[str, Any] = {"transport.kind": t["kind"]}
    out |= _unknown("transport", t, _TRANSPORT_KEYS.get(t["kind"], {"kind"}))
    if t["kind"] == "file_drop":
        out |= _expected_file_drop(t)
    elif t["kind"] == "http_json_api":
        out |= _expected_http_api(doc)
    return out


def _expected_file_drop(t: dict[str, Any]) -> dict[str, Any]:
    """Formats as worded, plus sample file names and what a reader must make of them."""
    template = t["files"].split(",")[0]
    fmt = template.rsplit(".", 1)[1]
    header = t.get("header", "")
    header_row = int(m[1]) if (m := re.search(r"row (\d+) the column names", header)) else 1
    data_row = int(m[1]) if (m := re.search(r"data from row (\d+)", header)) else header_row + 1
    total = re.search(r"total row whose (\S+) cell is (\S+)", header)
    quoting = t.get("quoting", "double quotes" if fmt == "csv" else None)
    out: dict[str, Any] = {
        "transport.format": fmt,
        "transport.encoding": _encoding_family(t.get("encoding")),
        "transport.delimiter": t.get("delimiter"),
        "transport.quotechar": '"' if quoting and "double quotes" in quoting else quoting,
        "transport.sheet": re.match(r"[^\s(]+", t["sheet"])[0] if "sheet" in t else None,
        "transport.header_row": header_row,
        "transport.data_start_row": data_row,
        "transport.total_row_column": total[1] if total else None,
        "transport.total_row_marker": total[2] if total else None,
    }
    # The versions the contract names, and a two-digit one: README says the
    # suffixes go on (_v2, _v3, ...), so a reader must not stop at _v9.
    versions = sorted(set(re.findall(r"_v(\d+)", t["files"]))) + ["10"]
    for sample, groups in _file_samples(template, versions).items():
        out[f"transport.parse_file_name({sample})"] = groups
        out[f"transport.parse_file_name({sample}.tmp)"] = None
    out["transport.control_file"] = "control_file" in t
    if "control_file" in t:
        control = t["control_file"]
        out["transport.control_file.encoding"] = _encoding_family(
            re.search(r"\bin ([\w-]+)", control)[1]
        )
        assert re.search(r"rows=<[^>]+>;amount=<[^>]+>", control), control
        data = _file_samples(template, versions)
        oks = _file_samples(control.split()[0], versions)
        for (data_name, groups), ok_name in zip(data.items(), oks, strict=True):
            out[f"control_file.name_for({data_name})"] = ok_name
            out[f"control_file.pattern groups of {ok_name}"] = groups
            out[f"transport.parse_file_name({ok_name})"] = None
        out["control_file.parse(rows=12;amount=1234.50)"] = (12, Decimal("1234.50"))
        out["control_file.parse(rows=3;amount=-20.00)"] = (3, Decimal("-20.00"))
    return out


def _expected_http_api(doc: dict[str, Any]) -> dict[str, Any]:
    """Auth, paging, incremental and retry rules, read from the contract's sentences."""
    t = doc["transport"]
    auth = re.fullmatch(r"([\w-]+): (\w+ )?<\w+> header; (\d{3}) without it", t["auth"])
    assert auth, t["auth"]
    paging = t["paging"]
    params = re.search(r"\?(\w+)=[^&]+&(\w+)=(\d+)", paging)
    max_size = re.search(r"\(max (\d+)\)", paging)
    next_cursor = re.search(r'"(\w+)": "', paging)
    return {
        "transport.auth_header": auth[1],
        "transport.auth_prefix": auth[2] or "",
        "transport.unauthorized_status": int(auth[3]),
        "transport.paging": "cursor" if paging.startswith("cursor:") else "page",
        "transport.page_param": params[1],
        "transport.size_param": params[2],
        "transport.page_size": int(params[3]),
        "transport.max_page_size": int(max_size[1]) if max_size else None,
        "transport.items_key": re.search(r'"(\w+)": \[', paging)[1],
        "transport.response_keys": tuple(re.findall(r'"(\w+)":', paging)),
        "transport.next_cursor_key": next_cursor[1] if next_cursor else None,
        "transport.incremental_param": re.match(r"\?(\w+)=", t["incremental"])[1],
        "transport.incremental_inclusive": ">=" in t["incremental"],
        "transport.retryable_statuses": tuple(
            sorted(int(s) for s in set(re.findall(r"\b([45]\d\d)\b", t["failure_modes"])))
        ),
        # README: API records carry a deleted flag; check each endpoint really does.
        "transport.soft_delete_field": (
            "deleted"
            if all(
                any(f["name"] == "deleted" and f["type"] == "boolean" for f in o["fields"])
                for o in doc["objects"].values()
            )
            else None
        ),
    }


def _expected_incremental(doc: dict[str, Any], obj: dict[str, Any]) -> str | None:
    if obj["kind"] == "table":
        change = obj.get("change", "")
        if m := re.match(r"incremental on (\w+)", change):
            return m[1]
        assert "read whole every night" in change, f"unclear change policy: {change!r}"
        return None
    if obj["kind"] == "endpoint":
        return re.search(r"records whose (\w+)", doc["transport"]["incremental"])[1]
    return None


def _expected_system(doc: dict[str, Any]) -> dict[str, Any]:
    """The contract of one system, flattened to {path: value} in document order."""
    out: dict[str, Any] = {
        "code": doc["system"],
        "name": doc["name"],
        "owner": doc["owner"],
        "objects": tuple(doc["objects"]),
    }
    out |= _unknown("system", doc, {"system", "name", "owner", "transport", "objects"})
    out |= _expected_transport(doc)
    for oname, obj in doc["objects"].items():
        out |= _unknown(oname, obj, _OBJECT_KEYS)
        out |= {
            f"{oname}.kind": obj["kind"],
            f"{oname}.key": tuple(obj["key"]),
            f"{oname}.change": obj.get("change"),
            f"{oname}.note": obj.get("note"),
            f"{oname}.path": obj.get("path"),
            f"{oname}.incremental_column": _expected_incremental(doc, obj),
            f"{oname}.fields": tuple(f["name"] for f in obj["fields"]),
        }
        for f in obj["fields"]:
            where = f"{oname}.{f['name']}"
            note = _yaml_note(f)
            out |= _unknown(where, {k: v for k, v in f.items() if v is not None}, _FIELD_KEYS)
            out |= {
                f"{where}.alias": f.get("as", _snake(f["name"])),
                f"{where}.type": f["type"],
                f"{where}.note": note,
                f"{where}.nullable": bool(
                    _SAYS_MISSING.search(f["type"]) or (note and _SAYS_MISSING.search(note))
                ),
            }
    return out


# ------------------------------------------------------- our encoding, same shape


def _actual_transport(system: System, questions: Iterable[str]) -> dict[str, Any]:
    t = system.transport
    out: dict[str, Any] = {"transport.kind": t.kind}
    if isinstance(t, FileDropTransport):
        out |= {
            "transport.format": t.format,
            "transport.encoding": _encoding_family(t.encoding),
            "transport.delimiter": t.delimiter,
            "transport.quotechar": t.quotechar,
            "transport.sheet": t.sheet,
            "transport.header_row": t.header_row,
            "transport.data_start_row": t.data_start_row,
            "transport.total_row_column": t.total_row_column,
            "transport.total_row_marker": t.total_row_marker,
            "transport.control_file": t.control_file is not None,
        }
        # Answer every question the contract side asks about sample names.
        for path in questions:
            if m := re.fullmatch(r"transport\.parse_file_name\((.+)\)", path):
                out[path] = t.parse_file_name(m[1])
            elif t.control_file and (m := re.fullmatch(r"control_file\.(\w+)\((.+)\)", path)):
                out[path] = getattr(t.control_file, m[1])(m[2])
            elif t.control_file and (
                m := re.fullmatch(r"control_file\.pattern groups of (.+)", path)
            ):
                found = re.fullmatch(t.control_file.pattern, m[1])
                out[path] = found.groupdict() if found else None
        if t.control_file:
            out["transport.control_file.encoding"] = _encoding_family(t.control_file.encoding)
    elif isinstance(t, HttpApiTransport):
        for name in (
            "auth_header", "auth_prefix", "unauthorized_status", "paging", "page_param",
            "size_param", "page_size", "max_page_size", "items_key", "response_keys",
            "next_cursor_key", "incremental_param", "incremental_inclusive",
            "soft_delete_field",
        ):  # fmt: skip
            out[f"transport.{name}"] = getattr(t, name)
        out["transport.retryable_statuses"] = tuple(sorted(t.retryable_statuses))
    return out


def _actual_object(obj: SourceObject) -> dict[str, Any]:
    out: dict[str, Any] = {
        f"{obj.name}.kind": obj.kind,
        f"{obj.name}.key": obj.key,
        f"{obj.name}.change": obj.change,
        f"{obj.name}.note": obj.note,
        f"{obj.name}.path": f"GET {obj.path}" if obj.path else None,
        f"{obj.name}.incremental_column": obj.incremental_column,
        f"{obj.name}.fields": obj.field_names,
    }
    for f in obj.fields:
        where = f"{obj.name}.{f.name}"
        out |= {
            f"{where}.alias": f.alias,
            f"{where}.type": f.type,
            f"{where}.note": f.note,
            f"{where}.nullable": f.nullable,
        }
    return out


def _actual_system(system: System, questions: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": system.code,
        "name": f"{system.name_zh} ({system.name_en})",
        "owner": system.owner,
        "objects": system.object_names,
    }
    out |= _actual_transport(system, questions)
    for obj in system.objects:
        out |= _actual_object(obj)
    return out


_MISSING = "<absent>"


def _first_difference(where: str, expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    for path in [*expected, *(p for p in actual if p not in expected)]:
        want, got = expected.get(path, _MISSING), actual.get(path, _MISSING)
        # (type, value): True must not pass for 1, nor 1200.0 for Decimal("1200.00").
        if (type(want), want) != (type(got), got):
            return f"{where}.{path}: contract says {want!r}, encoding has {got!r}"
    return None


# ------------------------------------------------------------ against the contracts


def test_same_systems_as_the_contracts(contracts_dir: Path) -> None:
    in_contracts = {p.stem for p in contracts_dir.glob("*.yaml")} - {"fund_lines"}
    assert set(SYSTEMS) == in_contracts


@pytest.mark.parametrize("code", SYSTEM_CODES)
def test_system_matches_its_contract(contracts_dir: Path, code: str) -> None:
    expected = _expected_system(_load(contracts_dir, code))
    difference = _first_difference(code, expected, _actual_system(SYSTEMS[code], expected))
    assert difference is None, difference


def _expected_category(code: str, params: dict[str, Any]) -> dict[str, Any]:
    money = {n for n in FundCategory.__dataclass_fields__ if n.startswith(("standard", "cap"))}
    out: dict[str, Any] = {n: None for n in FundCategory.__dataclass_fields__}
    out |= {"code": code, "once_per_lifetime": False}
    for key, value in params.items():
        name = "name_zh" if key == "name" else key
        if name not in out:
            name = f"{key} (not modelled)"
        out[name] = Decimal(str(value)) if name in money else value
    return out


def test_categories_match_fund_lines(contracts_dir: Path) -> None:
    doc = _load(contracts_dir, "fund_lines")
    assert list(CATEGORIES) == list(doc["categories"])
    for code, params in doc["categories"].items():
        ours = CATEGORIES[code]
        actual = {n: getattr(ours, n) for n in FundCategory.__dataclass_fields__}
        difference = _first_difference(code, _expected_category(code, params), actual)
        assert difference is None, difference


def test_supervision_matches_fund_lines(contracts_dir: Path) -> None:
    doc = _load(contracts_dir, "fund_lines")["supervision"]
    actual = {
        "department_response_days": SUPERVISION.department_response_days,
        "escalate_after_overdue_days": SUPERVISION.escalate_after_overdue_days,
        "severity_by_delay_days": dict(SUPERVISION.severity_by_delay_days),
    }
    difference = _first_difference("supervision", doc, actual)
    assert difference is None, difference


def test_comparison_reports_a_changed_field(contracts_dir: Path) -> None:
    """A comparison that cannot fail proves nothing: change one type, see it named."""
    expected = _expected_system(_load(contracts_dir, "onecard"))
    actual = _actual_system(SYSTEMS["onecard"], expected)
    assert _first_difference("onecard", expected, actual) is None
    actual["disbursement.发放金额.type"] = "numeric"
    assert _first_difference("onecard", expected, actual) == (
        "onecard.disbursement.发放金额.type: contract says 'text', encoding has 'numeric'"
    )


# ------------------------------------------------- without the contracts at hand


@pytest.mark.parametrize(("system", "obj"), ALL_OBJECTS, ids=lambda v: getattr(v, "name", v))
def test_object_is_self_consistent(system: str, obj: SourceObject) -> None:
    assert len(set(obj.field_names)) == len(obj.fields), "a field name repeats"
    assert len(set(obj.aliases)) == len(obj.aliases), "an alias repeats"
    assert set(obj.key) <= set(obj.field_names), "a key column is not a field"
    assert not [k for k in obj.key if obj.get_field(k).nullable], "a key column is nullable"
    if obj.incremental_column:
        assert obj.incremental_column in obj.field_names
    assert (obj.kind == "endpoint") == (obj.path is not None)
    transport = get_system(system).transport
    kinds = {"database": "table", "file_drop": "file", "http_json_api": "endpoint"}
    assert obj.kind == kinds[transport.kind]
    if isinstance(transport, HttpApiTransport) and transport.soft_delete_field:
        assert transport.soft_delete_field in obj.field_names


@pytest.mark.parametrize(("system", "obj"), ALL_OBJECTS, ids=lambda v: getattr(v, "name", v))
def test_raw_table_name_is_a_plain_identifier(system: str, obj: SourceObject) -> None:
    name = raw_table_name(system, obj.name)
    assert name == f"{system}__{obj.name}"
    # Unquoted, lower case, within PostgreSQL's 63-byte limit.
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name) and len(name.encode()) <= 63


def test_raw_table_names_are_unique() -> None:
    names = [raw_table_name(s, o.name) for s, o in ALL_OBJECTS]
    assert len(names) == len(set(names))
    assert "budget__budget_indicator" in names and "poverty__households" in names


def test_systems_in_money_order() -> None:
    assert SYSTEM_CODES == [
        "budget", "treasury", "onecard", "poverty", "dibao", "pension",
        "employment", "collective", "education", "allowance", "reference",
    ]  # fmt: skip
    assert all(code == s.code for code, s in SYSTEMS.items())


def test_unknown_system_names_itself_and_the_known_ones() -> None:
    with pytest.raises(KeyError) as caught:
        get_system("onecrad")
    message = str(caught.value)
    assert "'onecrad'" in message and all(code in message for code in SYSTEMS)
    assert isinstance(caught.value, SunshineError)


def test_raw_table_name_rejects_an_unknown_object() -> None:
    with pytest.raises(KeyError, match="no object 'disbursements'.*disbursement"):
        raw_table_name("onecard", "disbursements")


def test_every_category_is_paid_through_a_known_system() -> None:
    assert {c.source_system for c in CATEGORIES.values()} <= set(SYSTEMS)
    assert all(code == c.code for code, c in CATEGORIES.items())


@pytest.mark.parametrize(
    ("delay", "severity"), [(-3, None), (0, None), (1, "yellow"), (29, "yellow"), (30, "orange"),
                            (59, "orange"), (60, "red"), (400, "red")],
)  # fmt: skip
def test_severity_by_delay(delay: int, severity: str | None) -> None:
    assert SUPERVISION.severity(delay) == severity


@pytest.mark.parametrize(
    ("system", "name", "groups"),
    [
        ("onecard", "onecard_20261103.csv", {"date": "20261103", "version": None}),
        ("onecard", "onecard_20261103_v2.csv", {"date": "20261103", "version": "2"}),
        ("onecard", "onecard_20261103.ok", None),
        ("onecard", "onecard_2026110.csv", None),
        ("collective", "collective_320113001_202610.xlsx",
         {"town": "320113001", "period": "202610", "version": None}),
        ("education", "education_2026_1_v2.xlsx", {"year": "2026", "term": "1", "version": "2"}),
        ("education", "education_2026_3.xlsx", None),
        ("allowance", "allowance_202610.csv", {"period": "202610", "version": None}),
        ("allowance", "allowance_202610.csv.tmp", None),
    ],
)  # fmt: skip
def test_file_names(system: str, name: str, groups: dict[str, str | None] | None) -> None:
    transport = get_system(system).transport
    assert isinstance(transport, FileDropTransport)
    assert transport.parse_file_name(name) == groups
    if groups:
        assert transport.file_version(name) == int(groups["version"] or 1)


def test_onecard_control_file() -> None:
    transport = get_system("onecard").transport
    assert isinstance(transport, FileDropTransport) and transport.control_file
    control = transport.control_file
    assert control.name_for("onecard_20261103_v2.csv") == "onecard_20261103_v2.ok"
    assert control.parse("rows=1204;amount=1530870.00\n") == (1204, Decimal("1530870.00"))
    assert control.parse("rows=12;amount=1,234.50") is None


def test_onecard_reads_gbk_and_allowance_strips_the_bom() -> None:
    onecard = get_system("onecard")
    allowance = get_system("allowance")
    assert isinstance(onecard.transport, FileDropTransport)
    assert isinstance(allowance.transport, FileDropTransport)
    assert onecard.transport.encoding and allowance.transport.encoding
    header = ",".join(onecard.get_object("disbursement").field_names)
    assert header.encode("gbk").decode(onecard.transport.encoding) == header
    assert "阿依古丽·买买提".encode("gbk").decode(onecard.transport.encoding) == "阿依古丽·买买提"
    header = ",".join(allowance.get_object("allowance_payment").field_names)
    raw = codecs.BOM_UTF8 + header.encode("utf-8")
    assert raw.decode(allowance.transport.encoding) == header


def test_import_reads_no_file() -> None:
    """Airflow imports this while parsing DAGs: only the package's own modules may be read."""
    code = """
import sys, dataclasses, decimal, re, types, typing, collections.abc
opened = []
def hook(event, args):
    if event == "open" and not str(args[0]).endswith((".py", ".pyc")):
        opened.append(str(args[0]))
sys.addaudithook(hook)
import sunshine.contracts
print(opened)
"""
    result = subprocess.run(
        [sys.executable, "-B", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize(
    ("name", "due"),
    [
        ("onecard_20261103.csv", "2026-11-03"),
        ("allowance_202610.csv", "2026-11-30"),
        ("allowance_202611_v2.csv", "2026-12-31"),  # the name's due day; a _vN is not held to it
        ("collective_320113001_202612.xlsx", "2027-01-31"),
        ("education_2026_1.xlsx", "2027-01-31"),
        ("education_2026_2.xlsx", "2027-07-31"),
    ],
)
def test_every_file_drop_name_has_the_projects_due_day(name: str, due: str) -> None:
    """The contracts name no due day: the encoding states one for every drop's names."""
    transport = get_system(name.split("_", 1)[0]).transport
    assert isinstance(transport, FileDropTransport)
    assert str(transport.due_day(name)) == due


def test_no_file_drop_is_left_without_a_due_day() -> None:
    """A new drop whose names carry a period but no due day would go by mtime alone."""
    for system in SYSTEMS.values():
        t = system.transport
        if isinstance(t, FileDropTransport):
            groups = set(re.compile(t.file_pattern).groupindex)
            assert (
                "date" in groups
                or "period" in groups
                or ({"year", "term"} <= groups and t.term_ends)
            ), system.code
