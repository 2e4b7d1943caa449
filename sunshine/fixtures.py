"""A tiny budget system for the foundation's thin slice and the first demo.

It stands up the `budget` source as its contract describes it (three tables in a
`budget` schema of its own database on the warehouse server) with a few departments,
fund lines and indicators split central -> provincial -> municipal -> district, and
writes the `sources.yaml` that tells the pipeline where to find it. The full
simulator of all ten systems replaces it; the shape is the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

from sunshine.config import with_database

SOURCE_DATABASE = "fixture_budget"
SCHEMA = "budget"

DDL = """
create schema if not exists budget;
drop table if exists budget.budget_indicator, budget.fund_line, budget.department;
create table budget.department (
    department_code varchar(8) primary key,
    department_name varchar(64) not null,
    updated_at timestamp not null
);
create table budget.fund_line (
    fund_line_code varchar(12) primary key,
    fund_line_name varchar(128) not null,
    department_code varchar(8) not null,
    category varchar(32) not null,
    standard_amount numeric(12,2),
    disburse_within_days integer,
    updated_at timestamp not null
);
create table budget.budget_indicator (
    indicator_id varchar(20) primary key,
    parent_indicator_id varchar(20),
    fund_line_code varchar(12) not null,
    fiscal_year integer not null,
    level varchar(12) not null,
    document_no varchar(64) not null,
    issued_date date not null,
    district_code char(6) not null,
    amount numeric(14,2) not null,
    status varchar(12) not null,
    updated_at timestamp not null
);
"""

DEPARTMENTS = [
    ("D0101", "财政局"),
    ("D0107", "民政局"),
    ("D0108", "人力资源和社会保障局"),
    ("D0112", "农业农村局"),
    ("D0115", "教育局"),
    ("D0121", "残疾人联合会"),
]

# code, name, department, category, standard override, deadline override
FUND_LINES = [
    ("FL2026-0001", "城市最低生活保障资金", "D0107", "dibao_urban", None, None),
    ("FL2026-0002", "农村最低生活保障资金", "D0107", "dibao_rural", None, None),
    ("FL2026-0003", "特困人员救助供养资金", "D0107", "tekun", None, None),
    ("FL2026-0011", "城乡居民基础养老金", "D0108", "pension_basic", None, None),
    ("FL2026-0021", "耕地地力保护补贴", "D0112", "farmland_subsidy", None, 45),
    ("FL2026-0031", "雨露计划职业教育补助", "D0115", "yulu_plan", Decimal("1500.00"), None),
    ("FL2026-0041", "困难残疾人生活补贴", "D0121", "disability_living", None, None),
]

DISTRICTS = ["320113", "320114"]
LEVELS = ["central", "provincial", "municipal"]
DOCUMENT_PREFIX = {
    "central": "财社",
    "provincial": "苏财社",
    "municipal": "宁财社",
    "district": "区财",
}


def _indicators(night: dt.date) -> list[tuple]:
    """Each fund line: one chain of upper-level indicators, split to two districts."""
    rows: list[tuple] = []
    year = night.year
    serial = 0
    for line_no, (code, *_rest) in enumerate(FUND_LINES):
        total = Decimal(1_000_000 + 250_000 * line_no)
        issued = dt.date(year, 3, 1) + dt.timedelta(days=7 * line_no)
        parent = None
        for step, level in enumerate(LEVELS):
            serial += 1
            indicator_id = f"ZB{year}{serial:06d}"
            rows.append(
                (
                    indicator_id,
                    parent,
                    code,
                    year,
                    level,
                    f"{DOCUMENT_PREFIX[level]}〔{year}〕{10 + serial}号",
                    issued + dt.timedelta(days=5 * step),
                    DISTRICTS[0],
                    total,
                    "active",
                    dt.datetime.combine(issued, dt.time(9, 30)),
                )
            )
            parent = indicator_id
        for district_no, district in enumerate(DISTRICTS):
            serial += 1
            share = (total * Decimal("0.6" if district_no == 0 else "0.4")).quantize(
                Decimal("0.01")
            )
            # One district indicator is withdrawn and one adjusted: the states the
            # contract says an indicator moves through.
            status = "active"
            if line_no == 2 and district_no == 1:
                status = "withdrawn"
            elif line_no == 4 and district_no == 0:
                status, share = "adjusted", share - Decimal("12345.67")
            issued_district = issued + dt.timedelta(days=20 + district_no)
            rows.append(
                (
                    f"ZB{year}{serial:06d}",
                    parent,
                    code,
                    year,
                    "district",
                    f"{DOCUMENT_PREFIX['district']}〔{year}〕{100 + serial}号",
                    issued_district,
                    district,
                    share,
                    status,
                    dt.datetime.combine(
                        min(issued_district + dt.timedelta(days=3), night), dt.time(16, 5)
                    ),
                )
            )
    return rows


def create_budget_source(warehouse_url: str, night: dt.date) -> str:
    """Create (or re-create) the budget source database; return its name."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        exists = conn.execute(
            "select 1 from pg_database where datname = %s", (SOURCE_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(SOURCE_DATABASE)))
    source_url = with_database(warehouse_url, SOURCE_DATABASE)
    stamp = dt.datetime.combine(dt.date(night.year, 1, 2), dt.time(8, 0))
    with psycopg.connect(source_url) as conn, conn.cursor() as cur:
        cur.execute(DDL)
        cur.executemany(
            "insert into budget.department values (%s, %s, %s)",
            [(code, name, stamp) for code, name in DEPARTMENTS],
        )
        cur.executemany(
            "insert into budget.fund_line values (%s, %s, %s, %s, %s, %s, %s)",
            [(*line, stamp) for line in FUND_LINES],
        )
        cur.executemany(
            "insert into budget.budget_indicator values "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            _indicators(night),
        )
    return SOURCE_DATABASE


def write_sources_file(path: Path) -> Path:
    """A sources.yaml that finds the budget source on the warehouse server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Where each source system is found. Credentials come from the environment.\n"
        "systems:\n"
        "  budget:\n"
        "    url: ${SUNSHINE_WAREHOUSE_URL}\n"
        f"    database: {SOURCE_DATABASE}\n"
        f"    schema: {SCHEMA}\n",
        encoding="utf-8",
    )
    return path
