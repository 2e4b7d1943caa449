"""allowance: old-age allowances by age band and the two disability subsidies.

Everyone of 80 and over gets the band of the age reached by the last day of the month,
from the month of the birthday that opens the band; certified disabled people get
the living subsidy (any grade) and, at grades 1-2, the care subsidy. One CSV per
month, paid around the 20th; a few rows go out unpaid and are paid in a `_v2`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.simulate.clock import (
    DAY,
    add_years,
    age_in_period,
    month_start,
    next_period,
    period_of,
)
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.identity import wrong_check
from sunshine.simulate.ledger import Payment
from sunshine.simulate.planting import RATES, Groups, calm, pick, planting_periods, reserve
from sunshine.simulate.population import (
    CADRE_FAMILY,
    DISABLED,
    MOVER,
    RESERVED,
    Person,
    move_person,
)
from sunshine.simulate.programs.bank import pay_day
from sunshine.simulate.state import Sim

BANDS = (("elderly_100", 100), ("elderly_90", 90), ("elderly_80", 80))
GRADE_WEIGHTS = (15, 25, 30, 30)


@dataclass(slots=True, eq=False)
class AllowanceRow:
    recipient_id: str
    pid: int
    person: str  # identity number as delivered, before dirt
    kind: str
    cert: str | None
    grade: int | None
    village: Village
    fund_line: FundLine
    period: str
    amount: int
    paid: dt.date  # the final pay date
    first_unpaid: bool = False  # empty pay_date in the first delivery, paid in _v2
    removed: bool = False


@dataclass
class Allowance:
    rows: list[AllowanceRow]
    v2_days: dict[str, dt.date]  # period -> day the _v2 was delivered


def band(birth: dt.date, period: str) -> str | None:
    age = age_in_period(birth, period)
    return next((kind for kind, low in BANDS if age >= low), None)


class _Allowance:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rng = sim.rng("allowance")
        self.rows: list[AllowanceRow] = []
        self.recipients: dict[tuple[int, int], str] = {}
        self.certs: dict[int, tuple[int, int]] = {}  # pid -> (class, grade)
        self.by_pid: dict[int, list[AllowanceRow]] = {}

    def day(self, village: Village, period: str) -> dt.date:
        return pay_day(self.sim, period, 18, 24, f"allowance/{village.district.code}")

    def recipient(self, p: Person, village: Village) -> str:
        key = (p.pid, village.idx)
        if key not in self.recipients:
            self.recipients[key] = f"GL{village.district.code[2:]}{len(self.recipients) + 1:07d}"
        return self.recipients[key]

    def add(
        self,
        p: Person,
        kind: str,
        village: Village,
        period: str,
        amount: int | None = None,
        person: str | None = None,
        recipient: str | None = None,
    ) -> AllowanceRow | None:
        sim = self.sim
        day = self.day(village, period)
        if day > sim.timeline.last_night:
            return None
        line = sim.funds.line(village.district, kind)
        cert = grade = None
        if kind.startswith("disability"):
            klass, grade = self.certs[p.pid]
            cert = f"{p.id_number}{klass}{grade}"
        row = AllowanceRow(
            recipient or self.recipient(p, village),
            p.pid,
            person or p.id_number,
            kind,
            cert,
            grade,
            village,
            line,
            period,
            line.standard if amount is None else amount,
            day,
        )
        if self.rng.random() < sim.dirt.unpaid_first_delivery:
            later = sim.timeline.add_banking_days(day, self.rng.randint(5, 9))
            if later <= sim.timeline.last_night:
                row.first_unpaid, row.paid = True, later
        self.rows.append(row)
        self.by_pid.setdefault(p.pid, []).append(row)
        return row


def build_allowance(sim: Sim) -> Allowance:
    a = _Allowance(sim)
    t = sim.timeline
    rng = a.rng
    for p in sim.pop.persons:
        if p.birth > t.first_day or p.flags & (CADRE_FAMILY | MOVER | RESERVED):
            continue
        if rng.random() < 0.02:
            p.flags |= DISABLED
            a.certs[p.pid] = (rng.randint(1, 7), rng.choices((1, 2, 3, 4), GRADE_WEIGHTS)[0])
    for p in sim.pop.persons:
        if p.flags & (CADRE_FAMILY | MOVER | RESERVED) or p.birth > t.first_day:
            continue
        old = add_years(p.birth, 80) <= t.last_night
        if not old and not p.flags & DISABLED:
            continue
        village = sim.city.villages[p.village]
        living = care = False
        if p.flags & DISABLED:
            living = a.rng.random() < 0.35
            care = a.certs[p.pid][1] <= 2 and a.rng.random() < 0.85
        for period in t.periods:
            day = a.day(village, period)
            if day > t.last_night or not p.alive_on(day):
                continue
            kind = band(p.birth, period) if old else None
            if kind:
                a.add(p, kind, village, period)
            if living:
                a.add(p, "disability_living", village, period)
            if care:
                a.add(p, "disability_care", village, period)
    _plant(a)
    _calm(a)
    v2_days: dict[str, dt.date] = {}
    for row in a.rows:
        if row.first_unpaid:
            v2_days[row.period] = max(v2_days.get(row.period, row.paid), row.paid)
    for row in a.rows:
        sim.ledger.append(
            Payment(
                "allowance",
                row.fund_line,
                row.person,
                None,
                row.village.code,
                row.period,
                row.amount,
                row.paid,
                ref=f"allowance:{row.recipient_id}:{row.period}:{row.kind}",
                kind=row.kind,
                grade=row.grade,
            )
        )
    sim.systems["allowance"] = Allowance(a.rows, v2_days)
    return sim.systems["allowance"]


def _calm(a: _Allowance) -> None:
    """Some eligible people never apply: leave out a few so no village stands out."""
    sim = a.sim

    groups: Groups = {}
    for r in a.rows:
        key = (r.paid.year, r.kind, r.village.district.code)
        who = groups.setdefault(key, {}).setdefault(r.village.code, {})
        who[(r.pid, r.kind)] = who.get((r.pid, r.kind), 0) + r.amount
    left_out: set[tuple[int, str]] = set()
    calm(groups, lambda who: not sim.person(who[0]).flags & RESERVED, left_out.add)
    if left_out:
        a.rows[:] = [r for r in a.rows if (r.pid, r.kind) not in left_out]


def _plant(a: _Allowance) -> None:
    sim, rng, plants, t = a.sim, a.sim.rng("allowance/plant"), a.sim.plants, a.sim.timeline
    periods = planting_periods(sim, after=1)
    if not periods:
        return
    base = len({r.pid for r in a.rows})
    candidates = [
        p
        for p in sim.pop.persons
        if not p.flags & (CADRE_FAMILY | MOVER | RESERVED)
        and p.birth <= t.first_day
        and p.death is None
    ]

    def rows_of(pid: int) -> list[AllowanceRow]:
        return [r for r in a.by_pid.get(pid, ()) if not r.removed]

    def village(p: Person) -> Village:
        return sim.city.villages[p.village]

    # E03: paid the 80 band two months before turning 80; the 80 band to a 91-year-old.
    turning = [p for p in candidates if period_of(add_years(p.birth, 80)) in periods[2:]]
    for n, p in enumerate(pick(rng, turning, sim.count("E03", base, RATES["E03"]) + 1)):
        reserve(p)
        b80 = period_of(add_years(p.birth, 80))
        if n == 0:
            plants.decoy(
                "E03",
                "person",
                p.id_number,
                f"turns 80 on {add_years(p.birth, 80)}, paid the 80 band from that month",
                b80,
                sim.funds.line(village(p).district, "elderly_80"),
            )
            continue
        early = [next_period(b80, -2), next_period(b80, -1)]
        for period in early:
            row = a.add(p, "elderly_80", village(p), period)
            if row:
                plants.case(
                    "E03",
                    "person",
                    p.id_number,
                    f"turns 80 in {b80}, paid the 80 band for {period}",
                    period,
                    row.fund_line,
                    row.amount,
                )
    nineties = [p for p in candidates if 91 <= p.age_on(t.first_day) <= 97]
    for p in pick(rng, nineties, 1):
        mine = [r for r in rows_of(p.pid) if r.kind == "elderly_90" and r.period in periods]
        if not mine:
            continue
        reserve(p)
        row = rng.choice(mine)
        line = sim.funds.line(row.village.district, "elderly_80")
        row.kind, row.fund_line, row.amount = "elderly_80", line, line.standard
        plants.case(
            "E03",
            "person",
            p.id_number,
            f"aged {age_in_period(p.birth, row.period)}, paid the 80-89 band",
            row.period,
            line,
            row.amount,
        )

    # D04: both bands in the month of the 90th birthday (also E03: 90 is above the 80 band).
    turning90 = [
        p
        for p in candidates
        if period_of(add_years(p.birth, 90)) in periods and not p.flags & RESERVED
    ]
    for n, p in enumerate(pick(rng, turning90, sim.count("D04", base, RATES["D04"]) + 1)):
        reserve(p)
        b90 = period_of(add_years(p.birth, 90))
        line80 = sim.funds.line(village(p).district, "elderly_80")
        if n == 0:
            plants.decoy(
                "D04",
                "person",
                p.id_number,
                f"80 band until {next_period(b90, -1)}, 90 band from {b90}",
                b90,
                line80,
            )
            continue
        row = a.add(p, "elderly_80", village(p), b90)
        if row:
            plants.case(
                "D04",
                "person",
                p.id_number,
                "paid both the 80 and the 90 band for the month of the 90th birthday",
                b90,
                line80,
                row.amount,
            )
            plants.case(
                "E03",
                "person",
                p.id_number,
                "aged 90, paid the 80-89 band",
                b90,
                line80,
                row.amount,
            )

    # E07: the care subsidy to grade 3 for one month; look-alike: grade 3 living subsidy.
    grade3 = [
        p
        for p in candidates
        if p.flags & DISABLED and a.certs[p.pid][1] == 3 and not p.flags & RESERVED
    ]
    for n, p in enumerate(pick(rng, grade3, sim.count("E07", base, RATES["E07"]) + 1)):
        reserve(p)
        period = rng.choice(periods)
        if n == 0:
            has = any(r.kind == "disability_living" and r.period == period for r in rows_of(p.pid))
            row = None if has else a.add(p, "disability_living", village(p), period)
            if has or row:
                line = sim.funds.line(village(p).district, "disability_living")
                plants.decoy(
                    "E07",
                    "person",
                    p.id_number,
                    "grade 3, paid the living subsidy (no grade limit)",
                    period,
                    line,
                )
            continue
        row = a.add(p, "disability_care", village(p), period)
        if row:
            plants.case(
                "E07",
                "person",
                p.id_number,
                "grade 3, paid the care subsidy (grades 1-2 only)",
                period,
                row.fund_line,
                row.amount,
            )

    # S01: twice the standard for one month.
    olds = [p for p in candidates if p.age_on(t.first_day) >= 81 and not p.flags & RESERVED]
    for p in pick(rng, olds, sim.count("S01", base, RATES["S01"])):
        mine = [r for r in rows_of(p.pid) if r.period in periods and r.kind.startswith("elderly")]
        if not mine:
            continue
        reserve(p)
        row = rng.choice(mine)
        row.amount = row.fund_line.standard * 2
        plants.case(
            "S01",
            "person",
            p.id_number,
            f"paid {row.amount / 100:.2f} against a standard of {row.fund_line.standard / 100:.2f}",
            row.period,
            row.fund_line,
            row.fund_line.standard,
        )

    # E01: died, and the allowance went out one more month.
    dead = [
        p
        for p in sim.pop.persons
        if p.death is not None
        and period_of(p.death) in periods
        and not p.flags & RESERVED
        and any(r.period == period_of(p.death) for r in rows_of(p.pid))
    ]
    for p in pick(rng, dead, sim.count("E01", base, RATES["E01"])):
        reserve(p)
        month = period_of(p.death)
        last = next(r for r in rows_of(p.pid) if r.period == month)
        nxt = next_period(month)
        row = a.add(p, last.kind, last.village, nxt, recipient=last.recipient_id)
        if row:
            plants.case(
                "E01",
                "person",
                p.id_number,
                f"died {p.death}, {last.kind} paid for {nxt}",
                nxt,
                row.fund_line,
                row.amount,
            )

    # E04: a row whose identity number fails its check.
    for p in pick(rng, [q for q in olds if not q.flags & RESERVED], 1):
        mine = [r for r in rows_of(p.pid) if r.period in periods]
        if not mine:
            continue
        reserve(p)
        row = rng.choice(mine)
        row.person = wrong_check(p.id_number)
        plants.case(
            "E04",
            "person",
            row.person,
            "allowance row whose identity number fails its check",
            row.period,
            row.fund_line,
            row.amount,
        )

    # D01: paid in two villages for one month (another district: D01 only; the same
    # district: the same fund line, so D02 too). Look-alike: a move between months.
    for n in range(sim.count("D01", base, RATES["D01"]) + 1):
        pool = [q for q in olds if not q.flags & RESERVED and q.relation != "head"]
        if not pool:
            break
        p = rng.choice(pool)
        reserve(p)
        home = village(p)
        period = rng.choice(periods)
        if n == 0:
            others = [v for v in sim.city.villages_of(home.district) if v.idx != home.idx]
            new = rng.choice(others)
            day = month_start(period) + rng.randint(0, 9) * DAY
            for r in [r for r in rows_of(p.pid) if r.paid >= day]:
                a.rows.remove(r)
                r.removed = True
            move_person(
                sim.pop.households, sim.pop.by_village, sim.pop.serial, sim.city, p, new, day
            )
            p.flags |= RESERVED
            for pp in sim.timeline.periods:
                if pp >= period and band(p.birth, pp):
                    a.add(p, band(p.birth, pp), new, pp)
            plants.decoy(
                "D01",
                "person",
                p.id_number,
                f"moved from {home.code} to {new.code} on {day}; paid in each village for "
                "different months",
                period,
                sim.funds.line(home.district, "elderly_80"),
            )
            continue
        same = n % 2 == 0 or len(sim.city.districts) == 1
        others = [
            v
            for v in sim.city.villages
            if v.idx != home.idx and ((v.district is home.district) == same)
        ]
        mine = [r for r in rows_of(p.pid) if r.period == period]
        if not others or not mine:
            continue
        other = rng.choice(others)
        row = a.add(p, mine[0].kind, other, period)
        if row is None:
            continue
        plants.case(
            "D01",
            "person",
            p.id_number,
            f"{row.kind} paid in {home.code} and {other.code} for the same month",
            period,
            mine[0].fund_line,
            row.amount,
        )
        if same:
            plants.case(
                "D02",
                "person",
                p.id_number,
                f"{row.kind} paid twice on one fund line (villages {home.code} and {other.code})",
                period,
                mine[0].fund_line,
                row.amount,
            )
