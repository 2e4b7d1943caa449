"""A night degrades, it never dies: dirty records the contracts do not allow set tests
warning, the build goes on to the alerts, and the night names what it set aside.

The two cases of the security-and-reliability probe, on the alerts loop's hand-made world:
a poverty household whose monitorStatus is none of the contract's values, and allowance
rows delivered again under another month's file name (one key in two files). Before,
each made a staging test error and dbt skipped some two hundred models: no alert that
night. A student-aid row and an allowance row with no pay date (the contracts: "empty when
not yet paid") are rosters: they are no payment, and no test fails on them; nor is a
pension row whose paid_date, which its contract lets be null, is empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from test_alerts_loop import FIRST_NIGHT, dbt, fresh_database, land, land_world, night_vars

from sunshine.orchestrate.degraded import build_warnings, degraded_lines

pytestmark = pytest.mark.slow

RULES = ["K01", "T04", "S01"]
ODD_HOUSEHOLD = "PH-odd-1"
RECIPIENT = "320102193501010017"
ROSTER_STUDENT = "320102200801010013"
PENSIONER = "320102195001010012"


@dataclass(frozen=True)
class DegradedWorld:
    url: str
    work: Path
    output: str


def allowance(file: str, pay_date: str | None, recipient: str = RECIPIENT) -> dict:
    return {
        "_file": file,
        "recipient_id": "CJ0001" if recipient == RECIPIENT else "CJ0002",
        "id_number": recipient,
        "name": "赵老",
        "allowance_type": "elderly_90",
        "village_code": "320102001001",
        "fund_line_code": "FL2026-0020",
        "period": "202610",
        "amount": "300.00",
        "pay_date": pay_date,
    }


def pension_payment(payment_id: str, period: str, paid_date: str | None) -> dict:
    return {
        "payment_id": payment_id,
        "person_no": "PN0001",
        "period": period,
        "amount": "356.80",
        "fund_line_code": "FL2026-0040",
        "paid_date": paid_date,
        "account_no": "6221880012345678",
        "updated_at": "2026-11-04 10:00:00",
    }


def land_dirt(url: str) -> None:
    with psycopg.connect(url) as conn:
        land(
            conn,
            "poverty",
            "households",
            [
                {
                    "household_id": ODD_HOUSEHOLD,
                    "head_id_number": RECIPIENT,
                    "village_code": "320102001001",
                    "monitor_status": "suspended",  # none of monitoring, risk_eliminated, removed
                    "risk_types": "[]",
                    "identified_at": "2026-03-01",
                    "members": "[]",
                    "updated_at": "2026-11-04T10:00:00+08:00",
                    "deleted": "false",
                }
            ],
            21,
        )
        # the October rows again, under November's file name (each file its own load)
        land(
            conn,
            "allowance",
            "allowance_payment",
            [allowance("allowance_202610.csv", "2026-10-20")],
            22,
        )
        land(
            conn,
            "allowance",
            "allowance_payment",
            [
                allowance("allowance_202611.csv", "2026-10-20"),
                allowance("allowance_202611.csv", None, recipient="320102193601010014"),
            ],
            23,
        )
        land(
            conn,
            "education",
            "aid_record",
            [
                {
                    "_file": "education_2026_1.xlsx",
                    "term": "2026-2027-1",
                    "student_no": "S0001",
                    "name": "钱同学",
                    "id_number": ROSTER_STUDENT,
                    "school_name": "某职业学校",
                    "stage": "secondary_vocational",
                    "village_code": "320102001001",
                    "aid_type": "student_grant",
                    "fund_line_code": "FL2026-0030",
                    "amount": "1000.00",
                    "pay_date": None,  # on the roster, not yet paid
                }
            ],
            24,
        )
        # pension: paid_date is "date null"; a payment row without one has not paid
        land(
            conn,
            "pension",
            "insured_person",
            [
                {
                    "person_no": "PN0001",
                    "id_number": PENSIONER,
                    "name": "孙老",
                    "village_code": "320102001001",
                    "status": "receiving",
                    "benefit_start_period": "202001",
                    "updated_at": "2026-01-05 09:00:00",
                }
            ],
            25,
        )
        land(
            conn,
            "pension",
            "benefit_payment",
            [
                pension_payment("9000000001", "202610", "2026-10-15"),
                pension_payment("9000000002", "202611", None),  # not paid yet
            ],
            26,
        )


@pytest.fixture(scope="module")
def degraded_world(
    warehouse_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DegradedWorld]:
    url = fresh_database(warehouse_url, "degraded_night")
    work = tmp_path_factory.mktemp("degraded_night")
    land_world(url)
    land_dirt(url)
    # the whole project, as the night builds it: a failing test must not stop it
    output = dbt(
        ["build", "--exclude", "resource_type:snapshot", "--vars", night_vars(FIRST_NIGHT, RULES)],
        url,
        work,
    )
    yield DegradedWorld(url, work, output)


def rows(url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_the_build_finishes_and_the_alerts_are_built(degraded_world: DegradedWorld) -> None:
    assert re.search(r"Done\. PASS=\d+ WARN=[1-9]\d* ERROR=0 SKIP=0", degraded_world.output)
    alerts = rows(degraded_world.url, "select rule_code from marts.alerts")
    assert {"K01", "T04"} <= {rule for (rule,) in alerts}


def test_each_dirty_record_is_a_warning_naming_model_test_rows_and_place(
    degraded_world: DegradedWorld,
) -> None:
    warnings = {
        (model, test): (status, count, kept_in)
        for model, test, status, count, kept_in in build_warnings(degraded_world.url, FIRST_NIGHT)
    }
    status_test = [
        k for k in warnings if k[0] == "stg_poverty__households" and "accepted_values" in k[1]
    ]
    twice = [
        k for k in warnings if k[0] == "stg_allowance__allowance_payments" and "unique" in k[1]
    ]
    assert len(status_test) == 1 and len(twice) == 1, warnings
    for key in (*status_test, *twice):
        status, count, kept_in = warnings[key]
        assert (status, count) == ("warn", 1), key
        assert kept_in.startswith('"degraded_night"."audit".'), kept_in
        # the failing rows are where the warning says
        assert rows(degraded_world.url, f"select count(*) from {kept_in}") == [(1,)]
    (odd,) = rows(
        degraded_world.url,
        f"select value_field from {warnings[status_test[0]][2]}",  # dbt's accepted_values
    )
    assert odd == ("suspended",)


def test_the_night_says_degraded(degraded_world: DegradedWorld) -> None:
    lines = degraded_lines(degraded_world.url, FIRST_NIGHT)
    poverty = [line for line in lines if "stg_poverty__households" in line]
    assert poverty and poverty[0].startswith(
        f"DEGRADED night {FIRST_NIGHT}: stg_poverty__households:"
    )
    assert "warned on 1 row(s); kept in" in poverty[0]


def test_rows_without_a_pay_date_are_rosters_not_payments(degraded_world: DegradedWorld) -> None:
    paid = rows(
        degraded_world.url,
        "select source_system, id_number, paid_date from intermediate.int_benefit_payments "
        "where source_system in ('allowance', 'education')",
    )
    assert ("allowance", RECIPIENT) in {(s, i) for s, i, _d in paid}
    assert all(day is not None for _s, _i, day in paid)
    assert ROSTER_STUDENT not in {i for _s, i, _d in paid}
    assert "320102193601010014" not in {i for _s, i, _d in paid}


def test_a_pension_row_without_paid_date_is_no_payment(degraded_world: DegradedWorld) -> None:
    paid = rows(
        degraded_world.url,
        "select source_key, period, paid_date from intermediate.int_benefit_payments "
        "where source_system = 'pension'",
    )
    assert paid == [("9000000001", "202610", dt.date(2026, 10, 15))]
