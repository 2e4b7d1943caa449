"""One small simulated city for the simulator's tests, built once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from support_simulate import run_small

from sunshine.simulate import SimulationSummary


@dataclass(frozen=True)
class SmallCity:
    out: Path
    summary: SimulationSummary
    warehouse_url: str


@pytest.fixture(scope="session")
def small_city(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> SmallCity:
    out = tmp_path_factory.mktemp("small_city")
    return SmallCity(out, run_small(out, warehouse_url), warehouse_url)
