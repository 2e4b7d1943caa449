"""`simulate()`: build one synthetic city and write all its source systems.

The whole timeline is generated up front (see clock.py), each record stamped on the
night it happened; then the databases are loaded, the files dropped, the API stores
written, and `truth.csv` lists every finding the rules must raise.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sunshine.contracts import SYSTEMS
from sunshine.errors import SunshineError
from sunshine.simulate.apis import API_SYSTEMS, write_api_store
from sunshine.simulate.clock import Timeline
from sunshine.simulate.databases import DATABASE_SYSTEMS, write_database
from sunshine.simulate.drops import DROP_SYSTEMS, WRITERS
from sunshine.simulate.funds import build_funds
from sunshine.simulate.geography import build_city
from sunshine.simulate.identity import reset_codes
from sunshine.simulate.population import build_population
from sunshine.simulate.profiles import DirtRates, PlantRates, get_profile
from sunshine.simulate.programs.allowance import build_allowance
from sunshine.simulate.programs.bank import Bank
from sunshine.simulate.programs.collective import build_collective
from sunshine.simulate.programs.dibao import build_dibao
from sunshine.simulate.programs.education import build_education
from sunshine.simulate.programs.employment import build_employment
from sunshine.simulate.programs.farmland import build_farmland
from sunshine.simulate.programs.pension import build_pension
from sunshine.simulate.programs.poverty import build_poverty
from sunshine.simulate.registers import build_registers
from sunshine.simulate.sources_file import write_credentials, write_sources
from sunshine.simulate.state import Accounts, Sim, stream
from sunshine.simulate.treasury import build_treasury
from sunshine.simulate.truth import Truth, build_truth, write_truth
from sunshine.simulate.variants import get_variant


@dataclass
class SimulationSummary:
    profile: str
    seed: int
    start: str
    nights: int
    first_day: str
    last_night: str
    out: str
    residents: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # system -> object -> rows
    files: dict[str, int] = field(default_factory=dict)  # file-drop system -> files
    planted: dict[str, int] = field(default_factory=dict)  # rule -> findings in truth.csv
    decoys: dict[str, int] = field(default_factory=dict)  # rule -> look-alikes
    unplanned: dict[str, int] = field(default_factory=dict)  # rule -> findings nobody planted
    problems: list[str] = field(default_factory=list)  # planted but not found, etc.
    elapsed_seconds: float = 0.0
    variant: str = "default"

    @property
    def source_rows(self) -> int:
        return sum(sum(objects.values()) for objects in self.counts.values())

    def to_json(self) -> str:
        data = asdict(self)
        data["source_rows"] = self.source_rows
        return json.dumps(data, ensure_ascii=False, indent=2)


def build(
    profile_name: str,
    seed: int,
    start: dt.date,
    nights: int,
    dirt: DirtRates | None = None,
    plants: PlantRates | None = None,
    say: Callable[[str], None] = print,
    variant: str = "default",
) -> tuple[Sim, Truth]:
    """The simulated city and its truth, in memory (no database, no files).

    `variant` names the producer (variants.py); `dirt`, when given, overrides its rates.
    """
    if nights < 1:
        raise SunshineError("--nights must be at least 1")
    profile = get_profile(profile_name)
    producer = get_variant(variant)
    reset_codes()
    timeline = Timeline(start, nights)
    city = build_city(profile, stream(seed, "city"))
    say(
        f"Simulating {profile.name} ({producer.name} producer): {len(city.districts)} "
        f"districts, {len(city.villages)} villages, "
        f"{timeline.first_day} to {timeline.last_night}"
    )
    pop = build_population(city, timeline, profile.residents, stream(seed, "population"))
    regs = build_registers(city, pop, timeline, stream(seed, "registers"))
    funds = build_funds(city, timeline, stream(seed, "funds"))
    sim = Sim(
        profile,
        seed,
        timeline,
        city,
        pop,
        regs,
        funds,
        dirt or producer.dirt,
        plants or PlantRates(),
        Accounts(stream(seed, "accounts")),
        producer,
    )
    say(
        f"  {len(pop.persons):,} residents in {len(pop.households):,} households; "
        f"{len(regs.payroll):,} payroll rows, {len(regs.cadres):,} cadre terms"
    )
    bank = Bank(sim)
    sim.systems["onecard"] = bank
    for name, step in (
        ("dibao", lambda: build_dibao(sim, bank)),
        ("farmland subsidy", lambda: build_farmland(sim, bank)),
        ("pensions", lambda: build_pension(sim)),
        ("allowances", lambda: build_allowance(sim)),
        ("poverty relief", lambda: build_poverty(sim)),
        ("employment subsidies", lambda: build_employment(sim)),
        ("student aid", lambda: build_education(sim)),
        ("village books", lambda: build_collective(sim)),
        ("budget and treasury", lambda: build_treasury(sim)),
    ):
        step()
        say(f"  {name}: {len(sim.ledger):,} payments so far")
    truth = build_truth(sim)
    return sim, truth


def simulate(
    profile: str,
    seed: int,
    start: dt.date,
    nights: int,
    out: Path,
    warehouse_url: str,
    say: Callable[[str], None] = print,
    dirt: DirtRates | None = None,
    plants: PlantRates | None = None,
    variant: str = "default",
) -> SimulationSummary:
    """Build the city, write every source system under `out` and on the warehouse server.

    Deterministic for a seed: the same arguments give the same files (bytes), database
    rows and truth; only `credentials.env` is random (and kept across runs).
    """
    began = time.monotonic()
    sim, truth = build(profile, seed, start, nights, dirt, plants, say, variant)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = SimulationSummary(
        profile,
        seed,
        start.isoformat(),
        nights,
        sim.timeline.first_day.isoformat(),
        sim.timeline.last_night.isoformat(),
        str(out),
        len(sim.pop.persons),
        variant=variant,
    )
    for system in DATABASE_SYSTEMS:
        summary.counts[system] = write_database(sim, warehouse_url, system)
        say(f"  database src_{system}: {sum(summary.counts[system].values()):,} rows")
    for folder_name in ("drops", "api"):
        shutil.rmtree(out / folder_name, ignore_errors=True)
    for system in DROP_SYSTEMS:
        folder = out / "drops" / system
        folder.mkdir(parents=True)
        written = WRITERS[system](sim, folder)
        summary.counts[system] = {SYSTEMS[system].objects[0].name: written["rows"]}
        summary.files[system] = written["files"]
        say(f"  drops/{system}: {written['files']:,} files, {written['rows']:,} rows")
    (out / "api").mkdir()
    for system in API_SYSTEMS:
        summary.counts[system] = write_api_store(sim, out / "api", system)
        say(f"  api/{system}.sqlite: {sum(summary.counts[system].values()):,} records")
    write_truth(truth, out / "truth.csv")
    write_sources(out)
    write_credentials(out)
    summary.planted = dict(sorted(Counter(f.rule for f in truth.findings).items()))
    summary.decoys = dict(sorted(Counter(f.rule for f in truth.decoys).items()))
    summary.unplanned = dict(sorted(Counter(f.rule for f in truth.unplanned).items()))
    late = [p.ref for p in sim.ledger if p.paid > sim.timeline.last_night]
    summary.problems = (
        [f"paid after the last night: {ref}" for ref in late[:10]]
        + [f"planted but not found: {f.rule} {f.subject_key} {f.period}" for f in truth.missed]
        + [
            f"look-alike found by the rules: {f.rule} {f.subject_key} {f.period}"
            for f in truth.flagged_decoys
        ]
        + sim.systems["treasury"].problems
    )
    summary.elapsed_seconds = round(time.monotonic() - began, 1)
    manifest = {
        k: v
        for k, v in json.loads(summary.to_json()).items()
        if k not in ("elapsed_seconds", "out")
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    say(
        f"Done in {summary.elapsed_seconds:.0f} s: {summary.source_rows:,} source rows, "
        f"{len(truth.findings):,} findings and {len(truth.decoys):,} look-alikes in truth.csv"
    )
    for problem in summary.problems:
        say(f"  warning: {problem}")
    return summary
