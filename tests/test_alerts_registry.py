"""The rule registry, its page and the finding keys agree with rules.md and truth.py."""

from __future__ import annotations

import csv
import re

from sunshine.alerts import registry, score
from sunshine.paths import DBT_PROJECT_DIR
from sunshine.simulate import truth

RULES_MD_CODES = {
    *(f"T0{n}" for n in range(1, 5)),
    *(f"E0{n}" for n in range(1, 9)),
    *(f"D0{n}" for n in range(1, 6)),
    "S01",
    *(f"C0{n}" for n in range(1, 4)),
    *(f"B0{n}" for n in range(1, 5)),
    "K01",
    "K02",
    "X01",
}


def macro_codes(kind: str) -> set[str]:
    """The codes a list of macros/finding_key_shapes.sql holds."""
    text = (DBT_PROJECT_DIR / "macros" / "finding_key_shapes.sql").read_text(encoding="utf-8")
    block = re.search(rf"set {kind} = \[(.*?)\]", text, re.S)
    assert block is not None
    return set(re.findall(r"'([A-Z][0-9]{2})'", block.group(1)))


def test_registry_lists_every_rule_once() -> None:
    rows = registry.read_csv("rule_registry.csv")
    codes = [r["rule_code"] for r in rows]
    assert len(codes) == len(set(codes)) == 28
    assert set(codes) == RULES_MD_CODES
    assert {r["rule_group"] for r in rows} == set(registry.GROUPS)
    assert all(r["name_zh"] and r["name_en"] and r["checks"] for r in rows)


def test_finding_key_shapes_follow_truth_key_of() -> None:
    period = macro_codes("period_rules")
    other = macro_codes("other_rules")
    assert period == set(truth.PERIOD_RULES) == set(score.PERIOD_RULES)
    assert period | other | {"X01"} == RULES_MD_CODES
    assert not period & other


def test_rule_parameters_hold_the_numbers_rules_md_gives() -> None:
    with (registry.SEEDS / "rule_parameters.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    values = {(r["rule_code"], r["parameter"]): float(r["value"]) for r in rows}
    assert values[("T03", "reissue_within_days")] == 30
    assert values[("K02", "min_expenses")] == 3
    assert values[("K02", "window_days")] == 30
    assert values[("K02", "each_below_yuan")] == values[("K02", "total_above_yuan")] == 10000
    assert values[("D03", "min_households")] == 3
    assert values[("X01", "iqr_factor")] == 1.5
    assert values[("X01", "min_villages")] == 8


def test_docs_page_is_generated_from_the_seeds() -> None:
    assert registry.DOC.read_text(encoding="utf-8") == registry.render(), (
        "docs/alert_rules.md is stale: python -m sunshine.alerts.registry"
    )
