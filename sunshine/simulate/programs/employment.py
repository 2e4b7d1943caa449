"""employment: training, start-up and welfare-job subsidies (served by a JSON API).

Applications are approved and then paid within the line's deadline (a few are
rejected or revoked). Training pays once per course, below the yearly cap; a start-up
subsidy goes once to a newly registered enterprise; welfare jobs are paid month by
month. Amounts are in fen on the wire (`amountFen`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.contracts import CATEGORIES
from sunshine.simulate import names
from sunshine.simulate.clock import DAY, month_start, next_period, office_stamp, period_of
from sunshine.simulate.funds import FundLine
from sunshine.simulate.identity import make_uscc
from sunshine.simulate.ledger import Payment
from sunshine.simulate.planting import RATES, planting_periods, reserve
from sunshine.simulate.population import (
    ASSETS,
    CADRE_FAMILY,
    DIBAO_MEMBER,
    EMPLOYEE,
    MOVER,
    RESERVED,
    Person,
)
from sunshine.simulate.registers import Enterprise
from sunshine.simulate.state import Sim


@dataclass(slots=True, eq=False)
class Subsidy:
    application_id: str
    kind: str
    fund_line: FundLine
    pid: int
    enterprise: Enterprise | None
    amount: int  # fen
    period: str | None
    approved: dt.datetime
    paid: dt.datetime | None
    status: str
    changed: dt.datetime


@dataclass
class Employment:
    subsidies: list[Subsidy]


class _Office:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rng = sim.rng("employment")
        self.subsidies: list[Subsidy] = []

    def line(self, p: Person, kind: str) -> FundLine:
        return self.sim.funds.line(self.sim.city.villages[p.village].district, kind)

    def add(
        self,
        p: Person,
        kind: str,
        amount: int,
        approved: dt.date,
        paid_after: int | None,
        period: str | None = None,
        enterprise: Enterprise | None = None,
        status: str | None = None,
    ) -> Subsidy | None:
        sim, rng = self.sim, self.rng
        last = sim.timeline.last_night
        if approved > last:
            return None
        approved_at = office_stamp(approved, rng)
        paid_at = None
        if paid_after is not None:
            day = sim.timeline.banking_on_or_after(approved + paid_after * DAY)
            if day <= last:
                paid_at = office_stamp(day, rng)
        status = status or ("paid" if paid_at else "approved")
        changed = paid_at or approved_at
        if status in ("rejected", "revoked"):
            paid_at = None
            changed = approved_at + rng.randint(1, 10) * DAY if status == "revoked" else approved_at
            changed = min(changed, office_stamp(last, rng))
        s = Subsidy(
            f"SQ{approved:%Y}{len(self.subsidies) + 1:07d}",
            kind,
            self.line(p, kind),
            p.pid,
            enterprise,
            amount,
            period,
            approved_at,
            paid_at,
            status,
            changed,
        )
        self.subsidies.append(s)
        return s

    def startup(self, p: Person, approved: dt.date) -> Enterprise:
        sim, rng = self.sim, self.rng
        village = sim.city.villages[p.village]
        registered = approved - rng.randint(15, 80) * DAY
        e = Enterprise(
            make_uscc("9", "2", village.district.code, rng),
            names.enterprise_name(rng, village.name[:2]),
            p.pid,
            registered,
            None,
            rng.randrange(3, 50) * 1_000_000,
            registered + DAY,
            village.district,
            "startup",
        )
        sim.regs.enterprises.append(e)
        p.flags |= ASSETS
        return e


def _course_fee(sim: Sim, district: str) -> int:
    """Every course of a district costs the same (no village stands out by chance)."""
    return sim.rng(f"level/training/{district}").choice((120_000, 150_000, 180_000))


def _eligible(p: Person, on: dt.date, low: int, high: int) -> bool:
    return (
        not p.flags & (EMPLOYEE | CADRE_FAMILY | MOVER | RESERVED | DIBAO_MEMBER)
        and p.birth <= on
        and low <= p.age_on(on) <= high
        and p.death is None
    )


def build_employment(sim: Sim) -> Employment:
    o = _Office(sim)
    rng, t = o.rng, sim.timeline
    years = t.days / 365
    for p in sim.pop.persons:
        if not _eligible(p, t.first_day, 18, 59):
            continue
        r = rng.random()
        district = sim.city.villages[p.village].district
        if r < 0.008 * years and p.age_on(t.first_day) <= 55:
            approved = t.random_day(rng, t.first_day, t.last_night)
            amount = _course_fee(sim, district.code)
            status = rng.choices(("paid", "rejected", "revoked"), (93, 5, 2))[0]
            o.add(
                p,
                "training_subsidy",
                amount,
                approved,
                rng.randint(5, 40),
                status=None if status == "paid" else status,
            )
        elif r < 0.009 * years and 22 <= p.age_on(t.first_day) <= 50:
            approved = t.random_day(rng, t.first_day + 90 * DAY, t.last_night)
            e = o.startup(p, approved)
            o.add(
                p,
                "startup_subsidy",
                o.line(p, "startup_subsidy").standard,
                approved,
                rng.randint(10, 40),
                enterprise=e,
            )
        elif r < 0.0105 * years and p.age_on(t.first_day) >= 40:
            # Welfare jobs of a district start together and run to the end of the year.
            start = sim.rng(f"welfare/{district.code}").choice(
                t.periods[: max(1, len(t.periods) // 3)]
            )
            for k in range(len(t.periods)):
                period = next_period(start, k)
                if month_start(period) > t.last_night:
                    break
                approved = month_start(period) + rng.randint(0, 4) * DAY
                o.add(
                    p,
                    "welfare_job",
                    o.line(p, "welfare_job").standard,
                    approved,
                    rng.randint(12, 22),
                    period=period,
                )
    _plant(o)
    for s in o.subsidies:
        if s.status == "paid":
            p = sim.person(s.pid)
            sim.ledger.append(
                Payment(
                    "employment",
                    s.fund_line,
                    p.id_number,
                    None,
                    sim.city.villages[p.village].code,
                    s.period or period_of(s.paid.date()),
                    s.amount,
                    s.paid.date(),
                    ref=f"employment:{s.application_id}",
                    kind=s.kind,
                    enterprise=s.enterprise.code if s.enterprise else None,
                )
            )
    sim.systems["employment"] = Employment(o.subsidies)
    return sim.systems["employment"]


def _plant(o: _Office) -> None:
    sim, rng, plants, t = o.sim, o.sim.rng("employment/plant"), o.sim.plants, o.sim.timeline
    applicants = {s.pid for s in o.subsidies}
    pool = [
        p for p in sim.pop.persons if _eligible(p, t.first_day, 25, 50) and p.pid not in applicants
    ]
    rng.shuffle(pool)
    base = len(o.subsidies)
    periods = planting_periods(sim, after=1)

    def person() -> Person | None:
        while pool:
            p = pool.pop()
            if not p.flags & RESERVED:
                reserve(p)
                return p
        return None

    # T04: approved and never paid past the deadline; look-alike: approved recently.
    for n in range(sim.count("T04", base, RATES["T04"]) + 1):
        p = person()
        if p is None:
            break
        line = o.line(p, "training_subsidy")
        if n == 0:
            approved = t.last_night - rng.randint(5, line.deadline_days - 10) * DAY
            s = o.add(p, "training_subsidy", 150_000, approved, None)
            plants.decoy(
                "T04",
                "person",
                p.id_number,
                f"approved {approved}, unpaid but within {line.deadline_days} days",
                period_of(approved),
                line,
            )
            continue
        approved = (
            t.last_night - rng.randint(line.deadline_days + 10, line.deadline_days + 120) * DAY
        )
        if approved < t.first_day:
            continue
        s = o.add(p, "training_subsidy", _course_fee(sim, line.district.code), approved, None)
        plants.case(
            "T04",
            "person",
            p.id_number,
            f"approved {approved}, unpaid after {line.deadline_days} days",
            period_of(approved),
            line,
            s.amount,
        )

    # D05: a start-up subsidy paid twice (to one enterprise; to one person for two).
    cat = CATEGORIES["startup_subsidy"]
    for n in range(sim.count("D05", base, RATES["D05"]) + 1):
        p = person()
        if p is None:
            break
        approved = (
            t.random_day(rng, t.first_day + 90 * DAY, t.last_night - 150 * DAY)
            if t.days > 300
            else t.first_day + 90 * DAY
        )
        e = o.startup(p, approved)
        first = o.add(
            p, "startup_subsidy", o.line(p, "startup_subsidy").standard, approved, 20, enterprise=e
        )
        again_on = approved + rng.randint(60, 120) * DAY
        if first is None or first.paid is None or again_on > t.last_night - 40 * DAY:
            continue
        if n == 0:
            partner = person()
            if partner is None:
                continue
            o.add(
                partner,
                "startup_subsidy",
                first.amount,
                again_on,
                None,
                enterprise=e,
                status="rejected",
            )
            plants.decoy(
                "D05",
                "enterprise",
                e.code,
                "a second application for the enterprise was rejected",
                period_of(again_on),
                first.fund_line,
            )
        elif n % 2 == 1:
            partner = person()
            if partner is None:
                continue
            second = o.add(partner, "startup_subsidy", first.amount, again_on, 20, enterprise=e)
            if second and second.paid:
                plants.case(
                    "D05",
                    "enterprise",
                    e.code,
                    f"{cat.name_zh} paid twice to the enterprise ({first.application_id}, "
                    f"{second.application_id})",
                    period_of(second.paid.date()),
                    first.fund_line,
                    second.amount,
                )
        else:
            e2 = o.startup(p, again_on)
            second = o.add(p, "startup_subsidy", first.amount, again_on, 20, enterprise=e2)
            if second and second.paid:
                plants.case(
                    "D05",
                    "person",
                    p.id_number,
                    f"{cat.name_zh} paid twice to the same founder ({e.code}, {e2.code})",
                    period_of(second.paid.date()),
                    first.fund_line,
                    second.amount,
                )

    # S01: two courses in a year above the training cap; look-alike: exactly the cap.
    cap = int(CATEGORIES["training_subsidy"].cap_per_person_year * 100)
    year = t.last_night.year if t.last_night.month >= 5 else t.last_night.year - 1
    low, high = (
        max(t.first_day, dt.date(year, 1, 10)),
        min(t.last_night - 60 * DAY, dt.date(year, 12, 1)),
    )
    if high > low + 40 * DAY:
        for n in range(sim.count("S01", base, RATES["S01"]) + 1):
            p = person()
            if p is None:
                break
            d1 = t.random_day(rng, low, high - 40 * DAY)
            d2 = t.random_day(rng, d1 + 30 * DAY, high)
            a1 = 150_000 if n == 0 else 200_000
            a2 = cap - a1 if n == 0 else rng.randrange(12, 21) * 10_000
            s1 = o.add(p, "training_subsidy", a1, d1, 10)
            s2 = o.add(p, "training_subsidy", a2, d2, 10)
            if not (s1 and s2 and s1.paid and s2.paid and s1.paid.year == s2.paid.year):
                continue
            if n == 0:
                plants.decoy(
                    "S01",
                    "person",
                    p.id_number,
                    "two courses adding up to exactly the yearly cap",
                    period_of(s2.paid.date()),
                    s2.fund_line,
                )
            else:
                plants.case(
                    "S01",
                    "person",
                    p.id_number,
                    f"courses of {a1 / 100:.2f} and {a2 / 100:.2f} in {year} against a cap of "
                    f"{cap / 100:.2f}",
                    period_of(s2.paid.date()),
                    s2.fund_line,
                    a1 + a2 - cap,
                )
    # S01: one welfare-job month above the standard.
    for _ in range(max(1, sim.count("S01", base, RATES["S01"]) // 2)):
        p = person()
        if p is None or not periods:
            break
        period = rng.choice(periods)
        line = o.line(p, "welfare_job")
        extra = 50_000
        s = o.add(
            p,
            "welfare_job",
            line.standard + extra,
            month_start(period) + 2 * DAY,
            15,
            period=period,
        )
        if s and s.paid:
            plants.case(
                "S01",
                "person",
                p.id_number,
                f"welfare-job month paid {(line.standard + extra) / 100:.2f} against "
                f"{line.standard / 100:.2f}",
                period,
                line,
                extra,
            )
