"""The policy seeds dbt reads are the contract encoding's parameters, not a copy that drifts."""

from __future__ import annotations

import pytest

from sunshine.contracts.seeds import SEEDS, SEEDS_DIR


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_committed_seed_equals_the_encoding(name: str) -> None:
    committed = (SEEDS_DIR / name).read_text(encoding="utf-8")
    assert committed == SEEDS[name](), (
        f"dbt_project/seeds/{name} disagrees with sunshine.contracts; "
        "regenerate with: python -m sunshine.contracts.seeds"
    )


def test_every_category_has_a_deadline_and_source_system() -> None:
    rows = SEEDS["policy_categories.csv"]().splitlines()[1:]
    assert len(rows) >= 18
    for row in rows:
        category, _name, _unit, system, days, *_ = row.split(",")
        assert system and int(days) > 0, category
