"""The audit snapshots keep every version staging saw, each valid until the next.

A database of its own on the session's server: raw tables made by the loader's code, a
first night of rows, `dbt build` of the snapshots (and their tests), then later versions
landed in raw (a case suspended, an indicator cut, a pensioner suspended, a cadre's post
changed) and a second build. A key that vanishes from staging is closed, with a deletion
row, by a third; a broken history makes the project's contiguity test fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.dbt import run_dbt
from sunshine.errors import SunshineError
from sunshine.load import raw

pytestmark = pytest.mark.slow

LOCAL = ZoneInfo("Asia/Shanghai")  # staging reads source timestamps without offset as local
OPEN_END = dt.datetime(9999, 12, 31, tzinfo=LOCAL)  # dbt_valid_to_current in dbt_project.yml
CADRE = "11010519491231002X"
RELATIVE = "320113198001010015"
SNAPSHOTS = (
    "snp_dibao__assistance_cases",
    "snp_pension__insured_persons",
    "snp_reference__cadre_relations",
    "snp_budget__budget_indicators",
)
STAGING = tuple(name.replace("snp_", "stg_") for name in SNAPSHOTS)


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def case(case_id: str, status: str, updated_at: str) -> dict[str, str]:
    return {
        "case_id": case_id,
        "category": "dibao_urban",
        "head_id_number": RELATIVE,
        "village_code": "320113001002",
        "member_count": "2",
        "monthly_amount": "1200.00",
        "approved_date": "2025-06-01",
        "status": status,
        "updated_at": updated_at,
    }


def indicator(amount: str, status: str, updated_at: str) -> dict[str, str]:
    return {
        "indicator_id": "ZB2026000002",
        "fund_line_code": "FL2026-0001",
        "fiscal_year": "2026",
        "level": "district",
        "document_no": "宁财社〔2026〕2号",
        "issued_date": "2026-03-01",
        "district_code": "320113",
        "amount": amount,
        "status": status,
        "updated_at": updated_at,
    }


def person(status: str, updated_at: str) -> dict[str, str]:
    return {
        "person_no": "P0001",
        "id_number": RELATIVE,
        "name": "李四",
        "village_code": "320113001002",
        "status": status,
        "benefit_start_period": "202001",
        "updated_at": updated_at,
    }


def relation(post: str, updated_at: str) -> dict[str, str]:
    return {
        "cadre_id_number": CADRE,
        "cadre_name": "张三",
        "village_code": "320113001002",
        "post": post,
        "term_start": "2024-01-01",
        "relative_id_number": RELATIVE,
        "relative_name": "李四",
        "relation": "spouse",
        "updated_at": updated_at,
    }


# (system, object, rows as {alias: value}) per night
FIRST_NIGHT = [
    (
        "dibao",
        "assistance_case",
        [
            case("DB01", "active", "2026-10-01 09:00:00"),
            case("DB02", "active", "2026-10-02 09:00:00"),
        ],
    ),
    ("budget", "budget_indicator", [indicator("600000.00", "active", "2026-03-01 09:00:00")]),
    ("pension", "insured_person", [person("active", "2026-01-05 10:00:00")]),
    ("reference", "cadre_relation", [relation("committee_member", "2026-01-02 08:00:00")]),
]
SECOND_NIGHT = [
    (
        "dibao",
        "assistance_case",
        [
            case("DB01", "suspended", "2026-11-03 15:30:00"),
            # DB02 delivered again with its old stamp: not a new version.
            {**case("DB02", "active", "2026-10-02 09:00:00"), "member_count": "3"},
        ],
    ),
    ("budget", "budget_indicator", [indicator("550000.00", "adjusted", "2026-11-04 09:00:00")]),
    ("pension", "insured_person", [person("suspended", "2026-11-02 11:00:00")]),
    ("reference", "cadre_relation", [relation("secretary", "2026-11-01 08:00:00")]),
]


def land(url: str, night: str, batches: list, first_load_id: int) -> None:
    with psycopg.connect(url) as conn:
        for load_id, (code, name, rows) in enumerate(batches, start=first_load_id):
            obj = SYSTEMS[code].get_object(name)
            tuples = [tuple(row.get(alias) for alias in obj.aliases) for row in rows]
            raw.land_rows(conn, code, obj, tuples, load_id=load_id, night=night, source="db")
            conn.commit()  # a load's temporary stage lives until its commit


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def dbt(url: str, work: Path, *args: str) -> None:
    run_dbt(
        [*args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        url,
        quiet=True,
    )


@pytest.fixture(scope="module")
def history(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Snapshots built after each of two nights, then once more after a key vanished."""
    work = tmp_path_factory.mktemp("dbt_snapshots")
    database = "snapshot_check"
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database} with (force)")
        conn.execute(f"create database {database}")
    url = with_database(warehouse_url, database)
    with psycopg.connect(url) as conn:
        for code, name, _ in FIRST_NIGHT:
            raw.ensure_raw_table(conn, code, SYSTEMS[code].get_object(name))
        conn.commit()
    land(url, "2026-11-02", FIRST_NIGHT, first_load_id=1)
    dbt(url, work, "run", "--select", *STAGING)
    # `build` as the nightly does: each snapshot, then its tests (contiguity among them).
    dbt(url, work, "build", "--select", "resource_type:snapshot")
    land(url, "2026-11-04", SECOND_NIGHT, first_load_id=11)
    dbt(url, work, "build", "--select", "resource_type:snapshot")
    second = {name: rows(url, f"select count(*) from snapshots.{name}")[0][0] for name in SNAPSHOTS}
    # Raw is append-only, so a key only leaves staging if raw is emptied by hand: the
    # snapshot must say so rather than keep the version open.
    with psycopg.connect(url) as conn:
        conn.execute("delete from raw.dibao__assistance_case where case_id = 'DB02'")
    before_delete = dt.datetime.now(LOCAL)
    dbt(url, work, "build", "--select", "resource_type:snapshot")
    after_delete = dt.datetime.now(LOCAL)
    yield {
        "url": url,
        "work": work,
        "second": second,
        "deleted_between": (before_delete, after_delete),
    }


def test_a_changed_case_keeps_both_versions_each_until_the_next(history: dict) -> None:
    got = rows(
        history["url"],
        """select status, dbt_valid_from, dbt_valid_to, dbt_is_deleted
           from snapshots.snp_dibao__assistance_cases where case_id = 'DB01'
           order by dbt_valid_from""",
    )
    changed = local("2026-11-03 15:30:00")
    assert got == [
        ("active", local("2026-10-01 09:00:00"), changed, "False"),
        ("suspended", changed, OPEN_END, "False"),
    ]


def test_an_adjusted_indicator_keeps_its_earlier_amount(history: dict) -> None:
    got = rows(
        history["url"],
        """select amount, status, dbt_valid_from, dbt_valid_to
           from snapshots.snp_budget__budget_indicators where indicator_id = 'ZB2026000002'
           order by dbt_valid_from""",
    )
    adjusted = local("2026-11-04 09:00:00")
    assert got == [
        (600000, "active", local("2026-03-01 09:00:00"), adjusted),
        (550000, "adjusted", adjusted, OPEN_END),
    ]


def test_pensioner_and_cadre_relation_histories(history: dict) -> None:
    url = history["url"]
    assert rows(
        url,
        """select status, dbt_valid_to from snapshots.snp_pension__insured_persons
           order by dbt_valid_from""",
    ) == [("active", local("2026-11-02 11:00:00")), ("suspended", OPEN_END)]
    # The key is the pair of normalized identity numbers.
    assert rows(
        url,
        """select cadre_id_number, relative_id_number, post, dbt_valid_to
           from snapshots.snp_reference__cadre_relations order by dbt_valid_from""",
    ) == [
        (CADRE, RELATIVE, "committee_member", local("2026-11-01 08:00:00")),
        (CADRE, RELATIVE, "secretary", OPEN_END),
    ]


def test_a_redelivery_with_the_same_stamp_is_no_new_version(history: dict) -> None:
    # Each snapshot grew by exactly its changed key on the second night.
    assert history["second"] == {
        "snp_dibao__assistance_cases": 3,
        "snp_pension__insured_persons": 2,
        "snp_reference__cadre_relations": 2,
        "snp_budget__budget_indicators": 2,
    }


def test_a_key_gone_from_staging_is_closed_by_a_deletion_row(history: dict) -> None:
    got = rows(
        history["url"],
        """select member_count, dbt_is_deleted, dbt_valid_from, dbt_valid_to
           from snapshots.snp_dibao__assistance_cases where case_id = 'DB02'
           order by dbt_valid_from""",
    )
    assert len(got) == 2
    (live_count, live_deleted, live_from, closed_at), deletion = got
    assert (live_count, live_deleted, live_from) == (2, "False", local("2026-10-02 09:00:00"))
    start, end = history["deleted_between"]
    assert start - dt.timedelta(seconds=5) <= closed_at <= end + dt.timedelta(seconds=5)
    assert deletion[1:] == ("True", closed_at, OPEN_END)
    # The others were left alone.
    assert rows(
        history["url"],
        "select count(*) from snapshots.snp_dibao__assistance_cases where case_id = 'DB01'",
    ) == [(2,)]


def test_contiguity_test_fails_on_a_gap(history: dict) -> None:
    url, work = history["url"], history["work"]
    with psycopg.connect(url) as conn:
        conn.execute(
            """update snapshots.snp_budget__budget_indicators
               set dbt_valid_to = dbt_valid_to - interval '1 day'
               where dbt_valid_to < '9999-01-01'"""
        )
    try:
        with pytest.raises(SunshineError, match="contiguous_history"):
            dbt(url, work, "test", "--select", "snp_budget__budget_indicators")
    finally:
        with psycopg.connect(url) as conn:
            conn.execute(
                """update snapshots.snp_budget__budget_indicators
                   set dbt_valid_to = dbt_valid_to + interval '1 day'
                   where dbt_valid_to < '9999-01-01'"""
            )
