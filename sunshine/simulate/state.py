"""The simulation's shared state: the city, its people and registers, and what each
system has recorded so far. Programs add to it; writers read it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sunshine.simulate.clock import Timeline
from sunshine.simulate.funds import Funds
from sunshine.simulate.geography import City, Village
from sunshine.simulate.identity import BANKS, make_account
from sunshine.simulate.ledger import Payment, Plants
from sunshine.simulate.population import Person, Population
from sunshine.simulate.profiles import DirtRates, PlantRates, Profile
from sunshine.simulate.registers import Registers
from sunshine.simulate.variants import VARIANTS, Variant


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream per purpose (never the global RNG)."""
    return random.Random(f"sunshine-simulate/{seed}/{name}")


class Accounts:
    """Each person's bank account, opened the first time a payment needs one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.of: dict[int, tuple[str, str]] = {}
        self.serial = 0

    def new(self) -> tuple[str, str]:
        self.serial += 1
        bank, prefix = BANKS[self.rng.randrange(len(BANKS))]
        return bank, make_account(prefix, 10_000_000 + self.serial * 7919 % 99_999_989)

    def for_person(self, pid: int) -> tuple[str, str]:
        if pid not in self.of:
            self.of[pid] = self.new()
        return self.of[pid]


@dataclass
class Sim:
    profile: Profile
    seed: int
    timeline: Timeline
    city: City
    pop: Population
    regs: Registers
    funds: Funds
    dirt: DirtRates
    plant_rates: PlantRates
    accounts: Accounts
    variant: Variant = field(default_factory=lambda: VARIANTS["default"])
    ledger: list[Payment] = field(default_factory=list)
    plants: Plants = field(default_factory=Plants)
    # What each system delivers, filled by the programs (see programs/*).
    systems: dict[str, Any] = field(default_factory=dict)
    _levels: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict, repr=False)

    def rng(self, name: str) -> random.Random:
        return stream(self.seed, name)

    def level(self, what: str, village: Village, low: float, high: float) -> float:
        """A village's own level of something: the villages of a district are spread
        evenly between `low` and `high` (in a random order), so that no village stands
        out statistically by chance (rule X01 must find only planted villages)."""
        key = (what, village.town.district.code)
        if key not in self._levels:
            villages = sorted(
                v.code for v in self.city.villages if v.town.district is village.town.district
            )
            self.rng(f"level/{what}/{key[1]}").shuffle(villages)
            n = len(villages)
            self._levels[key] = {code: (i + 0.5) / n for i, code in enumerate(villages)}
        return low + (high - low) * self._levels[key][village.code]

    def person(self, pid: int) -> Person:
        return self.pop.persons[pid]

    def village_of(self, pid: int) -> Village:
        return self.city.villages[self.pop.persons[pid].village]

    def count(self, rule: str, base: int, per_mille: float, at_least: int = 1) -> int:
        """How many cases of `rule` to plant for a population of `base`."""
        return max(at_least, round(base * per_mille * self.plant_rates.scale / 1000))
