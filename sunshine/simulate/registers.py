"""The shared base beyond the resident register: payroll, cadres, enterprises, vehicles.

Built before any benefit, so that the benefits can keep the people these registers
name out of their background: a public employee is never a background dibao member,
a cadre's family never a background recipient, a car owner never on dibao.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sunshine.simulate import names
from sunshine.simulate.clock import DAY, Timeline, add_years
from sunshine.simulate.geography import City, District
from sunshine.simulate.identity import make_uscc
from sunshine.simulate.population import (
    ASSETS,
    CADRE_FAMILY,
    EMPLOYEE,
    MOVER,
    Person,
    Population,
)


@dataclass(slots=True)
class Agency:
    code: str  # unified social credit code
    name: str
    kind: str  # agency | institution | state_enterprise
    position: str
    district: District


@dataclass(slots=True)
class Payroll:
    pid: int
    agency: Agency
    position: str
    salary: int  # fen
    start: dt.date
    end: dt.date | None
    changed: dt.date


@dataclass(slots=True)
class CadreTerm:
    pid: int
    village: int
    post: str
    start: dt.date
    end: dt.date | None
    changed: dt.date
    relatives: list[tuple[int, str]] = field(default_factory=list)  # (pid, relation)


@dataclass(slots=True)
class Enterprise:
    code: str
    name: str
    rep: int  # pid of the legal representative
    registered: dt.date
    deregistered: dt.date | None
    capital: int  # fen
    changed: dt.date
    district: District
    kind: str = "other"  # market | contractor | startup | other


@dataclass(slots=True)
class Vehicle:
    plate: str
    owner: int
    kind: str  # car | truck | motorcycle | tractor
    registered: dt.date
    deregistered: dt.date | None
    price: int  # fen
    changed: dt.date


@dataclass
class Registers:
    agencies: list[Agency]
    payroll: list[Payroll]
    cadres: list[CadreTerm]
    enterprises: list[Enterprise]
    vehicles: list[Vehicle]
    plates: set[str]

    def current_cadres(self, village: int, on: dt.date) -> list[CadreTerm]:
        return [
            c
            for c in self.cadres
            if c.village == village and c.start <= on and (c.end is None or c.end >= on)
        ]


def _adults(pop: Population, low: int, high: int, on: dt.date) -> list[Person]:
    return [p for p in pop.persons if p.birth <= on and low <= p.age_on(on) <= high]


def build_registers(
    city: City, pop: Population, timeline: Timeline, rng: random.Random
) -> Registers:
    agencies = _agencies(city, rng)
    payroll = _payroll(city, pop, timeline, agencies, rng)
    cadres = _cadres(city, pop, timeline, rng)
    enterprises = _enterprises(city, pop, timeline, rng)
    vehicles, plates = _vehicles(pop, timeline, rng)
    return Registers(agencies, payroll, cadres, enterprises, vehicles, plates)


def _agencies(city: City, rng: random.Random) -> list[Agency]:
    out = []
    for district in city.districts:
        for kind, word, position in names.AGENCY_KINDS:
            authority = {"agency": "11", "institution": "12", "state_enterprise": "91"}[kind]
            copies = 1 if kind != "institution" else 3
            for n in range(copies):
                prefix = district.name if n == 0 else district.name + names.PLACE_FIRST[n]
                out.append(
                    Agency(
                        make_uscc(authority[0], authority[1], district.code, rng),
                        f"南京市{prefix}{word}",
                        kind,
                        position,
                        district,
                    )
                )
    return out


def _payroll(
    city: City, pop: Population, timeline: Timeline, agencies: list[Agency], rng: random.Random
) -> list[Payroll]:
    first, last = timeline.first_day, timeline.last_night
    by_district: dict[int, list[Agency]] = {}
    for a in agencies:
        by_district.setdefault(a.district.idx, []).append(a)
    out: list[Payroll] = []
    for p in pop.persons:
        if p.birth > first or p.flags & MOVER:
            continue
        age = p.age_on(first)
        village = city.villages[p.village]
        if 22 <= age <= 59:
            share = 0.07 if village.urban else 0.03
        elif 60 <= age <= 80:
            share = 0.25 if village.urban else 0.06
        else:
            continue
        if rng.random() >= share:
            continue
        agency = rng.choice(by_district[village.district.idx])
        start = add_years(p.birth, rng.randint(21, 28)) + rng.randrange(200) * DAY
        retire = add_years(p.birth, 60)
        end: dt.date | None = None
        changed = start + rng.randrange(30) * DAY
        if retire <= last:
            end, changed = retire, retire
        if p.death is not None and (end is None or p.death < end):
            end, changed = p.death, p.death_registered or p.death
        if end is not None and end < start:
            continue
        salary = rng.randrange(4000, 15000, 50) * 100
        out.append(Payroll(p.pid, agency, agency.position, salary, start, end, min(changed, last)))
        p.flags |= EMPLOYEE
    return out


_POSTS = ("secretary", "director", "committee_member", "accountant", "supervisor")


def relatives_of(pop: Population, cadre: Person, rng: random.Random) -> list[tuple[int, str]]:
    """self, and the close relatives the register can see: household and a sibling."""
    out = [(cadre.pid, "self")]
    household = pop.households[cadre.household]
    for pid in household.members:
        if pid == cadre.pid:
            continue
        other = pop.persons[pid]
        if cadre.relation == "head":
            relation = {"spouse": "spouse", "child": "child", "parent": "parent"}.get(
                other.relation
            )
        elif cadre.relation == "spouse":
            relation = {"head": "spouse", "child": "child", "parent": "parent_in_law"}.get(
                other.relation
            )
        else:
            relation = None
        if relation:
            out.append((pid, relation))
    return out


def _cadres(city: City, pop: Population, timeline: Timeline, rng: random.Random) -> list[CadreTerm]:
    first, last = timeline.first_day, timeline.last_night
    # Village elections every five years (2021, 2026, ...): the term in office on the
    # first simulated day began in the last election year before it.
    term_year = first.year - 1 - (first.year - 1 - 2021) % 5
    out: list[CadreTerm] = []
    for village in city.villages:
        candidates = [
            pop.persons[pid]
            for hid in pop.by_village[village.idx]
            for pid in pop.households[hid].members[:2]
            if pop.persons[pid].death is None
            and not pop.persons[pid].flags & (EMPLOYEE | MOVER)
            and 30 <= pop.persons[pid].age_on(first) <= 58
        ]
        rng.shuffle(candidates)
        used_households: set[int] = set()
        chosen: list[Person] = []
        for p in candidates:
            if p.household not in used_households:
                used_households.add(p.household)
                chosen.append(p)
            if len(chosen) >= 8:
                break
        posts = list(_POSTS) + (["committee_member"] if rng.random() < 0.5 else [])
        start = dt.date(term_year, rng.randint(1, 3), rng.randint(1, 28))
        here = [
            CadreTerm(p.pid, village.idx, post, start, None, start + rng.randint(1, 20) * DAY)
            for post, p in zip(posts, chosen, strict=False)
        ]
        out.extend(here)
        # One cadre in ten leaves office during the timeline; a successor takes over.
        spare = chosen[len(posts) :]
        for term in here:
            if spare and rng.random() < 0.1:
                left = timeline.random_day(
                    rng, first + 60 * DAY, max(first + 60 * DAY, last - 30 * DAY)
                )
                if left >= last:
                    continue
                term.end, term.changed = left, left + rng.randint(1, 10) * DAY
                successor = spare.pop()
                out.append(
                    CadreTerm(
                        successor.pid, village.idx, term.post, left + DAY, None, left + 3 * DAY
                    )
                )
        # The previous term's cadres who were not re-elected: their term is long over.
        for p in spare[:1]:
            previous = dt.date(term_year - 5, rng.randint(1, 3), rng.randint(1, 28))
            out.append(
                CadreTerm(p.pid, village.idx, "committee_member", previous, start - DAY, start)
            )
    for term in out:
        term.changed = min(term.changed, last)
        term.relatives = relatives_of(pop, pop.persons[term.pid], rng)
        if term.end is None or term.end >= first:
            for pid, _ in term.relatives:
                pop.persons[pid].flags |= CADRE_FAMILY
    return out


def _enterprises(
    city: City, pop: Population, timeline: Timeline, rng: random.Random
) -> list[Enterprise]:
    first, last = timeline.first_day, timeline.last_night
    out: list[Enterprise] = []
    reps = [
        p
        for p in _adults(pop, 25, 65, first)
        if not p.flags & (EMPLOYEE | CADRE_FAMILY | MOVER) and p.death is None
    ]
    rng.shuffle(reps)
    count = max(len(city.districts) * 12, int(len(reps) * 0.03))
    for n, p in enumerate(reps[:count]):
        village = city.villages[p.village]
        district = village.district
        kind = (
            "market"
            if n < 3 * len(city.districts)
            else ("contractor" if n < 10 * len(city.districts) else "other")
        )
        if kind in ("market", "contractor"):
            district = city.districts[n % len(city.districts)]
        word = {
            "market": "农贸市场管理",
            "contractor": rng.choice(("建筑工程", "园林绿化", "水利工程")),
        }.get(kind)
        registered = first - rng.randint(200, 20 * 365) * DAY
        deregistered = None
        changed = registered + rng.randint(1, 30) * DAY
        if kind == "other" and rng.random() < 0.1:
            deregistered = timeline.random_day(rng, registered + 100 * DAY, last)
            changed = deregistered
        out.append(
            Enterprise(
                make_uscc("9", "1", district.code, rng),
                names.enterprise_name(rng, names.place_name(rng, set()), word),
                p.pid,
                registered,
                deregistered,
                rng.randrange(10, 5000) * 1_000_000,
                min(changed, last),
                district,
                kind,
            )
        )
        p.flags |= ASSETS
    return out


_PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_plate(rng: random.Random, plates: set[str]) -> str:
    while True:
        plate = "苏A" + "".join(rng.choice(_PLATE_CHARS) for _ in range(5))
        if plate not in plates:
            plates.add(plate)
            return plate


def _vehicles(
    pop: Population, timeline: Timeline, rng: random.Random
) -> tuple[list[Vehicle], set[str]]:
    first, last = timeline.first_day, timeline.last_night
    plates: set[str] = set()
    out: list[Vehicle] = []
    for p in pop.persons:
        if p.birth > first or not 20 <= p.age_on(first) <= 75 or rng.random() >= 0.25:
            continue
        kind = rng.choices(("car", "truck", "motorcycle", "tractor"), (82, 4, 9, 5))[0]
        registered = first - rng.randint(30, 15 * 365) * DAY
        deregistered = None
        if rng.random() < 0.05:
            deregistered = timeline.random_day(rng, first, last)
        price = {"car": (60_000, 400_000), "truck": (80_000, 300_000)}.get(kind, (3_000, 40_000))
        out.append(
            Vehicle(
                new_plate(rng, plates),
                p.pid,
                kind,
                registered,
                deregistered,
                rng.randrange(*price, 100) * 100,
                deregistered or registered + rng.randint(1, 20) * DAY,
            )
        )
        if kind in ("car", "truck"):
            p.flags |= ASSETS
    return out, plates
