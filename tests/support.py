"""Helpers the tests share: the night they run, the real CLI, the small simulated city."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sunshine.simulate import SimulationSummary, simulate

NIGHT = "2026-11-03"


def run_cli(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """The real `sunshine` command, as a user runs it, in this session's environment."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "sunshine"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


# The small city every simulated test shares: one seed, three nights.
SEED = 20261103
START = dt.date(2026, 11, 3)
NIGHTS = 3


def run_small(out: Path, warehouse_url: str, seed: int = SEED) -> SimulationSummary:
    return simulate("small", seed, START, NIGHTS, out, warehouse_url, say=lambda _line: None)
