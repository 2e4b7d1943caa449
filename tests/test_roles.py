"""Who reads what: the auditor sees masked views only, the commission the marts whole.

A small warehouse of its own (the loop's hand-made rows, plus a collective expense the
handler paid himself, so that evidence holds identity numbers and names) is built by dbt,
whose on-run-start hook creates the roles and their grants. The checks run as each role
with SET ROLE, then again after the marts are rebuilt, as every night rebuilds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import errors
from test_alerts_loop import (
    APPLICANT,
    FIRST_NIGHT,
    LOOP_MODELS,
    build_first_night,
    dbt,
    expense,
    fresh_database,
    land_world,
    night_vars,
)

pytestmark = pytest.mark.slow

RULES = ["K01", "T04", "C02"]
HANDLER = "320121199001010016"
SELF_PAID = "320116102203/JZ202605-009"
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")
MASKED_ID = re.compile(r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$")


@dataclass(frozen=True)
class RolesWorld:
    url: str
    work: Path


def self_paid_expense() -> dict:
    row = expense(SELF_PAID, "2026-05-20", "3500", "2", "王书记")
    return row | {"payee_name": "孙会计", "payee_id": HANDLER}


@pytest.fixture(scope="module")
def roles_world(
    warehouse_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RolesWorld]:
    url = fresh_database(warehouse_url, "alerts_roles")
    work = tmp_path_factory.mktemp("alerts_roles")
    land_world(url, extra_expenses=[self_paid_expense()])
    build_first_night(url, work, rules=RULES)
    yield RolesWorld(url, work)


def as_role(url: str, role: str, sql: str) -> list[tuple]:
    """Run a query as `role` (SET ROLE from the warehouse's owner); errors propagate."""
    with psycopg.connect(url) as conn:
        conn.execute(f"set role {role}")
        return conn.execute(sql).fetchall()


DENIED_TO_AUDITOR = [
    "select * from raw.collective__voucher_line",
    "select * from staging.stg_reference__residents",
    "select * from staging.stg_employment__subsidies",
    "select subject_key from marts.alerts",
    "select * from marts.alert_detections",
]
DENIED_TO_COMMISSION = [
    "select * from raw.employment__subsidies",
    "select * from staging.stg_collective__voucher_lines",
]


def check_auditor(url: str) -> None:
    for sql in DENIED_TO_AUDITOR:
        with pytest.raises(errors.InsufficientPrivilege):
            as_role(url, "sunshine_auditor", sql)
    rows = as_role(
        url,
        "sunshine_auditor",
        "select rule_code, subject_type, subject_key, finding_key, evidence::text "
        "from marts_masked.alerts",
    )
    assert {r[0] for r in rows} == set(RULES)
    people = [r for r in rows if r[1] == "person"]
    assert people and all(MASKED_ID.match(r[2]) for r in people)
    assert all(r[2] == APPLICANT[:6] + "********" + APPLICANT[-4:] for r in people)
    for rule, _kind, key, finding_key, evidence in rows:
        assert not FULL_ID.search(key + finding_key + evidence), (rule, key, evidence)
    self_paid = [r[4] for r in rows if r[0] == "C02"]
    assert len(self_paid) == 1 and "孙会计" not in self_paid[0] and '"孙**"' in self_paid[0]
    assert HANDLER[:6] + "********" + HANDLER[-4:] in self_paid[0]


def check_commission(url: str) -> None:
    for sql in DENIED_TO_COMMISSION:
        with pytest.raises(errors.InsufficientPrivilege):
            as_role(url, "sunshine_commission", sql)
    whole = as_role(
        url,
        "sunshine_commission",
        "select subject_key from marts.alerts where subject_type = 'person'",
    )
    assert whole == [(APPLICANT,)]
    queue = as_role(url, "sunshine_commission", "select count(*) from marts.resupervision_queue")
    assert queue == [(0,)]


def test_alert_relation_holds_identity_numbers_whole(roles_world: RolesWorld) -> None:
    with psycopg.connect(roles_world.url) as conn:
        rows = conn.execute("select subject_key, evidence::text from marts.alerts").fetchall()
    assert (APPLICANT,) in [(r[0],) for r in rows]
    assert any(HANDLER in evidence for _key, evidence in rows)


def test_auditor_reads_masked_alerts_only(roles_world: RolesWorld) -> None:
    check_auditor(roles_world.url)


def test_commission_reads_marts_whole_but_not_raw_or_staging(roles_world: RolesWorld) -> None:
    check_commission(roles_world.url)


def test_grants_survive_the_nightly_rebuild(roles_world: RolesWorld) -> None:
    with psycopg.connect(roles_world.url) as conn:
        before = conn.execute("select 'marts.alerts'::regclass::oid").fetchone()
    models = [m for m in LOOP_MODELS if m not in ("alert_detections", "alert_rule_runs")]
    dbt(
        ["run", "--select", *models, "--vars", night_vars(FIRST_NIGHT, RULES)],
        roles_world.url,
        roles_world.work,
    )
    with psycopg.connect(roles_world.url) as conn:
        after = conn.execute("select 'marts.alerts'::regclass::oid").fetchone()
    assert before != after  # a new table: the grants it has are the defaults'
    check_auditor(roles_world.url)
    check_commission(roles_world.url)


NOTE = (
    "核实：孙会计（身份证 320121199001010016，旧证 320121900101001）电话 13912345678、"
    "025-84561234，账户 6222021234567892233，已退回"
)


def test_free_text_reaches_the_auditor_masked(roles_world: RolesWorld) -> None:
    """A department's note quoting the subject's identity number, name, phones and account:
    the auditor reads it masked wherever it stands, the commission whole."""
    from test_alerts_loop import sunshine

    (alert_id,) = as_role(
        roles_world.url,
        "sunshine_commission",
        "select alert_id from marts.alerts where rule_code = 'C02'",
    )[0]
    disposal = sunshine(
        roles_world.url, "alerts", "dispose", alert_id, "--as", "confirmed",
        "--by", "农业农村局 李科长", "--note", NOTE, "--at", FIRST_NIGHT.isoformat(),
    )  # fmt: skip
    assert disposal.returncode == 0, disposal.stderr
    models = [m for m in LOOP_MODELS if m not in ("alert_detections", "alert_rule_runs")]
    dbt(
        ["run", "--select", *models, "--vars", night_vars(FIRST_NIGHT, RULES)],
        roles_world.url,
        roles_world.work,
    )
    sql = f"select disposition_note from {{}}.alerts where alert_id = '{alert_id}'"
    assert as_role(roles_world.url, "sunshine_commission", sql.format("marts")) == [(NOTE,)]
    [(masked,)] = as_role(roles_world.url, "sunshine_auditor", sql.format("marts_masked"))
    assert masked == (
        "核实：孙**（身份证 320121********0016，旧证 320121*****1001）电话 139****5678、"
        "025-****1234，账户 ********2233，已退回"
    )


def test_a_mart_column_the_masked_view_does_not_list_stops_the_build(
    roles_world: RolesWorld, tmp_path: Path
) -> None:
    """A column added to a mart never reaches an auditor unmasked by default."""
    import shutil

    from sunshine.paths import DBT_PROJECT_DIR

    project = tmp_path / "project"
    shutil.copytree(
        DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    view = project / "models" / "marts_masked" / "masked_alerts.sql"
    text = view.read_text(encoding="utf-8")
    view.write_text(text.replace("    'disposition_note': 'free_text',\n", ""), encoding="utf-8")
    with pytest.raises(AssertionError, match="masked_alerts does not list alerts.disposition_note"):
        dbt(
            ["compile", "--select", "masked_alerts", "--vars", night_vars(FIRST_NIGHT, RULES)],
            roles_world.url,
            roles_world.work,
            project,
        )
