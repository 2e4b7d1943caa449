"""Identity numbers and credit codes of the simulated sources, checked by python-stdnum:
valid ones valid once the contracts' dirt is normalized, planted invalid ones invalid."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import psycopg
from openpyxl import load_workbook
from stdnum.cn import ric, uscc

from sunshine.config import with_database
from sunshine.simulate.clock import Timeline
from sunshine.simulate.dirt import Dirt
from sunshine.simulate.identity import (
    legacy_15,
    make_id,
    make_uscc,
    normalize_id,
    upgrade_15,
    wrong_check,
)
from sunshine.simulate.profiles import DirtRates


def _query(url: str, database: str, sql: str) -> list[tuple]:
    with psycopg.connect(with_database(url, database)) as conn:
        return conn.execute(sql).fetchall()


def delivered_ids(out: Path, url: str) -> list[str]:
    """Every identity number the sources deliver, as written (dirt included)."""
    ids: list[str] = []
    for path in sorted((out / "drops" / "onecard").glob("*.csv")):
        rows = list(csv.reader(path.read_text(encoding="gbk").splitlines()))
        ids += [r[3] for r in rows[1:]]
    for path in sorted((out / "drops" / "allowance").glob("*.csv")):
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        ids += [r[1] for r in rows[1:]]
    for path in sorted((out / "drops" / "education").glob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        ids += [str(r[3]) for r in list(book.active.iter_rows(values_only=True))[1:]]
        book.close()
    for path in sorted((out / "drops" / "collective").glob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        for r in list(book.active.iter_rows(values_only=True))[2:]:
            if r[0] == "合计":
                continue
            ids.append(str(r[11]))
            if r[8] and not str(r[8]).startswith("9"):
                ids.append(str(r[8]))
        book.close()
    with sqlite3.connect(out / "api" / "poverty.sqlite") as conn:
        for (body,) in conn.execute("select body from households"):
            record = json.loads(body)
            ids += [record["headIdNumber"], *(m["idNumber"] for m in record["members"])]
    with sqlite3.connect(out / "api" / "employment.sqlite") as conn:
        ids += [
            json.loads(b)["applicantIdNumber"]
            for (b,) in conn.execute("select body from subsidies")
        ]
    for database, sql in (
        ("src_dibao", "select id_number from dibao.case_member"),
        ("src_dibao", "select payee_id_number from dibao.monthly_payment"),
        ("src_pension", "select id_number from pension.insured_person"),
        ("src_reference", "select id_number from reference.public_employee"),
        ("src_reference", "select relative_id_number from reference.cadre_relation"),
        ("src_reference", "select legal_rep_id_number from reference.enterprise"),
        ("src_reference", "select owner_id_number from reference.vehicle"),
    ):
        ids += [r[0] for r in _query(url, database, sql)]
    return ids


def test_resident_register_numbers_are_clean_and_valid(small_city) -> None:
    numbers = [
        r[0]
        for r in _query(
            small_city.warehouse_url, "src_reference", "select id_number from reference.resident"
        )
    ]
    assert len(numbers) > 15_000
    assert all(len(n) == 18 and n == n.strip().upper() for n in numbers)
    invalid = [n for n in numbers if not ric.is_valid(n)]
    assert not invalid, invalid[:5]


def test_delivered_numbers_are_valid_once_normalized_except_the_planted(small_city) -> None:
    truth = list(csv.DictReader((small_city.out / "truth.csv").open(encoding="utf-8")))
    e04 = {r["subject_key"] for r in truth if r["rule_code"] == "E04" and r["is_decoy"] == "false"}
    planted_invalid = {n for n in e04 if not ric.is_valid(n)}
    assert planted_invalid, "no planted invalid identity number"
    delivered = delivered_ids(small_city.out, small_city.warehouse_url)
    normalized = [normalize_id(n) for n in delivered]
    bad = {n for n in normalized if not ric.is_valid(n)}
    # Every number that fails is a planted E04 case, and each planted one is delivered.
    assert bad == planted_invalid
    # The dirt the contracts promise is there.
    assert any(n.endswith("x") for n in delivered), "no lower-case x"
    assert any("３" in n or "２" in n for n in delivered), "no full-width digits"
    assert any(len(n.strip()) == 15 for n in delivered), "no legacy 15-digit number"
    assert any(n != n.strip() for n in delivered), "no surrounding spaces"


def test_credit_codes_are_valid(small_city) -> None:
    url = small_city.warehouse_url
    codes = [
        r[0] for r in _query(url, "src_reference", "select credit_code from reference.enterprise")
    ]
    codes += [
        r[0]
        for r in _query(
            url, "src_reference", "select distinct employer_code from reference.public_employee"
        )
    ]
    codes += [
        r[0]
        for r in _query(
            url,
            "src_treasury",
            "select payee_code from treasury.payment_voucher where payee_type = 'enterprise'",
        )
    ]
    with sqlite3.connect(small_city.out / "api" / "employment.sqlite") as conn:
        codes += [
            c
            for (b,) in conn.execute("select body from subsidies")
            if (c := json.loads(b)["enterpriseCreditCode"])
        ]
    assert len(codes) > 100
    invalid = [c for c in codes if not uscc.is_valid(c)]
    assert not invalid, invalid[:5]
    assert len(
        set(_query(url, "src_reference", "select credit_code from reference.enterprise"))
    ) == len(_query(url, "src_reference", "select credit_code from reference.enterprise"))


def test_identity_helpers_agree_with_stdnum() -> None:
    import random

    rng = random.Random(1)
    for _ in range(2000):
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(365 * 90))
        number = make_id("320121" if birth.year < 2000 else "320115", birth, rng.randrange(1000))
        assert ric.is_valid(number), number
        assert not ric.is_valid(wrong_check(number))
        if birth.year < 2000:
            assert upgrade_15(legacy_15(number)) == number
        dirt = Dirt(DirtRates(lower_x=1, full_width=0.5, spaces=0.5, legacy_15=0.5), rng)
        assert normalize_id(dirt.id_number(number, legacy=True)) == number
        code = make_uscc("9", "1", "320115", rng)
        assert uscc.is_valid(code), code


def test_timeline_starts_early_enough_for_every_cycle() -> None:
    assert Timeline(dt.date(2026, 11, 3), 3).first_day == dt.date(2026, 1, 1)
    assert Timeline(dt.date(2026, 3, 1), 1).first_day == dt.date(2025, 1, 1)
    assert Timeline(dt.date(2026, 11, 3), 3).periods[-1] == "202611"
