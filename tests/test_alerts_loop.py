"""The supervision loop night by night on a small hand-made warehouse.

A database of its own on the session's server gets every raw table the contracts define
(created by the loader) and a few hand-made rows: two approved collective expenses
without attachments (K01), one training subsidy approved and unpaid (T04) that is paid
later. dbt then builds the alert chain for one night after another, as the nightly DAG
does with `--vars {night: ...}`; between nights a department disposes one alert through
the real CLI. The rule models of the other rules are left out (var alert_rules), so this
tests the loop, not their data.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.dbt import dbt_environment
from sunshine.load import raw
from sunshine.paths import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

RULE_MODELS = {
    "K01": "int_rule_k01__missing_documents",
    "T04": "int_rule_t04__approved_subsidies_unpaid",
    "C02": "int_rule_c02__cadre_pays_himself",
}
RULES = ["K01", "T04"]
LOOP_MODELS = [
    "stg_ops__alert_dispositions",
    "int_alert_findings",
    "alert_detections",
    "alert_rule_runs",
    "int_alert_states_by_night",
    "alerts",
    "alert_status_history",
    "resupervision_queue",
    "rule_precision",
    "rule_volume",
    "alert_rules",
    "masked_alerts",
    "masked_resupervision_queue",
]
FIRST_NIGHT = dt.date(2026, 11, 5)
DISPOSED_ON = dt.date(2026, 11, 10)
# response 15 days, escalation 10 days after that (seed policy_supervision)
ESCALATES_ON = FIRST_NIGHT + dt.timedelta(days=15 + 10)
PAID_BEFORE = dt.date(2026, 11, 20)  # the T04 subsidy is paid between these nights
NIGHTS = [FIRST_NIGHT, DISPOSED_ON, ESCALATES_ON - dt.timedelta(days=1), ESCALATES_ON]

APPLICANT = "320102198904065915"
DISPOSED_ENTRY = "320116102203/JZ202605-006"
ESCALATING_ENTRY = "320115102204/JZ202602-010"


def project_dir() -> Path:
    """The dbt project: the repository's, or SUNSHINE_DBT_PROJECT (as the DAG reads it)."""
    return Path(os.environ.get("SUNSHINE_DBT_PROJECT", DBT_PROJECT_DIR))


def dbt(args: list[str], url: str, work: Path, project: Path | None = None) -> str:
    """A dbt command on the loop's database; a failure fails the test with dbt's output."""
    project = project or project_dir()
    env = {**os.environ, **dbt_environment(url), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    env["DBT_TARGET_PATH"] = str(work / "target")
    env["DBT_LOG_PATH"] = str(work / "logs")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return result.stdout


def night_vars(night: dt.date, rules: list[str] = RULES) -> str:
    return "{night: '" + night.isoformat() + "', alert_rules: [" + ", ".join(rules) + "]}"


def loop_models(rules: list[str]) -> list[str]:
    return [RULE_MODELS[rule] for rule in rules] + LOOP_MODELS


def build_night(night: dt.date, url: str, work: Path, command: str = "run") -> None:
    dbt([command, "--select", *loop_models(RULES), "--vars", night_vars(night)], url, work)


def build_first_night(url: str, work: Path, rules: list[str] = RULES) -> None:
    """Seeds, staging and the loop in one dbt call (each call parses the project anew)."""
    # what marts.alerts reads besides the loop: policies, and the indicators and vouchers
    # that place an alert without a village in its district, and the places' names
    upstream = ["resource_type:seed", "staging", "int_fund_line_policies",
                "int_supervision_parameters", "int_budget_indicators_classified",
                "int_payment_vouchers_classified", "int_place_names"]  # fmt: skip
    dbt(
        ["build", "--select", *upstream, *loop_models(rules),
         "--vars", night_vars(FIRST_NIGHT, rules),
         "--exclude-resource-type", "test", "unit_test"],
        url,
        work,
    )  # fmt: skip


def sunshine(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `sunshine` command, pointed at the loop's database."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "sunshine"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SUNSHINE_WAREHOUSE_URL": url},
        timeout=300,
    )


def land(conn: psycopg.Connection, system: str, name: str, rows: list[dict], load_id: int):
    obj = SYSTEMS[system].get_object(name)
    tuples = [tuple(row.get(alias) for alias in obj.aliases) for row in rows]
    if obj.kind == "file":
        file_name = rows[0].pop("_file")
        raw.copy_file_rows(
            conn,
            system,
            obj,
            enumerate(tuples, start=3),
            load_id=load_id,
            night=FIRST_NIGHT.isoformat(),
            file_name=file_name,
            file_base=file_name,
            file_version=1,
        )
    else:
        night = FIRST_NIGHT.isoformat()
        raw.land_rows(conn, system, obj, tuples, load_id=load_id, night=night, source="test")
    conn.commit()


def expense(voucher: str, day: str, amount: str, attachments: str, approver: str | None):
    village, number = voucher.split("/")
    return {
        "village_code": village,
        "voucher_no": number,
        "entry_date": day,
        "summary": "支付修缮费",
        "direction": "支出",
        "subject": "工程支出",
        "amount": amount,
        "payee_name": "某建筑公司",
        "payee_id": "91350100M000100Y43",
        "handler_name": "孙会计",
        "handler_id": "320121199001010016",
        "approver_name": approver,
        "attachments": attachments,
        "approval_status": "已审批",
    }


def subsidy(status: str, paid_at: str | None, updated_at: str) -> dict:
    return {
        "application_id": "TR2026000123",
        "subsidy_type": "training_subsidy",
        "fund_line_code": "FL2026-0010",
        "applicant_id_number": APPLICANT,
        "applicant_name": "王五",
        "amount_fen": "150000",
        "approved_at": "2026-08-02T10:00:00+08:00",
        "paid_at": paid_at,
        "status": status,
        "updated_at": updated_at,
    }


def land_world(url: str, extra_expenses: list[dict] | None = None) -> None:
    with psycopg.connect(url) as conn:
        for code, system in SYSTEMS.items():
            for obj in system.objects:
                raw.ensure_raw_table(conn, code, obj)
        conn.commit()
        updated = "2026-01-05 09:00:00"
        land(
            conn,
            "budget",
            "department",
            [
                {"department_code": "D0101", "department_name": "财政局", "updated_at": updated},
                {"department_code": "D0108", "department_name": "人力资源和社会保障局",
                 "updated_at": updated},
                {"department_code": "D0112", "department_name": "农业农村局",
                 "updated_at": updated},
            ],
            1,
        )  # fmt: skip
        land(
            conn,
            "budget",
            "fund_line",
            [
                {
                    "fund_line_code": "FL2026-0010",
                    "fund_line_name": "玄武区职业培训补贴",
                    "department_code": "D0108",
                    "category": "training_subsidy",
                    "disburse_within_days": "60",
                    "updated_at": updated,
                }
            ],
            2,
        )
        land(
            conn,
            "collective",
            "voucher_line",
            [
                {"_file": "collective_320116102_202605.xlsx"}
                | expense(DISPOSED_ENTRY, "2026-05-12", "19900", "0", "王书记"),
                expense(ESCALATING_ENTRY, "2026-02-03", "32400", "3", None),
                expense("320116102203/JZ202605-007", "2026-05-13", "800", "2", "王书记"),
                *(extra_expenses or []),
            ],
            3,
        )
        land(conn, "employment", "subsidies", [subsidy("approved", None, "2026-08-02 10:00:00")], 4)


def pay_the_subsidy(url: str) -> None:
    """The employment system pays the late subsidy: a later version of the application."""
    with psycopg.connect(url) as conn:
        paid = subsidy("paid", "2026-11-12T15:00:00+08:00", "2026-11-12 15:00:00")
        land(conn, "employment", "subsidies", [paid], 5)


@dataclass(frozen=True)
class LoopWorld:
    url: str
    work: Path
    ids: dict[str, str]  # subject_key -> alert_id
    disposal: subprocess.CompletedProcess[str]


def snapshot(url: str) -> dict[str, list[tuple]]:
    """The marts of the loop, whole, in a stable order."""
    tables = {
        "alerts": "select * from marts.alerts order by alert_id",
        "history": "select * from marts.alert_status_history order by alert_id, night",
        "queue": "select * from marts.resupervision_queue order by alert_id",
        "precision": "select * from marts.rule_precision order by rule_code",
        "volume": "select * from marts.rule_volume order by rule_code, night",
        "detections": "select * from marts.alert_detections order by night, alert_id",
    }
    with psycopg.connect(url) as conn:
        return {name: conn.execute(query).fetchall() for name, query in tables.items()}


def query(url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def fresh_database(warehouse_url: str, database: str) -> str:
    """A database of its own on the session's server, empty."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database} with (force)")
        conn.execute(f"create database {database}")
    return with_database(warehouse_url, database)


@pytest.fixture(scope="module")
def loop_world(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopWorld]:
    url = fresh_database(warehouse_url, "alerts_loop")
    work = tmp_path_factory.mktemp("alerts_loop")
    land_world(url)
    build_first_night(url, work)
    ids = dict(query(url, "select subject_key, alert_id from marts.alerts"))
    disposal = sunshine(
        url, "alerts", "dispose", ids[DISPOSED_ENTRY][:10], "--as", "confirmed",
        "--by", "农业农村局 李科长", "--note", "补齐附件", "--at", DISPOSED_ON.isoformat(),
    )  # fmt: skip
    for night in NIGHTS[1:]:
        if night >= PAID_BEFORE:
            pay_the_subsidy(url)
        build_night(night, url, work)
    yield LoopWorld(url, work, ids, disposal)


def test_first_night_finds_the_planted_alerts(loop_world: LoopWorld) -> None:
    assert set(loop_world.ids) == {DISPOSED_ENTRY, ESCALATING_ENTRY, APPLICANT}
    rows = query(
        loop_world.url,
        """select subject_key, first_detected_on, alerts.due_on, department_code
           from marts.alert_status_history join marts.alerts using (alert_id)
           where night = %s and alert_status_history.status = 'open'""",
        FIRST_NIGHT,
    )
    due = FIRST_NIGHT + dt.timedelta(days=15)
    assert sorted(rows) == sorted(
        [
            (DISPOSED_ENTRY, FIRST_NIGHT, due, "D0112"),
            (ESCALATING_ENTRY, FIRST_NIGHT, due, "D0112"),
            (APPLICANT, FIRST_NIGHT, due, "D0108"),
        ]
    )


def test_disposed_alert_is_disposed_from_the_night_of_its_disposition(
    loop_world: LoopWorld,
) -> None:
    assert loop_world.disposal.returncode == 0, loop_world.disposal.stderr
    alert_id = loop_world.ids[DISPOSED_ENTRY]
    assert alert_id in loop_world.disposal.stdout
    status, disposition, by = query(
        loop_world.url,
        "select status, disposition, disposed_by from marts.alerts where alert_id = %s",
        alert_id,
    )[0]
    assert (status, disposition, by) == ("disposed", "confirmed", "农业农村局 李科长")
    history = query(
        loop_world.url,
        "select night, status from marts.alert_status_history where alert_id = %s order by night",
        alert_id,
    )
    assert history == [(FIRST_NIGHT, "open"), (DISPOSED_ON, "disposed")]


def test_undisposed_alert_escalates_on_the_exact_night(loop_world: LoopWorld) -> None:
    alert_id = loop_world.ids[ESCALATING_ENTRY]
    history = query(
        loop_world.url,
        "select night, status from marts.alert_status_history where alert_id = %s order by night",
        alert_id,
    )
    assert history == [(FIRST_NIGHT, "open"), (ESCALATES_ON, "escalated")]
    status, severity, escalated_on = query(
        loop_world.url,
        "select status, severity, escalated_on from marts.alerts where alert_id = %s",
        alert_id,
    )[0]
    assert (status, severity, escalated_on) == ("escalated", "red", ESCALATES_ON)
    queue = query(loop_world.url, "select alert_id, days_overdue from marts.resupervision_queue")
    assert queue == [(alert_id, 10)]


def test_paid_subsidy_resolves_its_alert(loop_world: LoopWorld) -> None:
    alert_id = loop_world.ids[APPLICANT]
    history = query(
        loop_world.url,
        "select night, status from marts.alert_status_history where alert_id = %s order by night",
        alert_id,
    )
    first_night_paid = min(n for n in NIGHTS if n >= PAID_BEFORE)
    assert history == [(FIRST_NIGHT, "open"), (first_night_paid, "resolved")]
    detected = query(
        loop_world.url,
        "select max(night) from marts.alert_detections where alert_id = %s",
        alert_id,
    )
    assert detected == [(max(n for n in NIGHTS if n < PAID_BEFORE),)]


def test_precision_counts_the_latest_disposition(loop_world: LoopWorld) -> None:
    rows = query(
        loop_world.url,
        "select alerts, disposed, confirmed, precision from marts.rule_precision "
        "where rule_code = 'K01'",
    )
    assert rows == [(2, 1, 1, 1)]


def test_rerunning_a_night_changes_no_mart(loop_world: LoopWorld) -> None:
    before = snapshot(loop_world.url)
    build_night(NIGHTS[-1], loop_world.url, loop_world.work, command="build")
    assert snapshot(loop_world.url) == before


def test_full_refresh_keeps_the_history(loop_world: LoopWorld) -> None:
    counted = "select count(*), count(distinct night) from marts.alert_detections"
    before = query(loop_world.url, counted)
    assert before[0][1] == len(NIGHTS)
    dbt(
        ["run", "--full-refresh", "--select", "alert_detections", "alert_rule_runs",
         "--vars", night_vars(NIGHTS[-1])],
        loop_world.url,
        loop_world.work,
    )  # fmt: skip
    assert query(loop_world.url, counted) == before


def test_cli_lists_and_refuses_clearly(loop_world: LoopWorld) -> None:
    listed = sunshine(loop_world.url, "alerts", "list", "--status", "escalated")
    assert listed.returncode == 0, listed.stderr
    assert loop_world.ids[ESCALATING_ENTRY] in listed.stdout
    assert loop_world.ids[DISPOSED_ENTRY] not in listed.stdout
    unknown = sunshine(loop_world.url, "alerts", "dispose", "0123456789ab", "--as", "confirmed",
                       "--by", "x")  # fmt: skip
    bad = sunshine(loop_world.url, "alerts", "dispose", loop_world.ids[ESCALATING_ENTRY],
                   "--as", "approved", "--by", "x")  # fmt: skip
    for result, words in ((unknown, "no alert"), (bad, "not a disposition")):
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
