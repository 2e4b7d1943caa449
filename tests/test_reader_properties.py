"""Property-based tests of the file readers over what the contracts let a producer write.

The one-card drop is GBK CSV, RFC 4180 quoting (names may hold commas, quotes, line
breaks), with an `.ok` control file; the allowance drop is UTF-8 with a byte-order mark;
the collective and education drops are XLSX. Any such rows a producer writes must come
back as the same values (an empty optional field as null), and a control file whose
count disagrees with its file must be refused with a message naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sunshine.contracts import get_system
from sunshine.load import ledger, raw
from sunshine.load.drops import load_file
from sunshine.sources.files import LOCAL, DroppedFile, read_rows

ONECARD = get_system("onecard")
DISBURSEMENT = ONECARD.get_object("disbursement")
ALLOWANCE = get_system("allowance")
ALLOWANCE_PAYMENT = ALLOWANCE.get_object("allowance_payment")
EDUCATION = get_system("education")
AID_RECORD = EDUCATION.get_object("aid_record")
DELIVERED = dt.datetime(2026, 10, 5, 22, tzinfo=LOCAL)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def gbk_text(**kwargs) -> st.SearchStrategy[str]:
    """Text the GBK code page can write: Chinese, ASCII, commas, quotes, line breaks."""
    return st.text(st.characters(codec="gbk", exclude_characters="\x00"), **kwargs)


def cell(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A field as written: some text, or empty (null) where the contract allows it."""
    return st.one_of(st.just(""), strategy)


@st.composite
def onecard_rows(draw, text=gbk_text) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        row = [draw(cell(text(max_size=12))) for _ in DISBURSEMENT.field_names]
        # every row carries a payee: a line of blanks only is the producer's padding
        row[DISBURSEMENT.field_names.index("身份证号码")] = draw(
            st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True)
        )
        rows.append(row)
    return rows


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180: quotes doubled, CRLF
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def dropped(path: Path) -> DroppedFile:
    return DroppedFile(path, 1, DELIVERED)


def read(path: Path, system) -> list[tuple]:
    obj = system.objects[0]
    return [row for _number, row in read_rows(dropped(path), obj, system.transport)]


def as_read(row: list) -> tuple:
    return tuple(value if value != "" else None for value in row)


names = itertools.count()


@SETTINGS
@given(onecard_rows())
@example([[""] * 3 + ["32011319900101123x"] + ['张,"三"\r\n李'] + [""] * 9])
def test_a_gbk_csv_round_trips_every_row(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / f"onecard_{20261000 + next(names) % 28 + 1}.csv"
    path.write_bytes(csv_bytes(list(DISBURSEMENT.field_names), rows, "gbk"))
    assert read(path, ONECARD) == [as_read(row) for row in rows]


@SETTINGS
@given(st.data(), st.booleans())
def test_a_utf8_csv_round_trips_with_or_without_its_bom(tmp_path: Path, data, bom: bool) -> None:
    header = list(ALLOWANCE_PAYMENT.field_names)
    rows = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        row = [data.draw(cell(st.text(max_size=10))) for _ in header]
        row[header.index("id_number")] = data.draw(
            st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True)
        )
        rows.append(row)
    path = tmp_path / f"allowance_2026{next(names) % 12 + 1:02d}.csv"
    path.write_bytes(csv_bytes(header, rows, "utf-8-sig" if bom else "utf-8"))
    assert read(path, ALLOWANCE) == [as_read(row) for row in rows]


# what openpyxl can store in a cell: no control characters but tab and line breaks
xlsx_text = st.text(
    st.characters(codec="gbk", exclude_categories=["Cc"], include_characters="\t\n"),
    max_size=12,
)


@SETTINGS
@given(st.lists(st.lists(st.one_of(st.none(), xlsx_text), min_size=1), min_size=1, max_size=4))
@example(cells=[["=0"]])
def test_an_xlsx_drop_round_trips_its_text_cells(tmp_path: Path, cells: list[list]) -> None:
    from openpyxl import Workbook

    header = list(AID_RECORD.field_names)
    rows = []
    for drawn in cells:
        row = (drawn + [None] * len(header))[: len(header)]
        row[header.index("身份证号")] = "320113200801010013"
        rows.append(row)
    book = Workbook()
    sheet = book.active
    sheet.title = EDUCATION.transport.sheet
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    # append() stores a text starting with "=" as a formula; a producer's text cell is text
    for line in sheet.iter_rows(min_row=2):
        for stored in line:
            if isinstance(stored.value, str):
                stored.data_type = "s"
    path = tmp_path / f"education_2026_{next(names) % 2 + 1}.xlsx"
    book.save(path)
    # an empty or blank-only cell is no value; any other text is kept exactly
    expected = [tuple(v if v is not None and v.strip() else None for v in row) for row in rows]
    assert read(path, EDUCATION) == expected


@pytest.fixture(scope="module")
def ledger_conn(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory):
    with psycopg.connect(warehouse_url, autocommit=True) as admin:
        admin.execute("drop database if exists reader_properties with (force)")
        admin.execute("create database reader_properties")
    url = warehouse_url.rsplit("/", 1)[0] + "/reader_properties"
    with psycopg.connect(url) as conn:
        ledger.ensure_ledger(conn)
        raw.ensure_raw_table(conn, "onecard", DISBURSEMENT)
        conn.commit()
        yield conn


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.decimals(min_value=0, max_value=99999, places=2), min_size=0, max_size=6),
    st.integers(min_value=-3, max_value=3).filter(lambda d: d != 0),
)
def test_a_control_count_that_disagrees_is_refused_naming_the_file(
    ledger_conn, tmp_path_factory: pytest.TempPathFactory, monkeypatch, amounts, delta
) -> None:
    if len(amounts) + delta < 0:
        delta = -delta
    monkeypatch.setenv("SUNSHINE_HOME", str(tmp_path_factory.mktemp("home")))
    folder = tmp_path_factory.mktemp("onecard")
    day = dt.date(2026, 1, 1) + dt.timedelta(days=next(names))
    path = folder / f"onecard_{day:%Y%m%d}.csv"
    index = DISBURSEMENT.field_names.index("发放金额")
    rows = [
        ["x"] * index + [f"{amount:.2f}"] + ["x"] * (len(DISBURSEMENT.field_names) - index - 1)
        for amount in amounts
    ]
    path.write_bytes(csv_bytes(list(DISBURSEMENT.field_names), rows, "gbk"))
    total = sum(amounts, Decimal(0))
    path.with_suffix(".ok").write_text(f"rows={len(rows) + delta};amount={total:.2f}")
    outcome = load_file(ledger_conn, "onecard", DISBURSEMENT, ONECARD.transport, dropped(path), day)
    assert outcome.status == "quarantined", outcome
    assert path.name in outcome.error and f"rows={len(rows) + delta}" in outcome.error
    landed = ledger_conn.execute(
        "select count(*) from raw.onecard__disbursement where _source = %s", (path.name,)
    ).fetchone()
    assert landed == (0,)  # nothing of a refused file is kept as data
