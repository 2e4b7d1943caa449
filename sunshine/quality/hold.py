"""The hold: a feed that failed a critical expectation is left out of the night's build.

The build runs whatever the checks said. Before dbt starts, the feeds whose
`check_<feed>` task failed become exclusions: their staging models and everything
built from them (`path:models/staging/<feed>+`), so those tables keep the previous
night's data while the models of the other feeds build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CHECK_PREFIX = "check_"
MARTS_CHECK = "check_marts"


def failed_feeds(states: Mapping[str, str | None]) -> list[str]:
    """Feeds whose check task failed, from a run's task states."""
    return sorted(
        task_id.removeprefix(CHECK_PREFIX)
        for task_id, state in states.items()
        if task_id.startswith(CHECK_PREFIX) and task_id != MARTS_CHECK and state == "failed"
    )


def exclusions(feeds: Iterable[str]) -> str | None:
    """dbt's --exclude for the held feeds: each feed's staging folder and its descendants."""
    selectors = [f"path:models/staging/{feed}+" for feed in feeds]
    return " ".join(selectors) or None
