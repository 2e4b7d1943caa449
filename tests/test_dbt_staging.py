"""Staging's normalization SQL, checked against python-stdnum in a real PostgreSQL.

The SQL under test is what the staging models use: dbt compiles the project's own
macros (`normalize_id_number`, `is_valid_id_number`, `normalize_credit_code`,
`is_valid_credit_code`) and the result runs on a few thousand generated values, clean
and dirty, in the session's warehouse. A last test builds every staging model on raw
tables created by the loader's own code and filled with hand-made dirty rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from stdnum.cn import ric, uscc

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.dbt import run_dbt
from sunshine.load import raw

pytestmark = pytest.mark.slow

# Divisions python-stdnum knows for every birth year generated here (its birth-place
# check is part of ric.is_valid; the SQL does not look places up).
DIVISIONS = ("110101", "110102", "110105", "120101", "310101", "310104", "320100", "653101")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def compile_sql(sql: str, url: str, target: Path) -> str:
    """`sql` with its Jinja rendered by dbt against this project's macros."""
    out = run_dbt(
        [
            "compile",
            "--quiet",
            "--output",
            "json",
            "--inline",
            sql,
            "--target-path",
            str(target / "target"),
            "--log-path",
            str(target / "logs"),
        ],
        url,
        quiet=True,
    )
    return json.loads(out[out.index("{") :])["compiled"]


def run_on_values(url: str, compiled: str, values: Sequence[str | None]) -> list[tuple]:
    """The compiled select run over a temporary table `staging_cases (case_no, value)`."""
    with psycopg.connect(url) as conn:
        conn.execute("create temporary table staging_cases (case_no integer, value text)")
        with conn.cursor() as cur, cur.copy("copy staging_cases from stdin") as copy:
            for number, value in enumerate(values):
                copy.write_row((number, value))
        return conn.execute(f"select * from ({compiled}) as checked order by case_no").fetchall()


@pytest.fixture(scope="module")
def dbt_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt's target and logs for this module, away from the project's own manifest."""
    return tmp_path_factory.mktemp("dbt_staging")


# ---------- identity numbers


def make_id(rng: random.Random, born: dt.date | None = None) -> str:
    born = born or dt.date(1901, 1, 1) + dt.timedelta(days=rng.randrange(45000))
    body = f"{rng.choice(DIVISIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def id_cases(rng: random.Random) -> dict[str, list[str | None]]:
    """Delivered identity numbers by kind of dirt, several thousand in all."""
    valid = [make_id(rng) for _ in range(1200)]
    ending_x: list[str] = []
    while len(ending_x) < 200:
        if (n := make_id(rng)).endswith("X"):
            ending_x.append(n)
    born_1900s = [
        make_id(rng, dt.date(1901, 1, 1) + dt.timedelta(days=rng.randrange(36000)))
        for _ in range(400)
    ]
    legacy = [n[:6] + n[8:17] for n in born_1900s]
    blanks = (" ", "\t", "\u3000", "\u00a0", "  \u3000")

    def wrong_check(n: str) -> str:
        return n[:17] + rng.choice([c for c in "0123456789X" if c != n[17]])

    def bad_date(_: int) -> str:
        day = rng.choice(["19991301", "20010229", "19000229", "20260431", "19800100", "19800132"])
        body = f"{rng.choice(DIVISIONS)}{day}{rng.randrange(1000):03d}"
        return body + ric.calc_check_digit(body + "0")

    return {
        "valid": valid + ending_x,
        "lower_x": [n.lower() for n in ending_x],
        "full_width": [n.translate(FULL_WIDTH) for n in rng.sample(valid, 300)]
        + [n[:9] + n[9:].translate(FULL_WIDTH) for n in rng.sample(valid, 100)],
        "blanks": [rng.choice(blanks) + n + rng.choice(blanks) for n in rng.sample(valid, 300)]
        + [f"{n[:6]} {n[6:14]} {n[14:]}" for n in rng.sample(valid, 100)],
        "legacy_15": legacy,
        "legacy_15_dirty": [f" {n.translate(FULL_WIDTH)}\u3000" for n in legacy[:100]],
        "wrong_check": [wrong_check(n) for n in rng.sample(valid, 400)],
        "wrong_check_lower": [wrong_check(n).lower() for n in rng.sample(valid, 100)],
        "bad_birth_date": [bad_date(i) for i in range(200)],
        "leap_day_2000": [make_id(rng, dt.date(2000, 2, 29)) for _ in range(20)],
        "malformed": [valid[i][: rng.choice([14, 16, 17])] for i in range(60)]
        + [valid[i] + "1" for i in range(20)]
        + [valid[i][:10] + "A" + valid[i][11:] for i in range(20)]
        + ["", "   ", "\u3000", None],
    }


def expected_id(value: str | None) -> tuple[str | None, bool | None]:
    """(normalized, valid) as python-stdnum sees it, with the 15-digit upgrade."""
    if value is None:
        return None, None
    text = "".join(unicodedata.normalize("NFKC", value).split()).replace("\u200b", "")
    text = ric.compact(text)
    if not text:
        return None, None
    if re.fullmatch(r"[0-9]{15}", text):
        body = text[:6] + "19" + text[6:]
        text = body + ric.calc_check_digit(body + "0")
    return text, ric.is_valid(text)


def test_identity_numbers_normalize_and_validate_like_stdnum(
    warehouse_url: str, dbt_work: Path
) -> None:
    cases = id_cases(random.Random(11643))
    values = [v for kind in cases.values() for v in kind]
    kinds = [kind for kind, vs in cases.items() for _ in vs]
    compiled = compile_sql(
        "select case_no, {{ normalize_id_number('value') }} as normalized,"
        " {{ is_valid_id_number(normalize_id_number('value')) }} as is_valid"
        " from staging_cases",
        warehouse_url,
        dbt_work,
    )
    got = run_on_values(warehouse_url, compiled, values)

    expected = [expected_id(v) for v in values]
    mismatches = [
        (kinds[i], values[i], (normalized, is_valid), expected[i])
        for i, normalized, is_valid in got
        if (normalized, is_valid) != expected[i]
    ]
    assert len(got) == len(values) > 3000
    assert not mismatches, f"{len(mismatches)} differ from stdnum, e.g. {mismatches[:5]}"
    # The generated cases do exercise both answers, for the reasons they were made.
    by_kind = {
        kind: {e[1] for e, k in zip(expected, kinds, strict=True) if k == kind} for kind in cases
    }
    assert by_kind["valid"] == by_kind["lower_x"] == by_kind["full_width"] == {True}
    assert by_kind["legacy_15"] == by_kind["legacy_15_dirty"] == by_kind["leap_day_2000"] == {True}
    assert by_kind["wrong_check"] == by_kind["bad_birth_date"] == {False}
    # A legacy number becomes the 18-digit number it stands for: century 19, new check.
    start = kinds.index("legacy_15")
    for legacy, (_, normalized, _) in zip(cases["legacy_15"], got[start:], strict=False):
        assert normalized[:6] + normalized[8:17] == legacy and normalized[6:8] == "19"


# ---------- credit codes


def make_uscc(rng: random.Random, head: str | None = None) -> str:
    head = head or rng.choice("159") + rng.choice("1239")
    body = head + f"{rng.randrange(10**6):06d}" + "".join(rng.choices(USCC_ALPHABET, k=9))
    return body + uscc.calc_check_digit(body)


def uscc_cases(rng: random.Random) -> dict[str, list[str | None]]:
    valid = [make_uscc(rng) for _ in range(1500)]

    def wrong_check(code: str) -> str:
        return code[:17] + rng.choice([c for c in USCC_ALPHABET if c != code[17]])

    return {
        "valid": valid,
        "lower": [c.lower() for c in rng.sample(valid, 300)],
        "blanks_hyphens": [f" {c[:8]}-{c[8:]}\u3000" for c in rng.sample(valid, 200)]
        + [f"{c[:4]} {c[4:]}" for c in rng.sample(valid, 100)],
        "full_width": [
            unicodedata.normalize("NFKC", c).translate(
                {ord(ch): ord(ch) + 0xFEE0 for ch in USCC_ALPHABET}
            )
            for c in rng.sample(valid, 200)
        ],
        "wrong_check": [wrong_check(c) for c in rng.sample(valid, 500)],
        "forbidden_letters": [
            c[:10] + rng.choice("IOSVZ") + c[11:] for c in rng.sample(valid, 100)
        ],
        "malformed": [c[:17] for c in valid[:50]] + [c + "1" for c in valid[:50]] + ["", None],
    }


def expected_uscc(value: str | None) -> tuple[str | None, bool | None]:
    if value is None:
        return None, None
    text = uscc.compact("".join(unicodedata.normalize("NFKC", value).split()))
    return (text, uscc.is_valid(text)) if text else (None, None)


def test_credit_codes_normalize_and_validate_like_stdnum(
    warehouse_url: str, dbt_work: Path
) -> None:
    rng = random.Random(32100)
    cases = uscc_cases(rng)
    # GB 32100 lets the registration authority and category be letters (N for rural
    # collectives, Y for others); stdnum wants digits there, so these are checked
    # against stdnum's check character alone.
    lettered = [make_uscc(rng, rng.choice("NY") + rng.choice("123")) for _ in range(100)]
    lettered_wrong = [c[:17] + ("0" if c[17] != "0" else "1") for c in lettered[:50]]
    values = [v for vs in cases.values() for v in vs] + lettered + lettered_wrong
    compiled = compile_sql(
        "select case_no, {{ normalize_credit_code('value') }} as normalized,"
        " {{ is_valid_credit_code(normalize_credit_code('value')) }} as is_valid"
        " from staging_cases",
        warehouse_url,
        dbt_work,
    )
    got = run_on_values(warehouse_url, compiled, values)

    stdnum_cases = sum(len(vs) for vs in cases.values())
    expected = [expected_uscc(v) for v in values[:stdnum_cases]]
    expected += [(c, True) for c in lettered] + [(c, False) for c in lettered_wrong]
    mismatches = [
        (values[i], (normalized, is_valid), expected[i])
        for i, normalized, is_valid in got
        if (normalized, is_valid) != expected[i]
    ]
    assert len(got) == len(values) > 3000
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:5]}"
    assert {e[1] for e in expected[: len(cases["valid"])]} == {True}
    assert all(uscc.calc_check_digit(c) == c[-1] for c in lettered)
    assert sum(1 for e in expected if e[1] is False) > 600


# ---------- staging on hand-made dirty raw rows

ID_A = "11010519491231002X"  # valid, ends in X
ID_B = "320113198001010015"  # valid
ID_C = "110105194912310021"  # wrong check character
LEGACY_B = "320113800101001"  # ID_B before 1999
CREDIT = "91350100M000100Y43"  # valid
NIGHT1, NIGHT2 = "2026-11-03", "2026-11-04"

# (system, object, load id, night, source, file version, rows as {alias: value})
DIRTY_ROWS: list[tuple[str, str, int, str, str, int | None, list[dict[str, str | None]]]] = [
    (
        "budget",
        "department",
        1,
        NIGHT1,
        "db",
        None,
        [
            {
                "department_code": "D0107",
                "department_name": " 民政局 ",
                "updated_at": "2026-11-01 10:00:00",
            },
        ],
    ),
    (
        "budget",
        "fund_line",
        2,
        NIGHT1,
        "db",
        None,
        [
            {
                "fund_line_code": "FL2026-0001",
                "fund_line_name": "城市最低生活保障资金",
                "department_code": "D0107",
                "category": "dibao_urban",
                "standard_amount": None,
                "disburse_within_days": "30",
                "updated_at": "2026-11-01 10:00:00",
            },
        ],
    ),
    (
        "budget",
        "budget_indicator",
        3,
        NIGHT1,
        "db",
        None,
        [
            {
                "indicator_id": "ZB2026000001",
                "fund_line_code": "FL2026-0001",
                "fiscal_year": "2026",
                "level": "central",
                "document_no": "财社〔2026〕1号",
                "issued_date": "2026-02-01",
                "district_code": "320113",
                "amount": "1000000.00",
                "status": "active",
                "updated_at": "2026-02-01 09:00:00",
            },
            {
                "indicator_id": "ZB2026000002",
                "parent_indicator_id": "ZB2026000001",
                "fund_line_code": "FL2026-0001",
                "fiscal_year": "2026",
                "level": "district",
                "document_no": "宁财社〔2026〕2号",
                "issued_date": "2026-03-01",
                "district_code": "320113",
                "amount": "600000.00",
                "status": "active",
                "updated_at": "2026-03-01 09:00:00",
            },
        ],
    ),
    (
        "budget",
        "budget_indicator",
        13,
        NIGHT2,
        "db",
        None,
        [
            {
                "indicator_id": "ZB2026000002",
                "parent_indicator_id": "ZB2026000001",
                "fund_line_code": "FL2026-0001",
                "fiscal_year": "2026",
                "level": "district",
                "document_no": "宁财社〔2026〕2号",
                "issued_date": "2026-03-01",
                "district_code": "320113",
                "amount": "550000.00",
                "status": "adjusted",
                "updated_at": "2026-11-04 09:00:00",
            },
        ],
    ),
    (
        "treasury",
        "payment_voucher",
        4,
        NIGHT1,
        "db",
        None,
        [
            {
                "voucher_no": "PV202611030001",
                "indicator_id": "ZB2026000002",
                "payer_department_code": "D0107",
                "payee_type": "enterprise",
                "payee_name": "某某农贸市场有限公司",
                "payee_account": "3201 0000 1111",
                "payee_code": CREDIT.lower(),
                "amount": "50000.00",
                "voucher_date": "2026-11-03",
                "paid_date": None,
                "status": "pending",
                "updated_at": "2026-11-03 09:00:00",
            },
            {
                "voucher_no": "PV202611030002",
                "indicator_id": "ZB2026000002",
                "payer_department_code": "D0107",
                "payee_type": "village_collective",
                "payee_name": "某村股份经济合作社",
                "payee_account": "32010000222",
                "payee_code": "320113001002",
                "amount": "8000.00",
                "voucher_date": "2026-11-03",
                "paid_date": "2026-11-03",
                "status": "paid",
                "updated_at": "2026-11-03 09:00:00",
            },
        ],
    ),
    (
        "treasury",
        "payment_voucher",
        14,
        NIGHT2,
        "db",
        None,
        [
            {
                "voucher_no": "PV202611030001",
                "indicator_id": "ZB2026000002",
                "payer_department_code": "D0107",
                "payee_type": "enterprise",
                "payee_name": "某某农贸市场有限公司",
                "payee_account": "3201 0000 1111",
                "payee_code": CREDIT.lower(),
                "amount": "50000.00",
                "voucher_date": "2026-11-03",
                "paid_date": "2026-11-04",
                "status": "paid",
                "updated_at": "2026-11-04 09:00:00",
            },
        ],
    ),
    (
        "onecard",
        "disbursement",
        5,
        NIGHT1,
        "onecard_20261103.csv",
        1,
        [
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_A.lower(),
                "name": "张　三",
                "account_no": "6228 4800 1234 5678 901",
                "bank_name": "中国农业银行",
                "amount": "1,200.00",
                "period": "202611",
                "pay_date": "2026/11/03",
                "status": "失败",
                "failure_reason": "账户冻结",
                "town_code": "320113001",
                "village_code": "320113001002",
            },
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": " " + ID_B.translate(FULL_WIDTH),
                "name": "阿卜杜拉,买买提",
                "account_no": "6228480012345678902",
                "bank_name": "中国农业银行",
                "amount": "800.00",
                "period": "202611",
                "pay_date": "20261103",
                "status": "成功",
                "failure_reason": None,
                "town_code": "320113001",
                "village_code": "320113001002",
            },
        ],
    ),
    (
        "onecard",
        "disbursement",
        6,
        NIGHT1,
        "onecard_20261103_v2.csv",
        2,
        [
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_A.lower(),
                "name": "张　三",
                "account_no": "6228 4800 1234 5678 901",
                "bank_name": "中国农业银行",
                "amount": "1,200.00",
                "period": "202611",
                "pay_date": "2026/11/03",
                "status": "失败",
                "failure_reason": "账户冻结",
                "town_code": "320113001",
                "village_code": "320113001002",
            },
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_B,
                "name": "阿卜杜拉·买买提",
                "account_no": "6228480012345678902",
                "bank_name": "中国农业银行",
                "amount": "850.00",
                "period": "202611",
                "pay_date": "20261103",
                "status": "成功",
                "failure_reason": None,
                "town_code": "320113001",
                "village_code": "320113001002",
            },
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_B,
                "name": "阿卜杜拉·买买提",
                "account_no": "6228480012345678902",
                "bank_name": "中国农业银行",
                "amount": "850.00",
                "period": "202611",
                "pay_date": "20261103",
                "status": "成功",
                "failure_reason": None,
                "town_code": "320113001",
                "village_code": "320113001002",
            },
        ],
    ),
    (
        "onecard",
        "disbursement",
        15,
        NIGHT2,
        "onecard_20261104.csv",
        1,
        [
            {
                "batch_no": "YKT20261103-0001",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_A,
                "name": "张三",
                "account_no": "6228480012345678903",
                "bank_name": "中国农业银行",
                "amount": "1,200.00",
                "period": "202611",
                "pay_date": "2026/11/04",
                "status": "成功",
                "failure_reason": None,
                "town_code": "320113001",
                "village_code": "320113001002",
            },
            {
                "batch_no": "YKT20261104-0002",
                "fund_line_code": "FL2026-0001",
                "voucher_no": "PV202611030001",
                "id_number": ID_B,
                "name": "阿卜杜拉·买买提",
                "account_no": "6228480012345678902",
                "bank_name": "中国农业银行",
                "amount": "-850.00",
                "period": "202611",
                "pay_date": "20261104",
                "status": "成功",
                "failure_reason": None,
                "town_code": "320113001",
                "village_code": "320113001002",
            },
        ],
    ),
    (
        "poverty",
        "households",
        7,
        NIGHT1,
        "api",
        None,
        [
            {
                "household_id": "H320113001002-0001",
                "head_id_number": ID_A.lower() + " ",
                "village_code": "320113001002",
                "monitor_status": "monitoring",
                "risk_types": '["illness", "education"]',
                "identified_at": "2025-06-01",
                "eliminated_at": None,
                "members": json.dumps(
                    [
                        {"idNumber": ID_A.lower(), "name": "张三", "relation": "head"},
                        {"idNumber": LEGACY_B, "name": "李四", "relation": "spouse"},
                    ],
                    ensure_ascii=False,
                ),
                "updated_at": "2026-11-03T21:14:05+08:00",
                "deleted": "false",
            },
            {
                "household_id": "H320113001002-0002",
                "head_id_number": ID_B,
                "village_code": "320113001002",
                "monitor_status": "monitoring",
                "risk_types": "[]",
                "identified_at": "2025-06-01",
                "eliminated_at": None,
                "members": "[]",
                "updated_at": "2026-11-03T10:00:00+08:00",
                "deleted": "false",
            },
        ],
    ),
    (
        "poverty",
        "households",
        17,
        NIGHT2,
        "api",
        None,
        [
            {
                "household_id": "H320113001002-0002",
                "head_id_number": ID_B,
                "village_code": "320113001002",
                "monitor_status": "removed",
                "risk_types": "[]",
                "identified_at": "2025-06-01",
                "eliminated_at": None,
                "members": "[]",
                "updated_at": "2026-11-04T02:00:00Z",
                "deleted": "true",
            },
        ],
    ),
    (
        "poverty",
        "assistance",
        8,
        NIGHT1,
        "api",
        None,
        [
            {
                "record_id": "A1",
                "household_id": "H320113001002-0001",
                "fund_line_code": "FL2026-0051",
                "measure": "cash",
                "amount": "2500.00",
                "granted_at": "2026-11-02",
                "voucher_no": None,
                "updated_at": "2026-11-03T09:00:00+08:00",
                "deleted": "false",
            },
            {
                "record_id": "A2",
                "household_id": "H320113001002-0001",
                "fund_line_code": "FL2026-0051",
                "measure": "health",
                "amount": "1000.00",
                "granted_at": "2026-11-02",
                "voucher_no": None,
                "updated_at": "2026-11-03T09:00:00+08:00",
                "deleted": "true",
            },
        ],
    ),
    (
        "dibao",
        "assistance_case",
        9,
        NIGHT1,
        "db",
        None,
        [
            {
                "case_id": "DB2026-0001",
                "category": "dibao_urban",
                "head_id_number": ID_A.lower(),
                "village_code": "320113001002",
                "member_count": "2",
                "monthly_amount": "2400.00",
                "approved_date": "2025-01-01",
                "terminated_date": None,
                "status": "active",
                "updated_at": "2026-11-01 09:00:00",
            },
        ],
    ),
    (
        "dibao",
        "case_member",
        9,
        NIGHT1,
        "db",
        None,
        [
            {
                "case_id": "DB2026-0001",
                "id_number": ID_A.lower(),
                "name": "张三",
                "relation": "head",
                "joined_date": "2025-01-01",
                "left_date": None,
                "updated_at": "2026-11-01 09:00:00",
            },
            {
                "case_id": "DB2026-0001",
                "id_number": ID_C,
                "name": "李　四",
                "relation": "spouse",
                "joined_date": "2025-01-01",
                "left_date": None,
                "updated_at": "2026-11-01 09:00:00",
            },
        ],
    ),
    (
        "dibao",
        "monthly_payment",
        9,
        NIGHT1,
        "db",
        None,
        [
            {
                "case_id": "DB2026-0001",
                "period": "202611",
                "amount": "2400.00",
                "fund_line_code": "FL2026-0001",
                "payee_id_number": ID_A,
                "updated_at": "2026-11-01 09:00:00",
            },
        ],
    ),
    (
        "pension",
        "insured_person",
        10,
        NIGHT1,
        "db",
        None,
        [
            {
                "person_no": "P0001",
                "id_number": ID_A,
                "name": "张三",
                "village_code": "320113001002",
                "status": "receiving",
                "benefit_start_period": "201001",
                "suspended_date": None,
                "suspend_reason": None,
                "updated_at": "2026-11-01 09:00:00",
            },
        ],
    ),
    (
        "pension",
        "benefit_payment",
        10,
        NIGHT1,
        "db",
        None,
        [
            {
                "payment_id": "9000000001",
                "person_no": "P0001",
                "period": "202611",
                "amount": "356.80",
                "fund_line_code": "FL2026-0011",
                "paid_date": "2026-11-05",
                "account_no": "6221880012345678",
                "updated_at": "2026-11-05 09:00:00",
            },
        ],
    ),
    (
        "employment",
        "subsidies",
        11,
        NIGHT1,
        "api",
        None,
        [
            {
                "application_id": "E1",
                "subsidy_type": "startup_subsidy",
                "fund_line_code": "FL2026-0061",
                "applicant_id_number": ID_B,
                "applicant_name": "王五",
                "enterprise_credit_code": CREDIT,
                "enterprise_name": "某某科技有限公司",
                "amount_fen": "1000000",
                "period": None,
                "approved_at": "2026-10-30T10:00:00+08:00",
                "paid_at": "2026-11-02T17:00:00Z",
                "status": "paid",
                "updated_at": "2026-11-03T01:00:00+08:00",
            },
        ],
    ),
    (
        "collective",
        "voucher_line",
        12,
        NIGHT1,
        "collective_320113001_202610.xlsx",
        1,
        [
            {
                "village_code": "320113001002",
                "voucher_no": "记-001",
                "entry_date": "46300",
                "summary": "道路修缮",
                "direction": "支出",
                "subject": "工程支出",
                "amount": "12000",
                "payee_name": "某某建筑有限公司",
                "payee_id": CREDIT,
                "fund_line_code": "FL2026-0071",
                "handler_name": "赵六",
                "handler_id": ID_A,
                "approver_name": "钱七",
                "attachments": "0",
                "approval_status": "已审批",
            },
            {
                "village_code": "320113001002",
                "voucher_no": "记-002",
                "entry_date": "2026-10-08",
                "summary": "劳务费",
                "direction": "支出",
                "subject": "劳务费",
                "amount": "800.5",
                "payee_name": "李四",
                "payee_id": LEGACY_B,
                "fund_line_code": None,
                "handler_name": "赵六",
                "handler_id": ID_A,
                "approver_name": "钱七",
                "attachments": "2",
                "approval_status": "已审批",
            },
            {
                "village_code": "320113001002",
                "voucher_no": "记-002",
                "entry_date": "2026-10-08",
                "summary": "劳务费",
                "direction": "支出",
                "subject": "劳务费",
                "amount": "800.5",
                "payee_name": "李四",
                "payee_id": LEGACY_B,
                "fund_line_code": None,
                "handler_name": "赵六",
                "handler_id": ID_A,
                "approver_name": "钱七",
                "attachments": "2",
                "approval_status": "已审批",
            },
        ],
    ),
    (
        "education",
        "aid_record",
        16,
        NIGHT1,
        "education_2026_1.xlsx",
        1,
        [
            {
                "term": "2026-2027-1",
                "student_no": "G320113200801010011",
                "name": "王小明",
                "id_number": LEGACY_B,
                "school_name": "某某职业技术学校",
                "stage": "中职",
                "village_code": "320113001002",
                "aid_type": "雨露计划",
                "fund_line_code": "FL2026-0031",
                "amount": "1500",
                "pay_date": None,
            },
        ],
    ),
    (
        "education",
        "aid_record",
        18,
        NIGHT2,
        "education_2026_1_v2.xlsx",
        2,
        [
            {
                "term": "2026-2027-1",
                "student_no": "G320113200801010011",
                "name": "王小明",
                "id_number": LEGACY_B,
                "school_name": "某某职业技术学校",
                "stage": "中职",
                "village_code": "320113001002",
                "aid_type": "雨露计划",
                "fund_line_code": "FL2026-0031",
                "amount": "1500",
                "pay_date": "2026-11-04",
            },
        ],
    ),
    (
        "allowance",
        "allowance_payment",
        19,
        NIGHT1,
        "allowance_202610.csv",
        1,
        [
            {
                "recipient_id": "R0001",
                "id_number": ID_A,
                "name": "张三",
                "allowance_type": "elderly_80",
                "disability_cert_no": None,
                "disability_grade": None,
                "village_code": "320113001002",
                "fund_line_code": "FL2026-0042",
                "period": "202610",
                "amount": "100.00",
                "pay_date": "2026-10-25",
            },
            {
                "recipient_id": "R0001",
                "id_number": ID_A,
                "name": "张三",
                "allowance_type": "elderly_80",
                "disability_cert_no": None,
                "disability_grade": None,
                "village_code": "320113001002",
                "fund_line_code": "FL2026-0042",
                "period": "202610",
                "amount": "100.00",
                "pay_date": "2026-10-25",
            },
        ],
    ),
    (
        "reference",
        "resident",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "id_number": ID_A,
                "name": "张三",
                "gender": "M",
                "birth_date": "1949-12-31",
                "household_no": "H0001",
                "village_code": "320113001002",
                "death_date": None,
                "updated_at": "2026-01-01 00:00:00",
            },
            {
                "id_number": ID_B,
                "name": "李四",
                "gender": "F",
                "birth_date": "1980-01-01",
                "household_no": "H0001",
                "village_code": "320113001002",
                "death_date": None,
                "updated_at": "2026-01-01 00:00:00",
            },
        ],
    ),
    (
        "reference",
        "resident",
        21,
        NIGHT2,
        "db",
        None,
        [
            {
                "id_number": ID_A,
                "name": "张三",
                "gender": "M",
                "birth_date": "1949-12-31",
                "household_no": "H0001",
                "village_code": "320113001002",
                "death_date": "2026-09-30",
                "updated_at": "2026-11-04 08:00:00",
            },
        ],
    ),
    (
        "reference",
        "public_employee",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "id_number": ID_B.translate(FULL_WIDTH),
                "name": "李四",
                "employer_code": CREDIT,
                "employer_name": "某某局",
                "employer_type": "agency",
                "position": "科员",
                "monthly_salary": "8,000.00",
                "payroll_start": "2010-07-01",
                "payroll_end": None,
                "updated_at": "2026-01-01 00:00:00",
            },
        ],
    ),
    (
        "reference",
        "cadre_relation",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "cadre_id_number": ID_A,
                "cadre_name": "张三",
                "village_code": "320113001002",
                "post": "secretary",
                "term_start": "2021-01-01",
                "term_end": None,
                "relative_id_number": ID_A,
                "relative_name": "张三",
                "relation": "self",
                "updated_at": "2026-01-01 00:00:00",
            },
            {
                "cadre_id_number": ID_A,
                "cadre_name": "张三",
                "village_code": "320113001002",
                "post": "secretary",
                "term_start": "2021-01-01",
                "term_end": None,
                "relative_id_number": ID_B.lower() + "\u3000",
                "relative_name": "李四",
                "relation": "spouse",
                "updated_at": "2026-01-01 00:00:00",
            },
        ],
    ),
    (
        "reference",
        "enterprise",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "credit_code": CREDIT.lower(),
                "name": "某某科技有限公司",
                "legal_rep_id_number": ID_B,
                "registered_date": "2026-10-01",
                "deregistered_date": None,
                "registered_capital": "1000000",
                "updated_at": "2026-10-01 00:00:00",
            },
        ],
    ),
    (
        "reference",
        "vehicle",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "plate_no": "苏A·12345",
                "owner_id_number": ID_A,
                "vehicle_type": "car",
                "registered_date": "2020-05-01",
                "deregistered_date": None,
                "purchase_price": "150000.00",
                "updated_at": "2026-01-01 00:00:00",
            },
        ],
    ),
    (
        "reference",
        "division",
        20,
        NIGHT1,
        "db",
        None,
        [
            {
                "code": " ３２０１１５１０１２０１ ",
                "name": " 元山村 ",
                "level": "Village",
                "parent_code": "320115101",
                "valid_from": "2001-01-01",
                "valid_to": None,
                "updated_at": "2026-01-01 00:00:00",
            },
            {
                "code": "320115",
                "name": "江宁区",
                "level": "district",
                "parent_code": "",
                "valid_from": "2001-01-01",
                "valid_to": None,
                "updated_at": "2026-01-01 00:00:00",
            },
        ],
    ),
]


def land_dirty_rows(url: str) -> None:
    """Every raw table the contracts define, created by the loader, and the rows above."""
    with psycopg.connect(url) as conn:
        for code, system in SYSTEMS.items():
            for obj in system.objects:
                raw.ensure_raw_table(conn, code, obj)
        conn.commit()
        for code, name, load_id, night, source, version, rows in DIRTY_ROWS:
            obj = SYSTEMS[code].get_object(name)
            tuples = [tuple(row.get(alias) for alias in obj.aliases) for row in rows]
            if version is None:
                raw.land_rows(conn, code, obj, tuples, load_id=load_id, night=night, source=source)
            else:
                base = re.sub(r"_v\d+(?=\.)", "", source)
                raw.copy_file_rows(
                    conn,
                    code,
                    obj,
                    enumerate(tuples, start=2),
                    load_id=load_id,
                    night=night,
                    file_name=source,
                    file_base=base,
                    file_version=version,
                )
            conn.commit()  # a load's temporary stage lives until its commit


@pytest.fixture(scope="module")
def staged(warehouse_url: str, dbt_work: Path) -> Iterator[str]:
    """A database of its own on the session's server, with staging built on dirty raw rows."""
    database = "staging_check"
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database}")
        conn.execute(f"create database {database}")
    url = with_database(warehouse_url, database)
    land_dirty_rows(url)
    run_dbt(
        [
            "build",
            "--select",
            "staging",
            "--target-path",
            str(dbt_work / "build"),
            "--log-path",
            str(dbt_work / "logs"),
        ],
        url,
        quiet=True,
    )
    yield url


def rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_every_staging_model_builds_and_keeps_its_rows(staged: str) -> None:
    models = [
        r[0]
        for r in rows(
            staged,
            # views, and tables for the incremental ones; the warehouse's own feeds
            # (alert dispositions) are not source systems
            """select table_name from information_schema.tables
               where table_schema = 'staging' and table_name not like 'stg_ops%%' order by 1""",
        )
    ]
    assert len(models) == sum(len(s.objects) for s in SYSTEMS.values())
    empty = [m for m in models if rows(staged, f"select count(*) from staging.{m}")[0][0] == 0]
    assert not empty


def test_divisions_are_keyed_on_the_clean_code(staged: str) -> None:
    got = rows(
        staged,
        """select division_code, parent_code, division_name, division_level
           from staging.stg_reference__divisions order by 1""",
    )
    assert got == [
        ("320115", None, "江宁区", "district"),
        ("320115101201", "320115101", "元山村", "village"),
    ]


def test_onecard_counts_the_retry_and_the_reversal(staged: str) -> None:
    got = rows(
        staged,
        """select id_number, id_number_is_valid, name, amount, status, source_file
           from staging.stg_onecard__disbursements where is_latest_attempt
           order by batch_no, id_number""",
    )
    assert got == [
        (ID_A, True, "张三", 1200, "success", "onecard_20261104.csv"),
        (ID_B, True, "阿卜杜拉·买买提", 850, "success", "onecard_20261103_v2.csv"),
        (ID_B, True, "阿卜杜拉·买买提", -850, "success", "onecard_20261104.csv"),
    ]
    retried = rows(
        staged,
        """select status, source_file from staging.stg_onecard__disbursements
           where not is_latest_attempt and id_number = %s""",
        (ID_A,),
    )
    assert [status for status, _file in retried] == ["failed"], retried


def test_latest_versions_and_soft_deletes(staged: str) -> None:
    assert rows(
        staged, "select household_id, member_count from staging.stg_poverty__households"
    ) == [("H320113001002-0001", 2)]
    assert rows(staged, "select record_id from staging.stg_poverty__assistance_records") == [
        ("A1",)
    ]
    assert rows(
        staged,
        """select amount, status from staging.stg_budget__budget_indicators
                           where indicator_id = 'ZB2026000002'""",
    ) == [(550000, "adjusted")]
    assert rows(
        staged,
        """select status, paid_date from staging.stg_treasury__payment_vouchers
                           where voucher_no = 'PV202611030001'""",
    ) == [("paid", dt.date(2026, 11, 4))]
    assert rows(
        staged, """select id_number, pay_date from staging.stg_education__aid_records"""
    ) == [(ID_B, dt.date(2026, 11, 4))]
    assert rows(staged, "select count(*) from staging.stg_allowance__allowance_payments") == [(1,)]


def test_collective_payees_are_told_apart(staged: str) -> None:
    got = rows(
        staged,
        """select voucher_no, payee_kind, payee_id_number, payee_credit_code,
                                 entry_date, amount
                          from staging.stg_collective__voucher_lines order by voucher_no""",
    )
    assert got == [
        ("记-001", "enterprise", None, CREDIT, dt.date(2026, 10, 5), 12000),
        ("记-002", "person", ID_B, None, dt.date(2026, 10, 8), 800.5),
    ]
