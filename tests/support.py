"""Helpers the tests share: the night they run, the real CLI, the small simulated city."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sunshine.simulate import SimulationSummary, simulate

NIGHT = "2026-11-03"


def run_cli(
    *args: str, timeout: int = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `sunshine` command, as a user runs it, in this session's environment
    (plus `env`)."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "sunshine"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


# The small city every simulated test shares: one seed, three nights.
SEED = 20261103
START = dt.date(2026, 11, 3)
NIGHTS = 3
LAST_NIGHT = START + dt.timedelta(days=NIGHTS - 1)  # every delivery is in: the truth applies


def run_small(out: Path, warehouse_url: str, seed: int = SEED) -> SimulationSummary:
    return simulate("small", seed, START, NIGHTS, out, warehouse_url, say=lambda _line: None)
