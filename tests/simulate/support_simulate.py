"""The small city the simulator's tests share: its seed and dates, and how to build it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sunshine.simulate import SimulationSummary, simulate

SEED = 20261103
START = dt.date(2026, 11, 3)
NIGHTS = 3


def run_small(out: Path, warehouse_url: str, seed: int = SEED) -> SimulationSummary:
    return simulate("small", seed, START, NIGHTS, out, warehouse_url, say=lambda _line: None)
