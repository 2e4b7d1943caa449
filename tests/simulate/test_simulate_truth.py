"""truth.csv: every rule of rules.md planted, look-alikes where a rule has exclusions,
at the rates of a real city, and consistent with what the simulator meant to plant."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.paths import PROJECT_ROOT
from sunshine.simulate.identity import normalize_id

RULES = (
    "T01 T02 T03 T04 E01 E02 E03 E04 E05 E06 E07 E08 D01 D02 D03 D04 D05 S01 "
    "C01 C02 C03 B01 B02 B03 B04 K01 K02 X01"
).split()
# Rules whose definition in rules.md excludes something that looks alike (a month, an
# age, a term, a deadline, a count, a status...): each needs a look-alike in the truth.
WITH_EXCLUSIONS = set(RULES) - {"C03"}
SUBJECT_TYPES = {
    "person",
    "household",
    "account",
    "indicator",
    "voucher",
    "village",
    "enterprise",
    "collective_entry",
}


@pytest.fixture(scope="module")
def truth(small_city) -> list[dict[str, str]]:
    with (small_city.out / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_truth_has_the_contract_columns(small_city) -> None:
    header = (small_city.out / "truth.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "rule_code,subject_type,subject_key,period,fund_line_code,amount_at_risk,is_decoy,note"
    )


def test_rules_match_rules_md() -> None:
    rules_md = PROJECT_ROOT.parent / "shared" / "rules.md"
    if not rules_md.exists():
        pytest.skip("no shared rules.md")
    found = re.findall(r"\*\*([A-Z]\d\d) ", rules_md.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(RULES)


def test_every_rule_is_planted_and_every_exclusion_has_a_look_alike(truth) -> None:
    planted = Counter(r["rule_code"] for r in truth if r["is_decoy"] == "false")
    decoys = Counter(r["rule_code"] for r in truth if r["is_decoy"] == "true")
    assert set(planted) == set(RULES), set(RULES) ^ set(planted)
    missing = WITH_EXCLUSIONS - set(decoys)
    assert not missing, f"no look-alike for {sorted(missing)}"


def test_rows_are_well_formed(truth) -> None:
    for r in truth:
        assert r["subject_type"] in SUBJECT_TYPES, r
        assert r["is_decoy"] in ("true", "false")
        assert re.fullmatch(r"-?\d+\.\d{2}", r["amount_at_risk"]), r
        assert r["period"] == "" or re.fullmatch(r"\d{4}(\d{2})?", r["period"]), r
        if r["subject_type"] == "person":
            assert (
                normalize_id(r["subject_key"]) == r["subject_key"] and len(r["subject_key"]) == 18
            )
        if r["subject_type"] == "collective_entry":
            assert re.fullmatch(r"\d{12}/\S+", r["subject_key"]), r
        if r["is_decoy"] == "false" and r["rule_code"] not in ("T01",):
            assert float(r["amount_at_risk"]) > 0, r
    keys = [
        (
            r["rule_code"],
            r["subject_type"],
            r["subject_key"],
            r["period"],
            r["fund_line_code"],
            r["is_decoy"],
        )
        for r in truth
    ]
    assert len(keys) == len(set(keys)), "duplicate truth rows"


def test_what_was_planted_is_found_and_nothing_else(small_city) -> None:
    summary = small_city.summary
    assert summary.problems == [], summary.problems
    assert set(summary.unplanned) <= {"X01"}, summary.unplanned
    assert sum(summary.unplanned.values()) <= 2


def test_planted_people_are_a_few_per_thousand_beneficiaries(small_city, truth) -> None:
    people = {
        r["subject_key"]
        for r in truth
        if r["is_decoy"] == "false" and r["subject_type"] == "person"
    }
    url = small_city.warehouse_url
    with psycopg.connect(with_database(url, "src_pension")) as conn:
        pensioners = conn.execute(
            "select count(distinct person_no) from pension.benefit_payment"
        ).fetchone()[0]
    beneficiaries = pensioners  # allowance recipients are mostly pensioners already
    onecard = set()
    for path in Path(small_city.out / "drops" / "onecard").glob("*.csv"):
        rows = list(csv.reader(path.read_text(encoding="gbk").splitlines()))
        onecard |= {normalize_id(r[3]) for r in rows[1:]}
    beneficiaries += len(onecard)
    rate = 1000 * len(people) / beneficiaries
    # A city inspection finds a few per thousand; the small city carries at least one
    # case of every rule, so it runs higher.
    assert 1 <= rate <= 25, f"{len(people)} planted people among {beneficiaries} beneficiaries"
    per_rule = Counter(r["rule_code"] for r in truth if r["is_decoy"] == "false")
    assert max(per_rule.values()) <= max(20, beneficiaries // 100), per_rule


def test_money_findings_name_real_indicators_and_vouchers(small_city, truth) -> None:
    url = small_city.warehouse_url
    with psycopg.connect(with_database(url, "src_budget")) as conn:
        indicators = {
            r[0] for r in conn.execute("select indicator_id from budget.budget_indicator")
        }
    with psycopg.connect(with_database(url, "src_treasury")) as conn:
        vouchers = {r[0] for r in conn.execute("select voucher_no from treasury.payment_voucher")}
    for r in truth:
        if r["subject_type"] == "indicator":
            assert r["subject_key"] in indicators, r
        if r["subject_type"] == "voucher" and "never issued" not in r["note"]:
            assert r["subject_key"] in vouchers, r
