"""What each feed and each key mart must satisfy: one suite per raw object and per mart.

Raw suites are generated from the contract encoding (`raw_suites.py`, with the
hand-written `additions.py`); mart suites are written by hand (`marts.py`). Each
expectation carries a GX severity: `critical` holds the feed's models for the night,
`warning` is reported and lets them through.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import great_expectations as gx

from sunshine.contracts import SYSTEMS
from sunshine.quality.marts import MARTS
from sunshine.quality.raw_suites import raw_suite

Configure = Callable[[], gx.ExpectationSuite]

# Feed (a source system, one check task each) -> its raw tables, each with its suite.
FEEDS: dict[str, dict[str, Configure]] = {
    code: {f"{code}__{obj.name}": partial(raw_suite, code, obj.name) for obj in system.objects}
    for code, system in SYSTEMS.items()
}

__all__ = ["FEEDS", "MARTS", "Configure"]
