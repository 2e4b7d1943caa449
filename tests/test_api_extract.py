"""API extraction against the simulated servers: windows, reruns, soft deletes, faults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from sunshine.contracts import get_system
from sunshine.errors import SunshineError
from sunshine.load.extract import extract_object
from sunshine.sources.api_server import FaultPlan, RunningServer, serve_system
from sunshine.sources.api_server.store import write_store

POVERTY = get_system("poverty")
EMPLOYMENT = get_system("employment")
NIGHT = dt.date(2026, 10, 5)
TOKEN = "test-token-123"
KEY = "test-key-456"


def at(day: dt.date, hour: int, minute: int = 0) -> str:
    return dt.datetime.combine(
        day, dt.time(hour, minute), dt.timezone(dt.timedelta(hours=8))
    ).isoformat()


def household(n: int, changed: str, deleted: bool = False) -> dict:
    return {
        "householdId": f"H320113001002-{n:04d}",
        "headIdNumber": "320113199001011234",
        "villageCode": "320113001002",
        "monitorStatus": "monitoring",
        "riskTypes": ["illness"],
        "identifiedAt": "2026-03-01",
        "eliminatedAt": None,
        "members": [{"idNumber": "320113199001011234", "name": "张三", "relation": "head"}],
        "updatedAt": changed,
        "deleted": deleted,
    }


def subsidy(n: int, changed: str) -> dict:
    return {
        "applicationId": f"APP{n:06d}",
        "subsidyType": "training_subsidy",
        "fundLineCode": "FL2026-0051",
        "applicantIdNumber": "320113199001011234",
        "applicantName": "李四",
        "enterpriseCreditCode": None,
        "enterpriseName": None,
        "amountFen": 150000 + n,
        "period": None,
        "approvedAt": changed,
        "paidAt": None,
        "status": "approved",
        "updatedAt": changed,
    }


@pytest.fixture
def servers(tmp_path: Path, warehouse_url: str, monkeypatch) -> Iterator[dict[str, RunningServer]]:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for table in ("poverty__households", "poverty__assistance", "employment__subsidies"):
            conn.execute(f"drop table if exists raw.{table}")
        conn.execute("create schema if not exists ops")
        conn.execute("drop table if exists ops.load_ledger cascade")
    earlier, tonight, tomorrow = NIGHT - dt.timedelta(days=1), NIGHT, NIGHT + dt.timedelta(days=1)
    records = [household(n, at(earlier, 9, n)) for n in range(1, 8)]
    records += [household(8, at(tonight, 23, 59)), household(9, at(tomorrow, 0, 1))]
    write_store(tmp_path / "poverty.sqlite", POVERTY, {"households": records, "assistance": []})
    write_store(
        tmp_path / "employment.sqlite",
        EMPLOYMENT,
        {"subsidies": [subsidy(n, at(earlier, 10, n)) for n in range(1, 6)]},
    )
    poverty = serve_system(
        "poverty", tmp_path / "poverty.sqlite", credential=TOKEN, faults=FaultPlan(rates={}, seed=1)
    )
    employment = serve_system(
        "employment",
        tmp_path / "employment.sqlite",
        credential=KEY,
        faults=FaultPlan(rates={}, seed=1),
    )
    (tmp_path / "sources.yaml").write_text(
        "systems:\n"
        f"  poverty: {{base_url: '{poverty.url}', token: '{TOKEN}', retry_base_seconds: 0.01}}\n"
        f"  employment: {{base_url: '{employment.url}', api_key: '{KEY}',"
        " retry_base_seconds: 0.01, retry_attempts: 3}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SUNSHINE_SOURCES_FILE", str(tmp_path / "sources.yaml"))
    monkeypatch.setattr("sunshine.sources.api.RetryPolicy.max_wait_seconds", 0.05)
    yield {"poverty": poverty, "employment": employment, "store": tmp_path}
    poverty.stop()
    employment.stop()


def landed(url: str, table: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            f"select household_id, deleted, _night from raw.{table} order by household_id, _load_id"
        ).fetchall()


def test_a_night_lands_what_changed_before_its_end_and_a_rerun_nothing(
    servers, warehouse_url
) -> None:
    first = extract_object("poverty", "households", NIGHT)
    assert (first.rows_at_source, first.rows_landed) == (8, 8)  # H...0009 belongs to tomorrow
    assert first.watermark_after == dt.datetime.combine(NIGHT, dt.time(23, 59))
    rerun = extract_object("poverty", "households", NIGHT)
    assert rerun.rows_landed == 0 and rerun.status == "unchanged"
    tomorrow = extract_object("poverty", "households", NIGHT + dt.timedelta(days=1))
    assert tomorrow.rows_landed == 1
    assert len(landed(warehouse_url, "poverty__households")) == 9


def test_a_soft_delete_arrives_as_a_new_version(servers, warehouse_url) -> None:
    extract_object("poverty", "households", NIGHT)
    records = [household(n, at(NIGHT - dt.timedelta(days=1), 9, n)) for n in range(2, 8)]
    records += [household(1, at(NIGHT + dt.timedelta(days=1), 8), deleted=True)]
    write_store(
        servers["store"] / "poverty.sqlite", POVERTY, {"households": records, "assistance": []}
    )
    extract_object("poverty", "households", NIGHT + dt.timedelta(days=1))
    versions = [r for r in landed(warehouse_url, "poverty__households") if r[0].endswith("0001")]
    assert [(deleted, night) for _, deleted, night in versions] == [
        ("false", NIGHT),
        ("true", NIGHT + dt.timedelta(days=1)),
    ]


def test_faults_are_retried_and_honour_retry_after(servers, warehouse_url) -> None:
    servers["poverty"].faults.fail_next(2, 429)
    servers["employment"].faults.fail_next(2, 500)
    assert extract_object("poverty", "households", NIGHT).rows_landed == 8
    outcome = extract_object("employment", "subsidies", NIGHT)
    assert outcome.rows_landed == 5
    with psycopg.connect(warehouse_url) as conn:
        amounts = conn.execute(
            "select amount_fen from raw.employment__subsidies order by 1"
        ).fetchall()
    assert amounts[0] == ("150001",)


def test_an_api_that_keeps_failing_fails_the_object_and_lands_nothing(
    servers, warehouse_url
) -> None:
    servers["employment"].faults.fail_next(5, 500)
    with pytest.raises(SunshineError, match="still failing after 3 attempts"):
        extract_object("employment", "subsidies", NIGHT)
    with psycopg.connect(warehouse_url) as conn:
        assert conn.execute("select count(*) from raw.employment__subsidies").fetchone() == (0,)
        status, error = conn.execute(
            "select status, error from ops.load_ledger where object = 'subsidies'"
        ).fetchone()
    assert status == "failed" and "GET /api/v2/subsidy-applications" in error and "500" in error


def test_a_refused_credential_is_not_retried(servers, warehouse_url, monkeypatch) -> None:
    path = servers["store"] / "sources.yaml"
    path.write_text(path.read_text().replace(TOKEN, "wrong"), encoding="utf-8")
    with pytest.raises(SunshineError, match="401, the credential was refused"):
        extract_object("poverty", "households", NIGHT)
    assert servers["poverty"].running


def test_a_source_down_is_transient_and_a_refused_credential_permanent(
    servers, warehouse_url
) -> None:
    """Airflow retries a transient failure with back-off; a permanent one fails at once.

    Before, every error reached the task as a SunshineError and failed it for good.
    """
    from airflow.sdk.exceptions import AirflowFailException

    from sunshine.errors import TransientSourceError
    from sunshine.orchestrate import tasks
    from sunshine.orchestrate.schedule import retry_args

    context = {"params": {"night": NIGHT.isoformat()}}
    servers["employment"].faults.fail_next(5, 503)
    with pytest.raises(TransientSourceError, match="still failing after 3 attempts .*503"):
        tasks.extract("employment", "subsidies", context)

    servers["employment"].stop()  # nothing listens: the connection is refused
    with pytest.raises(TransientSourceError, match="ConnectionError"):
        tasks.extract("employment", "subsidies", context)

    path = servers["store"] / "sources.yaml"
    path.write_text(path.read_text().replace(TOKEN, "wrong"), encoding="utf-8")
    with pytest.raises(AirflowFailException, match="401, the credential was refused") as refused:
        tasks.extract("poverty", "households", context)
    assert not isinstance(refused.value, TransientSourceError)

    args = retry_args(retries=2, default_delay_seconds=300)
    assert args["retries"] == 2 and args["retry_exponential_backoff"] == 2.0
    assert args["max_retry_delay"] == dt.timedelta(hours=1)
    with psycopg.connect(warehouse_url) as conn:
        statuses = conn.execute(
            "select status from ops.load_ledger where object = 'subsidies'"
        ).fetchall()
    assert statuses == [("failed",), ("failed",)]
