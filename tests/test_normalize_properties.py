"""Property-based tests of the normalization macros, run in the real PostgreSQL.

Each macro is compiled once by dbt (`dbt compile --inline`) into one SQL expression over
a parameter; Hypothesis then draws values from the whole space the contracts allow
(`../shared/contracts/README.md`: identity numbers with lower-case `x`, surrounding
spaces, full-width digits, 15-digit legacy numbers; yuan with or without decimals; every
date form the deliveries use) and dirt beyond it. python-stdnum is the independent
oracle of the GB 11643 and GB 32100 check characters. Whatever the text, no macro may
raise: one value a cast cannot take would fail its model and cost the night its alerts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from sunshine.dbt import dbt_environment
from sunshine.paths import DBT_PROJECT_DIR
from sunshine.sources.files import excel_text

PLACEHOLDER = "'__hypothesis_value__'"
# one output column per macro, over the same parameter `v`
MACROS = {
    "id_number": "normalize_id_number('v')",
    "id_valid": "is_valid_id_number(normalize_id_number('v'))",
    "credit_code": "normalize_credit_code('v')",
    "credit_valid": "is_valid_credit_code(normalize_credit_code('v'))",
    "code": "normalize_code('v')",
    "amount": "to_amount('v')",
    "fen": "fen_to_yuan('v')",
    "day": "to_local_date('v')",
    "instant": "to_timestamptz('v')",
    "period": "normalize_period('v')",
    "integer": "to_integer('v')",
    "text": "clean_text('v')",
    "person_name": "normalize_person_name('v')",
}
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
BLANKS = [" ", "\u3000", "\u00a0", "\t", "\ufeff", "\u200b"]
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def compile_macros(url: str, work: Path) -> str:
    """The project's macros as one select over `v`, compiled by dbt itself."""
    columns = ", ".join(f"{{{{ {call} }}}} as {name}" for name, call in MACROS.items())
    inline = f"select {columns} from (select {PLACEHOLDER}::text as v) as _value"
    env = {**os.environ, **dbt_environment(url), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    env["DBT_TARGET_PATH"] = str(work / "target")
    env["DBT_LOG_PATH"] = str(work / "logs")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "compile", "--inline", inline]
        + ["--output", "json", "--quiet", "--project-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    compiled = json.loads(result.stdout[result.stdout.index("{") :])["compiled"]
    assert PLACEHOLDER in compiled, compiled
    # psycopg's placeholders: the macros' own modulo signs are literal
    return compiled.replace("%", "%%").replace(PLACEHOLDER, "%s")


@pytest.fixture(scope="module")
def normalize(
    warehouse_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str | None], dict]:
    sql = compile_macros(warehouse_url, tmp_path_factory.mktemp("normalize_properties"))
    conn = psycopg.connect(warehouse_url, autocommit=True)
    conn.execute("set time zone 'Asia/Shanghai'")

    def run(value: str | None) -> dict:
        row = conn.execute(sql, (value,)).fetchone()
        return dict(zip(MACROS, row, strict=True))

    yield run
    conn.close()


# -- values the contracts allow ------------------------------------------------------

birth_dates = st.dates(dt.date(1900, 1, 1), dt.date(2026, 12, 31))
divisions = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
sequences = st.from_regex(r"[0-9]{3}", fullmatch=True)


def check_char(body17: str) -> str:
    """stdnum's GB 11643 check character of a 17-digit body (it wants a full number)."""
    return ric.calc_check_digit(body17 + "0")


@st.composite
def id_numbers(draw) -> str:
    body = draw(divisions) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return body + check_char(body)


@st.composite
def legacy_id_numbers(draw) -> str:
    """GB 11643's 15-digit predecessor: two-digit year, no check character (1900s)."""
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)))
    return draw(divisions) + born.strftime("%y%m%d") + draw(sequences)


@st.composite
def dirty(draw, value: str) -> str:
    """The dirt the contracts name: lower case, full-width characters, blanks around."""
    if draw(st.booleans()):
        value = value.lower()
    if draw(st.booleans()):
        value = value.translate(FULL_WIDTH)
    before = "".join(draw(st.lists(st.sampled_from(BLANKS), max_size=3)))
    after = "".join(draw(st.lists(st.sampled_from(BLANKS), max_size=3)))
    return before + value + after


credit_alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def credit_codes(draw) -> str:
    head = draw(st.sampled_from("123456789ANY")) + draw(st.sampled_from("1239"))
    body = head + draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    body += "".join(draw(st.lists(st.sampled_from(credit_alphabet), min_size=9, max_size=9)))
    return body + uscc.calc_check_digit(body)


any_text = st.one_of(
    st.none(),
    # raw tables are text: PostgreSQL refuses NUL before any model could read it
    st.text(st.characters(exclude_characters="\x00"), max_size=30),
    st.text(alphabet="0123456789xX.-/年月日 +:TZEe,０１２３", max_size=25),
)


# -- identity numbers and credit codes ------------------------------------------------


@SETTINGS
@given(st.data())
def test_an_allowed_identity_number_normalizes_to_the_oracles_form(normalize, data) -> None:
    number = data.draw(id_numbers())
    out = normalize(data.draw(dirty(number)))
    assert out["id_number"] == number
    assert out["id_valid"] is True
    assert normalize(out["id_number"])["id_number"] == number  # idempotent


@SETTINGS
@given(st.data())
def test_a_legacy_number_is_upgraded_with_the_oracles_check_character(normalize, data) -> None:
    legacy = data.draw(legacy_id_numbers())
    body = legacy[:6] + "19" + legacy[6:]
    out = normalize(data.draw(dirty(legacy)))
    assert out["id_number"] == body + check_char(body)
    assert out["id_valid"] is True


@SETTINGS
@given(st.data())
def test_a_wrong_check_character_is_kept_and_flagged(normalize, data) -> None:
    number = data.draw(id_numbers())
    wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
    out = normalize(number[:-1] + wrong)
    assert (out["id_number"], out["id_valid"]) == (number[:-1] + wrong, False)


@SETTINGS
@given(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True))
def test_identity_validity_agrees_with_the_oracle(normalize, number: str) -> None:
    try:
        ric.get_birth_date(number)
        oracle = check_char(number[:17]) == number[-1]
    except Exception:  # noqa: BLE001 - stdnum's invalid birth date
        oracle = False
    assert normalize(number)["id_valid"] is oracle


@SETTINGS
@given(st.data())
def test_an_allowed_credit_code_normalizes_and_checks_like_the_oracle(normalize, data) -> None:
    code = data.draw(credit_codes())
    out = normalize(data.draw(dirty(code)))
    assert (out["credit_code"], out["credit_valid"]) == (code, True)
    if code[:2].isdigit():  # stdnum knows only digit registration and category codes
        assert uscc.is_valid(out["credit_code"])
    wrong = data.draw(st.sampled_from([c for c in credit_alphabet if c != code[-1]]))
    assert normalize(code[:-1] + wrong)["credit_valid"] is False


# -- money, days, months, whole numbers ----------------------------------------------

yuan = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("9999999999.99"), places=2)


@SETTINGS
@given(yuan, st.booleans(), st.booleans(), st.booleans())
def test_an_amount_in_yuan_reads_as_itself(normalize, amount, grouped, full_width, short):
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    if short and amount == amount.to_integral_value():
        text = text[: -len(".00")]  # without decimals
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert normalize(f" {text} ")["amount"] == amount


@SETTINGS
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_fen_read_as_yuan(normalize, fen: int) -> None:
    assert normalize(str(fen))["fen"] == Decimal(fen) / 100


@st.composite
def written_days(draw) -> tuple[str, dt.date]:
    day = draw(st.dates(dt.date(1928, 1, 1), dt.date(2099, 12, 31)))
    form = draw(
        st.sampled_from(["iso", "slash", "compact", "chinese", "excel", "excel_time", "instant"])
    )
    if form == "iso":
        return day.isoformat(), day
    if form == "slash":
        return f"{day.year}/{day.month}/{day.day}", day
    if form == "compact":
        return day.strftime("%Y%m%d"), day
    if form == "chinese":
        return f"{day.year}年{day.month}月{day.day}日", day
    if form == "excel":
        return str((day - dt.date(1899, 12, 30)).days), day
    if form == "excel_time":
        # a date cell without a date format: the reader gets the serial, the time of day
        # its fraction, and writes it as the workbook reader does
        seconds = draw(st.integers(min_value=1, max_value=86399))
        return excel_text((day - dt.date(1899, 12, 30)).days + seconds / 86400), day
    clock = draw(st.times())
    offset = draw(st.integers(min_value=-12, max_value=14))
    zone = dt.timezone(dt.timedelta(hours=offset))
    instant = dt.datetime.combine(day, clock.replace(microsecond=0), zone)
    local = instant.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return instant.isoformat(), local


@SETTINGS
@given(written_days())
@example(("46300.5", dt.date(2026, 10, 5)))  # an Excel serial with its time of day
def test_every_delivered_date_form_reads_as_its_day(normalize, written) -> None:
    text, day = written
    assert normalize(text)["day"] == day


@SETTINGS
@given(
    st.integers(min_value=1900, max_value=2099),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["{y}{m:02d}", "{y}-{m:02d}", "{y}/{m}", "{y}年{m}月", "{y}{m:02d}.0"]),
)
def test_every_month_form_reads_as_yyyymm(normalize, year: int, month: int, form: str) -> None:
    period = normalize(form.format(y=year, m=month))["period"]
    assert period == f"{year}{month:02d}"
    assert normalize(period)["period"] == period  # idempotent


@SETTINGS
@given(st.integers(min_value=-(10**9) + 1, max_value=10**9 - 1), st.booleans())
def test_a_whole_number_reads_as_itself(normalize, number: int, excel: bool) -> None:
    assert normalize(f"{number}.0" if excel else f" {number} ")["integer"] == number


# -- any text at all: never an error, and a second pass changes nothing ---------------


@SETTINGS
@given(any_text)
@example("2026-02-30T10:00:00+08:00")
@example("99999")
@example("2026-13-45T25:00:00+08:00")
@example("1E+99")
@example("\u3000\ufeff \t")
def test_no_text_makes_a_macro_fail_and_normalizing_twice_changes_nothing(normalize, value):
    out = normalize(value)  # a SQL error here would fail the model, and the night
    for name in ("id_number", "credit_code", "code", "text", "person_name"):
        if out[name] is not None:
            assert normalize(out[name])[name] == out[name], (name, value)
    if out["id_valid"]:
        assert check_char(out["id_number"][:17]) == out["id_number"][-1]
    if value is None or not value.strip("".join(BLANKS) + "\n\r"):
        assert all(out[name] is None for name in MACROS), out
