"""Helpers the tests share: the night they run and the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
