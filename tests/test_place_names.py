"""Place names beside codes: the marts people read name the village, town and district.

The small city's night, modelled once (the session's `modelled_city`), is checked against
the reference base's own delivery (raw.reference__division, as landed); then copies of
that warehouse are rebuilt from staging on with a division delivery that is empty (as an
extract leaves it when the source has no such table) or partial (codes missing, names
blank, rows listed twice): the marts keep every row, a code the delivery does not name
shows a null name, and no name is made up.
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
    ("marts.alerts", "town_code", "town_name"),
    ("marts.village_summary", "town_code", "town_name"),
    ("marts.disbursement_delays", "district_code", "district_name"),
    ("marts.disbursement_delays", "town_code", "town_name"),
    ("marts.fund_trace", "district_code", "district_name"),
    ("marts.fund_line_budgets", "district_code", "district_name"),
    ("marts_masked.alerts", "village_code", "village_name"),
    ("marts_masked.alerts", "town_code", "town_name"),
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


# How each copy's division delivery is spoilt before the rebuild.
DELIVERIES = {
    # the source has no division table: the extract lands nothing
    "empty": ["truncate raw.reference__division"],
    # a base that knows only some codes: half the codes gone, a third of the rest with a
    # blank name, and a few rows listed twice (the contracts allow all three)
    "partial": [
        "delete from raw.reference__division where abs(hashtext(trim(code))) % 2 = 0",
        "update raw.reference__division set name = '  '"
        " where abs(hashtext(trim(code) || 'blank')) % 3 = 0",
        "insert into raw.reference__division"
        " select * from raw.reference__division order by code limit 20",
    ],
}


def row_count(url: str, mart: str) -> int:
    query = sql.SQL("select count(*) from {}").format(sql.Identifier(*mart.split(".")))
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


@pytest.fixture(scope="module", params=sorted(DELIVERIES))
def spoilt_divisions(request, modelled_city) -> tuple[str, str]:
    """The modelled warehouse copied, its division delivery spoilt, rebuilt from there."""
    delivery = request.param
    database = f"{NO_DIVISIONS}_{delivery}"
    modelled = conninfo_to_dict(modelled_city.url)["dbname"]
    with psycopg.connect(with_database(modelled_city.url, "postgres"), autocommit=True) as conn:
        # A template must have no other sessions; the modelled city is idle between tests.
        conn.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity"
            " where datname = %s and pid <> pg_backend_pid()",
            (modelled,),
        )
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database))
        )
        conn.execute(
            sql.SQL("create database {} template {}").format(
                sql.Identifier(database), sql.Identifier(modelled)
            )
        )
    url = with_database(modelled_city.url, database)
    with psycopg.connect(url) as conn:
        for statement in DELIVERIES[delivery]:
            conn.execute(statement)
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
    yield delivery, url
    with psycopg.connect(with_database(modelled_city.url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database))
        )


@pytest.mark.parametrize(("mart", "code", "name"), PLACES)
def test_an_empty_or_partial_division_table_keeps_every_row_and_names_only_known_codes(
    modelled_city, spoilt_divisions, mart, code, name
) -> None:
    delivery, url = spoilt_divisions
    # a missing name never drops a row nor a join on names duplicates one
    assert row_count(url, mart) == row_count(modelled_city.url, mart), (
        f"{mart}: rows changed with the {delivery} division delivery"
    )
    coded, named, as_delivered = counts(url, mart, code, name)
    assert coded > 0, f"{mart} lost its codes with the {delivery} division delivery"
    assert named == as_delivered, f"{mart}.{name}: {named - as_delivered} names not delivered"
    if delivery == "empty":
        assert named == 0, f"{mart}.{name} named {named} codes with no division delivered"
    else:
        # some codes are still named, the rest read as codes only
        assert 0 < named < coded, f"{mart}.{name}: {named} of {coded} codes named"


def test_alert_place_name_unit_tests_pass(modelled_city) -> None:
    output = run_dbt(["test", "--select", "test_type:unit,alerts"], modelled_city.url, quiet=True)
    assert "alerts::alerts_show_place_names_beside_codes" in output


def test_budget_place_name_unit_test_passes(modelled_city) -> None:
    output = run_dbt(
        ["test", "--select", "test_type:unit,fund_line_budgets", "test_type:unit,fund_trace"],
        modelled_city.url,
        quiet=True,
    )
    assert "fund_line_budgets::budgets_count_leaves_and_keep_withdrawn_apart" in output


def test_the_heat_map_names_every_town_the_delivery_names(modelled_city) -> None:
    """Towns with alerts and no payment row too: their names come from the alerts."""
    from sunshine.superset.assets.datasets import TOWN_ACTIVITY

    query = f"""
        select town_code, town_label, alerts, payments from ({TOWN_ACTIVITY.sql}) as t
        where town_code is not null"""
    with psycopg.connect(modelled_city.url) as conn:
        rows = conn.execute(query).fetchall()
        named = dict(
            conn.execute(
                "select trim(code), max(trim(name)) from raw.reference__division "
                "where nullif(trim(name), '') is not null group by 1"
            ).fetchall()
        )
    assert rows and any(alerts and not payments for _, _, alerts, payments in rows)
    unnamed = [(code, label) for code, label, *_ in rows if code in named and label == code]
    assert unnamed == []
    assert all(label.endswith(f" {code}") for code, label, *_ in rows if code in named)
