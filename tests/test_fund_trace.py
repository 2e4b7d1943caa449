"""The money chain on the small simulated city: indicator -> voucher -> payment.

The city's last night is extracted through Airflow into a database of its own and the
trace models are built by dbt; the simulator, rebuilt in memory from the same seed, is
the independent side: its money ledger, its indicators, its truth file, and the first
issued first consumed queue of truth.py replayed here over its ledger.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.dbt import run_dbt
from sunshine.simulate.run import build
from support import LAST_NIGHT, NIGHTS, SEED, START, run_cli

pytestmark = pytest.mark.slow

MODELS = "+fund_trace +disbursement_delays +int_rule_t01__indicators_undisbursed"


@pytest.fixture(scope="module")
def traced(small_city) -> str:
    """The small city's last night, extracted and traced in database sunshine_fund_trace."""
    with psycopg.connect(small_city.warehouse_url, autocommit=True) as conn:
        conn.execute("drop database if exists sunshine_fund_trace with (force)")
        conn.execute("create database sunshine_fund_trace")
    url = with_database(small_city.warehouse_url, "sunshine_fund_trace")
    result = run_cli(
        "nightly",
        "--extract-only",
        "--date",
        str(LAST_NIGHT),
        "--sources",
        str(small_city.out / "sources.yaml"),
        env={"SUNSHINE_WAREHOUSE_URL": url},
    )
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    run_dbt(
        [
            "build",
            "--select",
            *MODELS.split(),
            "--indirect-selection",
            "cautious",
            # unit tests are run below, once every relation they read exists
            "--exclude",
            "test_type:unit",
            "--vars",
            json.dumps({"night": str(LAST_NIGHT)}),
        ],
        url,
        quiet=True,
    )
    return url


@pytest.fixture(scope="module")
def sim():
    """The same city in memory: ledger, indicators and vouchers as the simulator made them."""
    city, _truth = build("small", SEED, START, NIGHTS, say=lambda _line: None)
    return city


def fetch(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def fen(amount: Decimal) -> int:
    return int(amount * 100)


def test_trace_unit_tests_pass(traced: str) -> None:
    """FIFO, balance, completion and delay boundaries on their hand-made cases."""
    mine = [
        f"test_type:unit,{selector}"
        for selector in (
            "path:models/intermediate/trace",
            "path:models/marts/trace",
            "int_rule_t01__indicators_undisbursed",
        )
    ]
    output = run_dbt(["test", "--select", *mine], traced, quiet=True)
    for clause in (
        "fifo_spans_indicators",
        "fifo_never_draws_on_an_indicator_issued_after_the_payment",
        "fifo_draws_only_what_the_indicators_own_vouchers_left",
        "fifo_january_spending_completes_last_years_indicator",
        "fifo_nothing_left_is_unlinked_and_later_money_still_links",
        "fifo_collective_expense_lines_draw_on_the_collectives_indicator",
    ):
        assert f"int_benefit_payments_allocated::{clause}" in output
    assert "int_budget_indicators_disbursed::indicator_never_completes_before_it" in output
    assert "fund_trace::fund_trace_rows_balance" in output
    assert "t01_raises_open_late_indicators_only" in output


def test_every_yuan_paid_out_is_on_a_trace_row(traced: str, sim) -> None:
    """Disbursed money on indicator rows plus unlinked rows = the simulator's ledger."""
    rows = fetch(
        traced,
        "select fund_line_code, row_type, sum(disbursed_amount) from marts.fund_trace "
        "group by fund_line_code, row_type",
    )
    on_indicators = sum(fen(a) for _line, kind, a in rows if kind == "indicator")
    unlinked = sum(fen(a) for _line, kind, a in rows if kind == "unlinked")
    ledger: dict[str, int] = defaultdict(int)
    for p in sim.ledger:
        ledger[p.fund_line.code] += p.amount
    assert on_indicators > 0 and unlinked > 0
    assert on_indicators + unlinked == sum(ledger.values())
    # Per fund line too; money on a voucher citing an unknown indicator has no line in
    # the warehouse (the line is read from the indicator), and only that may move.
    traced_by_line: dict[str | None, int] = defaultdict(int)
    for line, _kind, amount in rows:
        traced_by_line[line] += fen(amount)
    lineless = traced_by_line.pop(None, 0)
    short = {line: ledger[line] - traced_by_line.get(line, 0) for line in ledger}
    assert all(gap >= 0 for gap in short.values()), short
    assert sum(short.values()) == lineless


def test_every_row_balances_and_budgets_are_the_leaves(traced: str, sim) -> None:
    unbalanced = fetch(
        traced,
        "select trace_key from marts.fund_trace where budgeted_amount <> disbursed_amount"
        " + failed_amount + returned_amount + undisbursed_amount + unlinked_amount"
        " or undisbursed_amount < 0 or unlinked_amount > 0 or failed_amount < 0"
        " or returned_amount < 0",
    )
    assert unbalanced == []
    budgets = {
        key: fen(amount)
        for key, amount in fetch(
            traced,
            "select indicator_id, budgeted_amount from marts.fund_trace"
            " where row_type = 'indicator'",
        )
    }
    leaves = {
        i.indicator_id: i.amount
        for i in sim.systems["treasury"].indicators
        if not i.children and i.status != "withdrawn"
    }
    assert budgets == leaves


def truth_rows(out: Path, rule: str) -> list[dict[str, str]]:
    with (out / "truth.csv").open(encoding="utf-8") as handle:
        return [
            r for r in csv.DictReader(handle) if r["rule_code"] == rule and r["is_decoy"] == "false"
        ]


def test_t01_finds_exactly_the_truth(traced: str, small_city) -> None:
    truth = truth_rows(small_city.out, "T01")
    open_ = {
        (r["subject_key"], r["period"], r["fund_line_code"], r["amount_at_risk"])
        for r in truth
        if not r["note"].startswith("resolved:")
    }
    found = {
        (key, period, line, f"{amount:.2f}")
        for key, period, line, amount in fetch(
            traced,
            "select subject_key, period, fund_line_code, amount_at_risk"
            " from intermediate.int_rule_t01__indicators_undisbursed",
        )
    }
    assert open_, "the small city plants T01 cases"
    assert found == open_
    resolved = {r["subject_key"] for r in truth if r["note"].startswith("resolved:")}
    kept = {
        key
        for (key,) in fetch(
            traced,
            "select subject_key from marts.disbursement_delays"
            " where subject_type = 'indicator' and is_resolved",
        )
    }
    assert kept == resolved


def reference_fifo(sim) -> tuple[dict[tuple[str, dt.date], int], dict[str, int]]:
    """The contract's queue, replayed: fen per (indicator, pay date), and fen left per line.

    A payment citing no voucher draws on its fund line's leaves of its district issued
    on or before its date (any fiscal year), oldest first, each up to what the payments
    through its own vouchers left; the rest is unlinked.
    """
    used: dict[str, int] = defaultdict(int)
    for v in sim.systems["treasury"].vouchers:
        if v.indicator is None or v.unknown_indicator is not None or v.status != "paid":
            continue
        if v.payee_type == "enterprise":
            used[v.indicator.indicator_id] += v.amount
    for p in sim.ledger:
        voucher = p.funding.voucher if p.funding is not None else None
        if (
            voucher is not None
            and voucher.payee_type in ("onecard_account", "town_finance")
            and voucher.status == "paid"
            and voucher.indicator is not None
            and voucher.unknown_indicator is None
        ):
            used[voucher.indicator.indicator_id] += p.amount
    leaves: dict[tuple[str, str], list] = defaultdict(list)
    for i in sim.systems["treasury"].indicators:
        if not i.children and i.status != "withdrawn":
            leaves[(i.fund_line.code, i.fund_line.district.code)].append(i)
    pools: dict[tuple[str, str], list] = defaultdict(list)
    for p in sim.ledger:
        if p.funding is None and p.system != "treasury":
            district = p.village[:6] if p.village else p.fund_line.district.code
            pools[(p.fund_line.code, district)].append(p)
    taken: dict[tuple[str, dt.date], int] = defaultdict(int)
    beyond: dict[str, int] = defaultdict(int)
    for pool, paid in pools.items():
        queue = sorted(leaves.get(pool, []), key=lambda i: (i.issued, i.indicator_id))
        room = {i.indicator_id: max(0, i.amount - used[i.indicator_id]) for i in queue}
        n = 0
        for p in sorted(paid, key=lambda p: (p.paid, p.ref)):
            amount = p.amount
            while amount > 0 and n < len(queue) and queue[n].issued <= p.paid:
                leaf = queue[n].indicator_id
                take = min(amount, room[leaf])
                taken[(leaf, p.paid)] += take
                amount, room[leaf] = amount - take, room[leaf] - take
                if room[leaf] <= 0:
                    n += 1
            beyond[pool[0]] += max(amount, 0)
    return {k: v for k, v in taken.items() if v}, {k: v for k, v in beyond.items() if v}


def test_first_in_first_out_matches_the_simulator(traced: str, sim) -> None:
    taken, beyond = reference_fifo(sim)
    mine = {
        (indicator, day): fen(amount)
        for indicator, day, amount in fetch(
            traced,
            "select indicator_id, paid_date, sum(amount)"
            " from intermediate.int_benefit_payments_allocated"
            " where indicator_id is not null group by indicator_id, paid_date",
        )
    }
    mine_beyond = {
        line: fen(amount)
        for line, amount in fetch(
            traced,
            "select fund_line_code, sum(amount) from intermediate.int_benefit_payments_allocated"
            " where indicator_id is null group by fund_line_code",
        )
    }
    assert len(taken) > 100, "the small city traces many payments without a voucher"
    assert mine == taken
    assert mine_beyond == beyond
