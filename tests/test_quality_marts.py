"""The mart suites on small hand-made marts: a fen astray in the fund trace, an alert
without evidence or with a duplicate id fail critically; sound marts pass; a mart dbt
has not built is skipped."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.quality.run import check_marts

NIGHT = dt.date(2026, 11, 5)
DATABASE = "sunshine_quality_marts"

DDL = """
create schema if not exists marts;
create table marts.fund_line_budgets (
    fund_line_code text, fund_line_name text, category text, department_code text,
    department_name text, fiscal_year integer, district_code text, indicator_count integer,
    budgeted_amount numeric(16, 2), withdrawn_amount numeric(16, 2)
);
insert into marts.fund_line_budgets values
    ('FL2026-0001', '城市低保', 'dibao_urban', 'D0107', '民政局', 2026, '320113', 2,
     600000.00, 0.00);
create table marts.fund_trace (
    trace_key text, budgeted_amount numeric(16, 2), disbursed_amount numeric(16, 2),
    failed_amount numeric(16, 2), returned_amount numeric(16, 2),
    undisbursed_amount numeric(16, 2), unlinked_amount numeric(16, 2)
);
insert into marts.fund_trace values
    ('ZB1', 1000.00, 600.00, 50.00, 0.00, 350.00, 0.00),
    ('ZB2', 500.00, 700.00, 0.00, 0.00, 0.00, -200.00),
    ('unlinked|beyond', 0.00, 80.00, 0.00, 0.00, 0.00, -80.00);
create table marts.alerts (alert_id text, rule_id text, severity text, evidence jsonb);
insert into marts.alerts values
    ('A1', 'E01', 'red', '{"payment": "P1", "death_date": "2026-03-01"}'),
    ('A2', 'D02', 'yellow', '{"payments": ["P2", "P3"]}');
"""


@pytest.fixture
def marts(warehouse_url: str) -> str:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {DATABASE} with (force)")
        conn.execute(f"create database {DATABASE}")
    url = with_database(warehouse_url, DATABASE)
    with psycopg.connect(url) as conn:
        conn.execute(DDL)
    return url


def run(url: str, *statements: str):
    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)
    return check_marts(NIGHT, url)


def failed(quality, mart: str) -> list[str]:
    return [f for f in quality.failed_critical if f.startswith(f"marts.{mart}")]


def test_sound_marts_pass_and_their_results_are_kept(marts: str) -> None:
    quality = check_marts(NIGHT, marts)
    assert quality.validated == ("marts.fund_line_budgets", "marts.fund_trace", "marts.alerts")
    assert quality.failed_critical == [] and quality.failed_warning == []
    with psycopg.connect(marts) as conn:
        stored = conn.execute(
            "select object, count(*), bool_and(success) from ops.quality_results "
            "where night = %s group by object order by object",
            (NIGHT,),
        ).fetchall()
    assert [(obj, ok) for obj, _, ok in stored] == [
        ("marts.alerts", True),
        ("marts.fund_line_budgets", True),
        ("marts.fund_trace", True),
    ]


def test_a_fen_astray_in_the_trace_fails_it(marts: str) -> None:
    quality = run(
        marts,
        "update marts.fund_trace set disbursed_amount = disbursed_amount + 0.01 "
        "where trace_key = 'ZB1'",
        "update marts.fund_trace set failed_amount = null where trace_key = 'ZB2'",
    )
    (arithmetic,) = failed(quality, "fund_trace")
    assert "budgeted_amount = disbursed_amount" in arithmetic and "observed 2" in arithmetic


def test_only_the_unlinked_amount_may_be_negative(marts: str) -> None:
    quality = run(
        marts,
        "update marts.fund_trace set returned_amount = -10, undisbursed_amount = 360 "
        "where trace_key = 'ZB1'",
    )
    (negative,) = failed(quality, "fund_trace")
    assert ">= 0" in negative and "observed 1" in negative


def test_an_alert_needs_evidence_a_unique_id_and_a_known_severity(marts: str) -> None:
    quality = run(
        marts,
        "insert into marts.alerts values ('A3', 'E02', 'purple', '{}')",
        "insert into marts.alerts values ('A1', 'E01', 'red', '[1]')",
        "insert into marts.alerts values ('A4', 'E04', 'orange', null)",
    )
    problems = failed(quality, "alerts")
    assert len(problems) == 4
    assert any("expect_column_values_to_be_unique" in p for p in problems)
    assert any("expect_column_values_to_be_in_set" in p and "purple" in p for p in problems)
    assert any("evidence: expect_column_values_to_not_be_null" in p for p in problems)
    assert any("non-empty JSON object" in p and "observed 2" in p for p in problems)
    assert failed(quality, "fund_trace") == [] and failed(quality, "fund_line_budgets") == []


def test_a_mart_not_built_here_is_skipped(marts: str) -> None:
    quality = run(marts, "drop table marts.fund_trace", "drop table marts.alerts")
    assert quality.validated == ("marts.fund_line_budgets",)
    assert quality.publishable
