"""Other producers (issue 12, item 3): `sunshine simulate --variant NAME` writes the same
kind of city through other freedoms of the contracts, and a night still scores.

Fast tests, no warehouse: the registry, the CLI's refusal, determinism per seed and that
each variant really uses its freedoms. The scored night of each producer through Airflow
is tests/simulate/test_variant_nights.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from sunshine.contracts import SYSTEMS
from sunshine.simulate.clock import LOCAL
from sunshine.simulate.drops import WRITERS, write_onecard
from sunshine.simulate.profiles import DirtRates
from sunshine.simulate.programs.bank import SUCCESS
from sunshine.simulate.run import build
from sunshine.simulate.variants import VARIANTS, get_variant
from support import LAST_NIGHT, NIGHTS, SEED, START, run_cli

OTHERS = [name for name in VARIANTS if name != "default"]


def quiet(_line: str) -> None:
    pass


@pytest.fixture(scope="module")
def cities():
    """Each variant's small city in memory (no files, no database)."""
    return {name: build("small", SEED, START, NIGHTS, say=quiet, variant=name) for name in VARIANTS}


def test_the_default_is_one_entry_of_the_registry() -> None:
    assert len(OTHERS) >= 2
    assert get_variant("default").dirt == DirtRates()
    assert not get_variant("default").copied_files
    for name in OTHERS:
        assert get_variant(name).dirt != DirtRates() or get_variant(name).copied_files, name


def test_an_unknown_variant_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_cli("simulate", "--variant", "nosuch", "--out", str(tmp_path), timeout=120)
    assert result.returncode != 0
    assert "unknown variant 'nosuch'; choose one of default, " in result.stdout + result.stderr


@pytest.mark.parametrize("name", OTHERS)
def test_a_variant_is_deterministic_per_seed(cities, name: str) -> None:
    sim, truth = cities[name]
    again, truth_again = build("small", SEED, START, NIGHTS, say=quiet, variant=name)
    assert [(p.ref, p.paid, p.amount) for p in sim.ledger] == [
        (p.ref, p.paid, p.amount) for p in again.ledger
    ]
    assert truth.findings == truth_again.findings and truth.decoys == truth_again.decoys


@pytest.mark.parametrize("name", OTHERS)
def test_a_variant_plants_the_same_kinds_of_cases(cities, name: str) -> None:
    _sim, truth = cities[name]
    _default, default_truth = cities["default"]
    assert set(Counter(f.rule for f in truth.findings)) == set(
        Counter(f.rule for f in default_truth.findings)
    )
    assert set(Counter(f.rule for f in truth.decoys)) == set(
        Counter(f.rule for f in default_truth.decoys)
    )
    # the simulator's own replay of the rules finds what it planted and no look-alike
    assert truth.missed == [] and truth.flagged_decoys == []


def test_messy_uses_the_freedoms_more_often(cities) -> None:
    messy, _ = cities["messy"]
    default, _ = cities["default"]

    def oddities(sim) -> Counter:
        bank = sim.systems["onecard"]
        return Counter(
            {
                "listed twice": sum(r.copies > 1 for r in bank.rows),
                "reversals": sum(r.amount < 0 for r in bank.rows),
                "failed attempts": sum(r.status != SUCCESS for r in bank.rows),
                "unpaid allowance rosters": sum(
                    r.first_unpaid for r in sim.systems["allowance"].rows
                ),
                "unpaid student-aid rosters": sum(
                    r.first_unpaid for r in sim.systems["education"].rows
                ),
            }
        )

    more, fewer = oddities(messy), oddities(default)
    for what in more | fewer:
        assert more[what] > fewer[what], (what, more[what], fewer[what])


def test_copied_files_carry_the_copy_time_and_their_name_the_day(cities, tmp_path: Path) -> None:
    sim, _ = cities["copied"]
    write_onecard(sim, tmp_path)
    copied = dt.datetime.combine(LAST_NIGHT + dt.timedelta(days=1), dt.time(9), LOCAL)
    transport = SYSTEMS["onecard"].transport
    firsts = [p for p in tmp_path.glob("onecard_*.csv") if transport.file_version(p.name) == 1]
    assert firsts
    for path in firsts:
        assert dt.datetime.fromtimestamp(path.stat().st_mtime, LOCAL) == copied, path.name
    # the default stamps each file with its delivery evening: before the copy
    default, _ = cities["default"]
    (tmp_path / "default").mkdir()
    write_onecard(default, tmp_path / "default")
    for path in (tmp_path / "default").glob("onecard_*.csv"):
        assert dt.datetime.fromtimestamp(path.stat().st_mtime, LOCAL) < copied, path.name


@pytest.mark.parametrize("system", ["allowance", "collective", "education"])
def test_copied_month_and_term_files_carry_the_copy_time_their_corrections_their_own(
    cities, tmp_path: Path, system: str
) -> None:
    sim, _ = cities["copied"]
    WRITERS[system](sim, tmp_path)
    copied = dt.datetime.combine(LAST_NIGHT + dt.timedelta(days=1), dt.time(9), LOCAL)
    transport = SYSTEMS[system].transport
    files = [p for p in tmp_path.iterdir() if transport.parse_file_name(p.name)]
    firsts = [p for p in files if transport.file_version(p.name) == 1]
    assert firsts, system
    for path in files:
        stamped = dt.datetime.fromtimestamp(path.stat().st_mtime, LOCAL)
        if transport.file_version(path.name) == 1:
            assert stamped == copied, path.name
        else:
            assert stamped < copied, path.name  # a _vN keeps its delivery time


def test_messy_writes_the_example_codes_in_other_shapes(cities) -> None:
    """Codes the contracts show only by example: another shape, the same order."""
    messy, messy_truth = cities["messy"]
    default, _ = cities["default"]

    def codes(sim) -> dict[str, list[str]]:
        treasury = sim.systems["treasury"]
        return {
            "batch_no": sorted({r.batch for r in sim.systems["onecard"].rows}),
            "voucher_no": sorted(v.voucher_no for v in treasury.vouchers),
            "indicator_id": sorted(i.indicator_id for i in treasury.indicators),
        }

    shapes = {"batch_no": "YKT", "voucher_no": "PV", "indicator_id": "ZB"}
    for column, codes_default in codes(default).items():
        assert all(c.startswith(shapes[column]) for c in codes_default), column
        codes_messy = codes(messy)[column]
        assert codes_messy and not any(c.startswith(shapes[column]) for c in codes_messy), column
        assert {len(c) for c in codes_messy}.isdisjoint({len(c) for c in codes_default}), column
    # the planted cases name the new shapes too: the truth follows its producer
    keys = {f.subject_key for f in messy_truth.findings if f.subject_type == "voucher"}
    assert keys and not any(k.startswith("PV") for k in keys)
