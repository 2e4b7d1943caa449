"""Helpers the programs share when they plant irregularities and look-alikes.

The base rates are per thousand of each rule's population (the people or records the
rule looks at), the rates an inspection of a real city's welfare funds turns up; every
rule gets at least one case and one look-alike whatever the size of the city.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sunshine.simulate.clock import month_end, next_period
from sunshine.simulate.population import RESERVED, Person
from sunshine.simulate.state import Sim

T = TypeVar("T")

# rule -> per mille of its base population (see docs/simulator.md for the bases)
RATES: dict[str, float] = {
    "T01": 20.0,
    "T02": 5.0,
    "T03": 1.0,
    "T04": 10.0,
    "E01": 1.0,
    "E02": 2.0,
    "E03": 1.0,
    "E04": 0.5,
    "E05": 3.0,
    "E06": 0.5,
    "E07": 2.0,
    "E08": 0.5,
    "D01": 0.5,
    "D02": 1.0,
    "D03": 0.2,
    "D04": 2.0,
    "D05": 10.0,
    "S01": 2.0,
    "C01": 2.0,
    "C02": 1.0,
    "C03": 0.1,
    "B01": 5.0,
    "B02": 3.0,
    "B03": 3.0,
    "B04": 5.0,
    "K01": 2.0,
    "K02": 0.5,
    "X01": 10.0,
}


def planting_periods(sim: Sim, after: int = 1, margin_days: int = 45) -> list[str]:
    """Periods M whose month M+`after` ends `margin_days` before the last night."""
    last = sim.timeline.last_night
    periods = sim.timeline.periods[1:]
    return [
        p
        for p in periods
        if month_end(next_period(p, after)) + dt.timedelta(days=margin_days) <= last
    ]


def pick(rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    """Up to `count` items, in a reproducible random order."""
    if count >= len(items):
        chosen = list(items)
        rng.shuffle(chosen)
        return chosen
    return rng.sample(list(items), count)


def first(rng: random.Random, items: Iterable[T], accept: Callable[[T], bool]) -> T | None:
    pool = list(items)
    rng.shuffle(pool)
    return next((x for x in pool if accept(x)), None)


def reserve(*persons: Person) -> None:
    for p in persons:
        p.flags |= RESERVED


Groups = dict[tuple, dict[str, dict[object, int]]]  # group -> village -> beneficiary -> amount


def tukey_fence(values: list[float]) -> float | None:
    """Q3 + 1.5 IQR with linear quartiles, None below 8 values or with no spread (X01)."""
    ordered = sorted(values)
    if len(ordered) < 8:
        return None

    def quantile(q: float) -> float:
        pos = (len(ordered) - 1) * q
        low = int(pos)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)

    q1, q3 = quantile(0.25), quantile(0.75)
    return None if q3 - q1 <= 0 else q3 + 1.5 * (q3 - q1)


def calm(
    groups: Groups,
    removable: Callable[[object], bool],
    drop: Callable[[object], None],
    rounds: int = 60,
) -> int:
    """Leave out a few background beneficiaries (people who did not apply) until no
    village of a district stands out by chance (X01 must only find planted villages).

    `groups` is updated in place as beneficiaries are dropped; returns how many were.
    """
    dropped = 0
    for _ in range(rounds):
        changed = False
        for _key, villages in sorted(groups.items(), key=lambda kv: str(kv[0])):
            ratios = {v: sum(b.values()) / len(b) for v, b in villages.items() if b}
            fence = tukey_fence(list(ratios.values()))
            if fence is None:
                continue
            for village in sorted(v for v, r in ratios.items() if r >= fence):
                spare = [
                    (a, str(who), who) for who, a in villages[village].items() if removable(who)
                ]
                if spare:
                    who = max(spare)[2]
                    drop(who)
                    for other in groups.values():
                        for beneficiaries in other.values():
                            beneficiaries.pop(who, None)
                    dropped += 1
                    changed = True
        if not changed:
            break
    return dropped
