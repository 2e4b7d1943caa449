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
from sunshine.simulate.clock import DAY, LOCAL
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


# ------------------------------------------------------------------ the trace's freedoms


def _voucherless_lines(sim) -> set[str]:
    return {p.fund_line.code for p in sim.ledger if p.funding is None and p.system != "treasury"}


def test_messy_pays_batches_before_the_treasury_went_live(cities) -> None:
    """Empty 支付凭证号 (onecard.yaml: "batches funded before the treasury system went
    live"): only in a district whose every voucher and leaf indicator is younger."""
    messy, _ = cities["messy"]
    default, _ = cities["default"]
    assert all(r.voucher_no for r in default.systems["onecard"].rows)
    empty = [r for r in messy.systems["onecard"].rows if not r.voucher_no]
    assert len(empty) > 20
    districts = {r.village.district.code for r in empty}
    assert len(districts) == 1
    treasury = messy.systems["treasury"]
    (district,) = districts
    first_voucher = min(
        v.voucher_date for v in treasury.vouchers if v.fund_line.district.code == district
    )
    first_leaf = min(
        i.issued
        for i in treasury.indicators
        if i.level == "district" and i.fund_line.district.code == district
    )
    assert max(r.day for r in empty) < min(first_voucher, first_leaf)
    # the other districts' treasuries were there from the start
    others = [v.voucher_date for v in treasury.vouchers if v.fund_line.district.code != district]
    assert min(others) < min(r.day for r in empty)
    # and the ledger traces those payments by fund line (they draw on no leaf: unlinked)
    cited = {id(p.funding) for p in messy.ledger if p.funding is not None}
    assert not any(id(r.funding) in cited for r in empty)


def _month_leaves(sim) -> dict[tuple[str, str], object]:
    """(fund line, period) -> the leaf of a voucher-less line for that month."""
    lines = _voucherless_lines(sim)
    return {
        (i.fund_line.code, i.label.split("-")[0]): i
        for i in sim.systems["treasury"].indicators
        if i.level == "district"
        and i.fund_line.code in lines
        and i.label[:6].isdigit()
        and i.status != "withdrawn"  # a leaf entered twice by mistake
    }


def test_messy_issues_some_leaves_after_payments_of_their_month(cities) -> None:
    """A leaf issued after some of its line's payments: those payments cannot draw on it."""

    def early(sim) -> list:
        leaves = _month_leaves(sim)
        out = []
        for p in sim.ledger:
            leaf = leaves.get((p.fund_line.code, f"{p.paid:%Y%m}"))
            if p.funding is None and leaf is not None and p.paid < leaf.issued:
                out.append((p, leaf))
        return out

    messy, messy_truth = cities["messy"]
    default, _ = cities["default"]
    assert early(default) == []
    found = early(messy)
    assert len({id(leaf) for _p, leaf in found}) >= 5
    # the leaf holds only what was paid from its issue day on, so it is disbursed in
    # full and no T01 is expected of it
    t01 = {f.subject_key for f in messy_truth.findings if f.rule == "T01"}
    assert not {leaf.indicator_id for _p, leaf in found} & t01


def test_messy_spends_january_on_last_years_leaves(cities) -> None:
    """January payments whose oldest leaf with money left is December's, of the year
    before (no fiscal-year pool): the trace must let them complete it in time."""

    def last_year(sim) -> list:
        first = sim.timeline.first_day
        return [
            i
            for i in sim.systems["treasury"].indicators
            if i.level == "district" and i.year < first.year and i.status != "withdrawn"
        ]

    messy, messy_truth = cities["messy"]
    default, _ = cities["default"]
    assert last_year(default) == []
    leaves = last_year(messy)
    assert len(leaves) >= 2
    year = messy.timeline.first_day.year
    t01 = {f.subject_key for f in messy_truth.findings if f.rule == "T01"}
    for leaf in leaves:
        assert leaf.issued.month == 12 and leaf.issued.year == year - 1
        january = [
            p
            for p in messy.ledger
            if p.fund_line is leaf.fund_line
            and p.funding is None
            and p.paid.year == year
            and p.paid.month == 1
        ]
        # its line's January money covers it and more: January's own leaf holds the rest
        assert sum(p.amount for p in january) > leaf.amount, leaf.indicator_id
        own = _month_leaves(messy)[(leaf.fund_line.code, f"{year}01")]
        assert own.amount + leaf.amount == sum(p.amount for p in january)
        assert leaf.indicator_id not in t01


def test_messy_leaves_optional_fields_of_the_village_books_empty(cities) -> None:
    """收款方证件号 "may be empty"; 资金项目编码 is empty for the village's own aid."""

    def books(sim) -> Counter:
        entries = sim.systems["collective"].entries
        return Counter(
            {
                "paid to a person, no number": sum(
                    e.subject in ("劳务费", "补助支出") and not e.payee_key for e in entries
                ),
                "aid without a fund line": sum(
                    e.subject == "补助支出" and e.fund_line is None for e in entries
                ),
                "aid from the fund line": sum(
                    e.subject == "补助支出" and e.fund_line is not None for e in entries
                ),
            }
        )

    messy, default = books(cities["messy"][0]), books(cities["default"][0])
    assert default["paid to a person, no number"] == 0
    assert messy["paid to a person, no number"] > 20
    share = messy["aid without a fund line"] / (
        messy["aid without a fund line"] + messy["aid from the fund line"]
    )
    default_share = default["aid without a fund line"] / (
        default["aid without a fund line"] + default["aid from the fund line"]
    )
    assert share > default_share + 0.15
    # every collective payment of the ledger still names its payee
    assert all(p.payee_key for p in cities["messy"][0].ledger if p.system == "collective")


def test_the_truth_gives_back_what_a_reversed_voucherless_payment_drew(cities) -> None:
    """Payments before go-live may be reversed: the truth replays the model's take-back
    (the k-th reversal of an amount undoes the k-th payment of it, if paid no later)."""
    from collections import defaultdict

    from sunshine.simulate.ledger import Payment
    from sunshine.simulate.truth import _take_back

    sim, _ = cities["default"]
    line = next(fl for fl in sim.funds.lines if fl.kind == "pension_basic")
    day = dt.date(2026, 3, 10)

    def pay(person: str, amount: int, on: dt.date, ref: str) -> Payment:
        return Payment("pension", line, person, None, None, "202603", amount, on, ref=ref)

    first, back = pay("A", 500, day, "a1"), pay("A", -500, day + DAY, "a2")
    again = pay("A", 500, day + 2 * DAY, "a3")
    early_back, late = pay("B", -300, day, "b1"), pay("B", 300, day + DAY, "b2")
    pools = {(line.code, line.district.code): [first, back, again, early_back, late]}
    slices = {id(first): [(1, 200), (2, 300)], id(late): [(1, 300)], id(again): [(2, 500)]}
    events: dict[int, list] = defaultdict(list)
    _take_back(pools, slices, events)
    # A's reversal gives back what its first payment drew; B's, older than B's payment,
    # undoes nothing
    assert dict(events) == {1: [(day + DAY, -200)], 2: [(day + DAY, -300)]}
