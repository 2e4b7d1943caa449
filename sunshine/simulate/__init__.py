"""The simulator: one synthetic city's ten welfare-fund systems and its shared base.

`simulate()` builds a city (divisions, residents, registers, fund lines), plays its
benefits forward from the first of January to the last night, plants the
irregularities of rules.md among look-alikes, and writes every system the way its
contract says it is delivered: databases on the warehouse server, file drops, API
stores, plus `sources.yaml` and `truth.csv`. See docs/simulator.md.
"""

from sunshine.simulate.profiles import PROFILES, DirtRates, PlantRates, Profile
from sunshine.simulate.run import SimulationSummary, build, simulate

__all__ = [
    "PROFILES",
    "DirtRates",
    "PlantRates",
    "Profile",
    "SimulationSummary",
    "build",
    "simulate",
]
