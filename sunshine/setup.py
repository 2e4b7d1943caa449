"""Everything a fresh clone needs before its first night, made idempotent and timed."""

from __future__ import annotations

import time
from collections.abc import Callable


def set_up(say: Callable[[str], None] = print, environments_only: bool = False) -> None:
    """Environments first; then, unless told otherwise, the local state they run on."""
    from sunshine.orchestrate.runner import ensure_metadata, parse_dbt_project
    from sunshine.superset import bootstrap, environment

    steps: list[tuple[str, Callable[[], object]]] = [
        ("Superset's environment", environment.ensure_environment),
    ]
    if not environments_only:
        steps += [
            ("Airflow's metadata", ensure_metadata),
            ("dbt's manifest", parse_dbt_project),
            ("Superset's metadata and admin", bootstrap.setup),
        ]
    for what, step in steps:
        started = time.monotonic()
        step()
        say(f"set-up: {what} ready ({time.monotonic() - started:.1f} s)")
