"""一户一档: a planted household's ledger in the mart is the simulator's record of it.

The simulator keeps its own money ledger (every payment as a careful reader of the
sources would count it). For households that carry planted findings, the mart's
successful rows must be exactly the simulator's payments to their members, household
benefits filed under the head, to the fen.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import psycopg
import pytest

from sunshine.simulate.run import build
from support import NIGHTS, SEED, START

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def simulated():
    sim, _truth = build("small", SEED, START, NIGHTS, say=lambda _line: None)
    return sim


def household_of(sim, pid: int) -> str:
    return sim.pop.households[sim.pop.persons[pid].household].number


def simulator_ledger(sim) -> dict[str, Counter]:
    """Per register household: (period, system, fund line, yuan) -> count."""
    cases = {c.case_id: c for c in sim.systems["dibao"].cases}
    monitored = {h.household_id: h for h in sim.systems["poverty"].households}
    out: dict[str, Counter] = {}
    for p in sim.ledger:
        if p.person and p.person in sim.pop.by_id:
            pid = sim.pop.by_id[p.person]
        elif p.household in cases:
            pid = cases[p.household].members[0].pid
        elif p.household in monitored:
            pid = monitored[p.household].members[0][0]
        else:
            continue  # enterprises and unknown numbers belong to no household
        key = (p.period, p.system, p.fund_line.code, Decimal(p.amount) / 100)
        out.setdefault(household_of(sim, pid), Counter())[key] += 1
    return out


def planted_households(sim, truth_csv) -> set[str]:
    cases = {c.case_id: c for c in sim.systems["dibao"].cases}
    found = set()
    with open(truth_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = row["subject_key"]
            if row["subject_type"] == "person" and key in sim.pop.by_id:
                found.add(household_of(sim, sim.pop.by_id[key]))
            elif row["subject_type"] == "household" and key in cases:
                found.add(household_of(sim, cases[key].members[0].pid))
    return found


def mart_ledger(url: str, household: str) -> Counter:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select period, source_system, fund_line_code, amount from marts.household_ledger"
            " where household_no = %s and status = 'success'",
            (household,),
        ).fetchall()
    return Counter(rows)


def test_planted_households_match_the_simulator(modelled_city, simulated) -> None:
    expected = simulator_ledger(simulated)
    households = sorted(planted_households(simulated, modelled_city.out / "truth.csv"))
    assert len(households) >= 20, "the truth file should name many planted households"
    mismatched = {}
    for household in households:
        got, want = mart_ledger(modelled_city.url, household), expected.get(household, Counter())
        if got != want:
            mismatched[household] = {"missing": want - got, "extra": got - want}
    assert not mismatched, f"{len(mismatched)} of {len(households)} differ: {mismatched}"


def test_every_household_payment_of_the_simulator_is_in_the_mart(modelled_city, simulated):
    expected = simulator_ledger(simulated)
    with psycopg.connect(modelled_city.url) as conn:
        got = dict(
            conn.execute(
                "select household_no, sum(amount) from marts.household_ledger"
                " where status = 'success' group by household_no"
            ).fetchall()
        )
    want = {h: sum(k[3] * n for k, n in c.items()) for h, c in expected.items()}
    differ = {
        h: (want.get(h), got.get(h)) for h in set(want) | set(got) if want.get(h) != got.get(h)
    }
    assert not differ, (
        f"{len(differ)} households differ (simulator, mart): {list(differ.items())[:5]}"
    )
