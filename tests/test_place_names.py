"""Place names beside codes: the marts people read name the village, town and district.

The small city's night, modelled once (the session's `modelled_city`), is checked against
the reference base's own delivery (raw.reference__division, as landed); then a copy of
that warehouse whose division delivery is empty, as an extract leaves it when the source
has no such table, is rebuilt from staging on: the marts still build, names are null.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from sunshine.config import with_database
from sunshine.dbt import run_dbt

pytestmark = pytest.mark.slow

NO_DIVISIONS = "sunshine_no_divisions"

# (mart, code column, name column) wherever a person reads a place
PLACES = [
    ("marts.alerts", "village_code", "village_name"),
    ("marts.alerts", "district_code", "district_name"),
    ("marts.household_ledger", "household_village_code", "household_village_name"),
    ("marts.household_ledger", "household_town_code", "household_town_name"),
    ("marts.household_ledger", "household_district_code", "household_district_name"),
    ("marts.household_ledger", "paid_in_village_code", "paid_in_village_name"),
    ("marts.village_summary", "town_code", "town_name"),
    ("marts_masked.alerts", "village_code", "village_name"),
    ("marts_masked.household_ledger", "household_town_code", "household_town_name"),
]


def counts(url: str, mart: str, code: str, name: str) -> tuple[int, int, int]:
    """Rows with a code; of them, named; of those, named as the delivery names the code."""
    query = sql.SQL(
        """select count(*) filter (where m.{code} is not null),
                  count(*) filter (where m.{name} is not null),
                  count(*) filter (where exists (
                      select 1 from raw.reference__division as r
                      where trim(r.code) = m.{code} and trim(r.name) = m.{name}))
           from {mart} as m"""
    ).format(
        code=sql.Identifier(code),
        name=sql.Identifier(name),
        mart=sql.Identifier(*mart.split(".")),
    )
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()


@pytest.mark.parametrize(("mart", "code", "name"), PLACES)
def test_every_known_code_shows_its_delivered_name(modelled_city, mart, code, name) -> None:
    coded, named, as_delivered = counts(modelled_city.url, mart, code, name)
    assert coded > 0, f"{mart}.{code} is never filled: nothing to name"
    assert named == as_delivered, f"{mart}.{name}: {named - as_delivered} names not delivered"
    # The simulator names every division it codes (retired villages too).
    assert named == coded, f"{mart}.{name}: {coded - named} of {coded} codes without a name"


@pytest.fixture(scope="module")
def without_divisions(modelled_city) -> str:
    """The modelled warehouse copied, its division delivery emptied, rebuilt from there."""
    modelled = conninfo_to_dict(modelled_city.url)["dbname"]
    with psycopg.connect(with_database(modelled_city.url, "postgres"), autocommit=True) as conn:
        # A template must have no other sessions; the modelled city is idle between tests.
        conn.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity"
            " where datname = %s and pid <> pg_backend_pid()",
            (modelled,),
        )
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(NO_DIVISIONS))
        )
        conn.execute(
            sql.SQL("create database {} template {}").format(
                sql.Identifier(NO_DIVISIONS), sql.Identifier(modelled)
            )
        )
    url = with_database(modelled_city.url, NO_DIVISIONS)
    with psycopg.connect(url) as conn:
        conn.execute("truncate raw.reference__division")
    run_dbt(
        [
            "build",
            "--select",
            "stg_reference__divisions+",
            "--exclude",
            "test_type:unit",
            "--vars",
            json.dumps({"night": str(modelled_city.night)}),
        ],
        url,
        quiet=True,
    )
    return url


@pytest.mark.parametrize(("mart", "code", "name"), PLACES)
def test_without_the_division_table_marts_build_with_codes_only(
    without_divisions, mart, code, name
) -> None:
    coded, named, _ = counts(without_divisions, mart, code, name)
    assert coded > 0, f"{mart} lost its rows without place names"
    assert named == 0, f"{mart}.{name} named {named} codes with no division delivered"


def test_alert_place_name_unit_tests_pass(modelled_city) -> None:
    output = run_dbt(["test", "--select", "test_type:unit,alerts"], modelled_city.url, quiet=True)
    assert "alerts::alerts_show_place_names_beside_codes" in output
