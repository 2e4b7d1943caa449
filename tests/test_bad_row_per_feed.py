"""One bad row in every feed's staging, and every rule still raises its alerts.

Issue 12, item 4: a data test failing on one feed must not cost the night the others'
alerts. The alerts loop's hand-made world (its K01 and T04 alerts) is built twice by the
whole project's dbt build: once clean, once with one bad row in each of the ten systems
and the reference base, each a value that casts but breaks a stated rule (a code off the
contract's list, a required column empty). One build carries all eleven bad rows at
once: a build per feed would cost CI eleven whole-project builds (some minutes each on a
small runner) for no more evidence, since a warning on one feed is independent of the
others'. Each feed's bad row must be named in `ops.build_warnings` under its own staging
model, the build must end with no error and nothing skipped, and every alert of the
clean night must still be raised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from test_alerts_loop import FIRST_NIGHT, RULES, dbt, fresh_database, land, land_world, night_vars

from sunshine.contracts import SYSTEMS
from sunshine.orchestrate.degraded import build_warnings

pytestmark = pytest.mark.slow

UPDATED = "2026-11-04 10:00:00"
BAD_ID = "320102199001010013"
# (system, object, row): one row per feed, each outside a rule its staging tests state
BAD_ROWS = [
    ("budget", "budget_indicator", {"indicator_id": "BAD-IND-1", "fund_line_code": "FL2026-0010",
     "fiscal_year": "2026", "level": "township", "issued_date": "2026-03-01",
     "district_code": "320116", "amount": "100.00", "status": "frozen", "updated_at": UPDATED}),
    ("treasury", "payment_voucher", {"voucher_no": "BAD-PV-1", "indicator_id": "BAD-IND-1",
     "payee_type": "alien", "amount": "100.00", "voucher_date": "2026-03-02",
     "status": "vanished", "updated_at": UPDATED}),
    ("onecard", "disbursement", {"_file": "onecard_20261104.csv", "batch_no": "BAD-B-1",
     "fund_line_code": "FL2026-0010", "id_number": BAD_ID, "amount": "10.00",
     "period": "202610", "pay_date": "2026-10-05", "status": "处理中"}),
    ("poverty", "households", {"household_id": "PH-bad-1", "head_id_number": BAD_ID,
     "village_code": "320116102203", "monitor_status": "suspended", "risk_types": "[]",
     "members": "[]", "updated_at": "2026-11-04T10:00:00+08:00", "deleted": "false"}),
    ("dibao", "assistance_case", {"case_id": "DB-bad-1", "category": "dibao_lunar",
     "head_id_number": BAD_ID, "village_code": "320116102203", "status": "frozen",
     "updated_at": UPDATED}),
    ("pension", "insured_person", {"person_no": "P-bad-1", "id_number": BAD_ID, "name": "孙某",
     "village_code": "320116102203", "status": "hibernating", "updated_at": UPDATED}),
    ("employment", "subsidies", {"application_id": "EMP-bad-1", "subsidy_type": "lottery",
     "fund_line_code": "FL2026-0010", "applicant_id_number": BAD_ID, "amount_fen": "100",
     "status": "pending",
     "updated_at": "2026-11-04T10:00:00+08:00"}),
    ("collective", "voucher_line", {"_file": "collective_320116102_202606.xlsx",
     "village_code": "320116102203", "voucher_no": "BAD-JZ-1", "entry_date": "2026-06-01",
     "direction": "转账", "amount": "10", "approval_status": "搁置"}),
    ("education", "aid_record", {"_file": "education_2026_2.xlsx", "term": "2026-2027-1",
     "student_no": "S-bad-1", "id_number": BAD_ID, "aid_type": "lottery_grant",
     "amount": "10.00", "pay_date": "2026-10-05"}),
    ("allowance", "allowance_payment", {"_file": "allowance_202609.csv", "recipient_id": "CJ-bad",
     "id_number": BAD_ID, "allowance_type": "elderly_200", "period": "202609",
     "amount": "10.00", "pay_date": "2026-09-20"}),
    ("reference", "resident", {"id_number": BAD_ID, "name": "孙某", "gender": "U",
     "birth_date": "1990-01-01", "updated_at": UPDATED}),
]  # fmt: skip
BUILD = ["build", "--exclude", "resource_type:snapshot", "--vars", night_vars(FIRST_NIGHT, RULES)]


@dataclass(frozen=True)
class Night:
    url: str
    output: str


def built(warehouse_url: str, work: Path, database: str, bad: bool) -> Night:
    url = fresh_database(warehouse_url, database)
    land_world(url)
    if bad:
        with psycopg.connect(url) as conn:
            for load_id, (system, obj, row) in enumerate(BAD_ROWS, start=40):
                land(conn, system, obj, [dict(row)], load_id)
    return Night(url, dbt(BUILD, url, work / database))


@pytest.fixture(scope="module")
def nights(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    work = tmp_path_factory.mktemp("bad_row_per_feed")
    yield {
        "clean": built(warehouse_url, work, "bad_row_clean", bad=False),
        "dirty": built(warehouse_url, work, "bad_row_dirty", bad=True),
    }


def alerts(url: str) -> set[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return set(conn.execute("select rule_code, subject_key from marts.alerts").fetchall())


def test_the_bad_rows_cover_every_feed() -> None:
    assert {system for system, _obj, _row in BAD_ROWS} == set(SYSTEMS)


def test_the_dirty_night_builds_everything(nights: dict) -> None:
    assert re.search(r"ERROR=0 SKIP=0", nights["dirty"].output), nights["dirty"].output[-3000:]


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_each_feeds_bad_row_is_set_aside_and_named(nights: dict, system: str) -> None:
    def warned(night: Night) -> dict:
        return {
            (model, test): count
            for model, test, _status, count, _kept in build_warnings(night.url, FIRST_NIGHT)
            if model.startswith(f"stg_{system}__")
        }

    dirty, clean = warned(nights["dirty"]), warned(nights["clean"])
    new = {key: count for key, count in dirty.items() if key not in clean}
    assert new, f"no warning on {system}'s staging for its bad row"
    assert all(count >= 1 for count in new.values()), new


def test_every_rule_still_raises_its_alerts(nights: dict) -> None:
    clean, dirty = alerts(nights["clean"].url), alerts(nights["dirty"].url)
    assert {rule for rule, _subject in clean} == set(RULES)
    assert clean <= dirty, clean - dirty
    # anything more is about the bad rows' own subjects
    bad_keys = {str(v) for _s, _o, row in BAD_ROWS for v in row.values()}
    extra = dirty - clean
    assert all(any(k in subject for k in bad_keys) for _rule, subject in extra), extra
