"""The residents of the city: households, births, deaths and moves over the timeline.

Households are built from a few family shapes (couples with children, three
generations, elderly couples, people living alone) with ages at the first simulated
day; over the timeline people are born (registered some weeks later), die (registered
some days later) and move. A death or birth registered after the last night has not
happened as far as the sources know, so it is not simulated at all.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sunshine.simulate import names
from sunshine.simulate.clock import DAY, Timeline, add_years, age_at
from sunshine.simulate.geography import ELSEWHERE, City, Village
from sunshine.simulate.identity import make_id

# Roles that keep a person out of the background of some benefit (no accidental alert).
CADRE_FAMILY = 1  # a village cadre or a close relative (C01)
EMPLOYEE = 2  # on the public payroll at some time (E02)
ASSETS = 4  # owns a car or truck, or represents an enterprise (E05)
MOVER = 8  # changed registered village during the timeline (D01, C01)
RESERVED = 16  # taken by a planted case or a look-alike
DISABLED = 32  # holds a disability certificate
DIBAO_MEMBER = 128  # a member of a dibao or tekun case


@dataclass(slots=True)
class Person:
    pid: int
    id_number: str
    name: str
    male: bool
    birth: dt.date
    household: int
    village: int
    relation: str  # to the head of the registered household
    changed: dt.date  # the day the register row last changed
    death: dt.date | None = None
    death_registered: dt.date | None = None
    moved: dt.date | None = None  # registered village and household changed that day
    old_village: int | None = None
    flags: int = 0
    register_birth: dt.date | None = None  # the register's birth date when it is wrong

    def alive_on(self, day: dt.date) -> bool:
        return self.death is None or day <= self.death

    def age_on(self, day: dt.date) -> int:
        return age_at(self.birth, day)

    def village_on(self, day: dt.date) -> int:
        if self.moved is not None and day < self.moved and self.old_village is not None:
            return self.old_village
        return self.village


@dataclass(slots=True)
class Household:
    hid: int
    number: str  # 户号
    village: int
    members: list[int] = field(default_factory=list)


@dataclass
class Population:
    persons: list[Person]
    households: list[Household]
    by_village: list[list[int]]  # household ids per village
    by_id: dict[str, int]
    serial: list[int]  # the last household number used in each village

    def head(self, household: Household) -> Person:
        return self.persons[household.members[0]]


class IdAllocator:
    """Unique identity numbers: a sequence per division and birth date, parity by sex."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, division: str, birth: dt.date, male: bool) -> str:
        for _ in range(200):
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{division}{birth:%Y%m%d}{sequence:03d}"
            if body not in self.used:
                self.used.add(body)
                return make_id(division, birth, sequence)
        raise RuntimeError(f"no free sequence for {division} {birth}")


_ELDER_BANDS = ((60, 69, 0.55), (70, 79, 0.30), (80, 89, 0.125), (90, 99, 0.022), (100, 103, 0.003))
_SHAPES_RURAL = (
    ("three_gen", 25),
    ("nuclear", 25),
    ("elder_couple", 15),
    ("single_elder", 10),
    ("couple", 12),
    ("single_adult", 13),
)
_SHAPES_URBAN = (
    ("three_gen", 5),
    ("nuclear", 35),
    ("elder_couple", 12),
    ("single_elder", 8),
    ("couple", 20),
    ("single_adult", 20),
)


def _elder_age(rng: random.Random) -> int:
    r = rng.random()
    for low, high, share in _ELDER_BANDS:
        if r < share:
            return rng.randint(low, high)
        r -= share
    return rng.randint(60, 69)


def _birth_for_age(age: int, on: dt.date, rng: random.Random) -> dt.date:
    """A birth date that makes someone `age` on `on`, never 29 February."""
    birth = add_years(on, -age) - rng.randrange(1, 365) * DAY
    if birth.month == 2 and birth.day == 29:
        birth -= DAY
    return birth


class _Builder:
    def __init__(self, city: City, timeline: Timeline, rng: random.Random) -> None:
        self.city = city
        self.timeline = timeline
        self.rng = rng
        self.ids = IdAllocator(rng)
        self.persons: list[Person] = []
        self.households: list[Household] = []
        self.by_village: list[list[int]] = [[] for _ in city.villages]
        self.serial = [0] * len(city.villages)

    def household(self, village: Village) -> Household:
        self.serial[village.idx] += 1
        h = Household(
            len(self.households), f"{village.code}{self.serial[village.idx]:04d}", village.idx
        )
        self.households.append(h)
        self.by_village[village.idx].append(h.hid)
        return h

    def person(
        self,
        h: Household,
        age: int,
        male: bool,
        relation: str,
        family: str | None = None,
        birth: dt.date | None = None,
        changed: dt.date | None = None,
    ) -> Person:
        rng = self.rng
        village = self.city.villages[h.village]
        birth = birth or _birth_for_age(age, self.timeline.first_day, rng)
        if rng.random() < 0.03 and birth.year < 2000:
            division = rng.choice(ELSEWHERE)  # registered here, born elsewhere
        else:
            division = village.district.id_code(birth.year)
        if changed is None:
            changed = self.timeline.first_day - rng.randrange(1, 8 * 365) * DAY
        p = Person(
            pid=len(self.persons),
            id_number=self.ids.new(division, birth, male),
            name=names.person_name(rng, male, family),
            male=male,
            birth=birth,
            household=h.hid,
            village=h.village,
            relation=relation,
            changed=max(changed, birth),
        )
        self.persons.append(p)
        h.members.append(p.pid)
        return p

    def family(self, village: Village) -> int:
        rng = self.rng
        shapes = _SHAPES_URBAN if village.urban else _SHAPES_RURAL
        shape = rng.choices([s for s, _ in shapes], [w for _, w in shapes])[0]
        h = self.household(village)
        if shape == "single_elder":
            self.person(h, _elder_age(rng), rng.random() < 0.4, "head")
        elif shape == "elder_couple":
            age = _elder_age(rng)
            head = self.person(h, age, True, "head")
            self.person(h, max(58, min(103, age + rng.randint(-5, 3))), False, "spouse")
            if not village.urban and rng.random() < 0.3:
                self.person(
                    h,
                    rng.randint(3, 15),
                    rng.random() < 0.5,
                    "grandchild",
                    names.family_name(head.name),
                )
        elif shape == "single_adult":
            self.person(h, rng.randint(20, 59), rng.random() < 0.55, "head")
        else:
            age = rng.randint(24, 56) if shape != "couple" else rng.randint(22, 59)
            head = self.person(h, age, True, "head")
            surname = names.family_name(head.name) or None
            self.person(h, max(20, age + rng.randint(-4, 2)), False, "spouse")
            if shape in ("nuclear", "three_gen"):
                for _ in range(
                    rng.choice((1, 1, 2, 2, 3)) if not village.urban else rng.choice((1, 1, 2))
                ):
                    child_age = age - rng.randint(22, 36)
                    if child_age >= 0:
                        self.person(h, child_age, rng.random() < 0.52, "child", surname)
            if shape == "three_gen":
                for male in (True, False)[: rng.choice((1, 2))]:
                    parent_age = min(103, max(60, age + rng.randint(22, 34)))
                    self.person(h, parent_age, male, "parent", surname if male else None)
        return len(h.members)


def build_population(
    city: City, timeline: Timeline, residents: int, rng: random.Random
) -> Population:
    b = _Builder(city, timeline, rng)
    per_village = residents / len(city.villages)
    for village in city.villages:
        target = per_village * (
            rng.uniform(0.85, 1.15) if not village.urban else rng.uniform(0.9, 1.1)
        )
        count = 0
        while count < target:
            count += b.family(village)
    _births(b, timeline, rng)
    _deaths(b, timeline, rng)
    _moves(b, timeline, rng)
    by_id = {p.id_number: p.pid for p in b.persons}
    return Population(b.persons, b.households, b.by_village, by_id, b.serial)


def _births(b: _Builder, timeline: Timeline, rng: random.Random) -> None:
    years = timeline.days / 365.0
    for h in list(b.households):
        mother = next(
            (
                b.persons[m]
                for m in h.members
                if not b.persons[m].male and b.persons[m].relation in ("spouse", "head")
            ),
            None,
        )
        if mother is None or not 22 <= mother.age_on(timeline.first_day) <= 38:
            continue
        if rng.random() >= 0.07 * years:
            continue
        born = timeline.random_day(rng, timeline.first_day, timeline.last_night)
        if born.month == 2 and born.day == 29:
            born -= DAY
        registered = born + rng.randint(10, 40) * DAY
        if registered > timeline.last_night:
            continue
        head = b.persons[h.members[0]]
        b.person(
            h,
            0,
            rng.random() < 0.52,
            "child" if head.relation == "head" and head.age_on(born) < 60 else "grandchild",
            names.family_name(head.name) or None,
            birth=born,
            changed=registered,
        )


def _annual_death_rate(age: int) -> float:
    return min(0.45, 0.0003 * 2.718281828 ** (0.09 * (age - 20)))


def _deaths(b: _Builder, timeline: Timeline, rng: random.Random) -> None:
    years = timeline.days / 365.0
    for p in b.persons:
        rate = _annual_death_rate(p.age_on(timeline.first_day))
        if rng.random() >= 1 - (1 - rate) ** years:
            continue
        low = max(timeline.first_day, p.birth + DAY)
        died = timeline.random_day(rng, low, timeline.last_night)
        registered = died + rng.randint(2, 25) * DAY
        if registered > timeline.last_night:
            continue
        p.death, p.death_registered, p.changed = died, registered, registered


def _moves(b: _Builder, timeline: Timeline, rng: random.Random) -> None:
    """A few young adults register in another village of their district, alone."""
    years = timeline.days / 365.0
    for p in list(b.persons):
        if p.death is not None or not 18 <= p.age_on(timeline.first_day) <= 40:
            continue
        if p.relation != "child" or rng.random() >= 0.004 * years:
            continue
        old = b.city.villages[p.village]
        choices = [v for v in b.city.villages_of(old.district) if v.idx != old.idx]
        new = rng.choice(choices)
        day = timeline.random_day(rng, timeline.first_day, timeline.last_night)
        move_person(b.households, b.by_village, b.serial, b.city, p, new, day)


def move_person(
    households: list[Household],
    by_village: list[list[int]],
    serial: list[int],
    city: City,
    p: Person,
    new: Village,
    day: dt.date,
) -> None:
    """Register `p` alone in a new household of village `new` from `day` on."""
    households[p.household].members.remove(p.pid)
    serial[new.idx] += 1
    h = Household(len(households), f"{new.code}{serial[new.idx]:04d}", new.idx, [p.pid])
    households.append(h)
    by_village[new.idx].append(h.hid)
    p.old_village, p.village, p.household = p.village, new.idx, h.hid
    p.moved, p.changed, p.relation = day, max(p.changed, day), "head"
    p.flags |= MOVER
