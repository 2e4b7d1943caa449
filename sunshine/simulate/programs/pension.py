"""pension: resident basic pensions (城乡居民基本养老保险).

Residents outside the public payroll are insured; from the month they turn 60 (or the
next) they receive the basic pension of their district's line plus a personal-account
part, paid around the middle of the month while they are alive. A death suspends the
pension from the day of death; other suspensions (migration, imprisonment) stop it
from the day recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.simulate.clock import (
    DAY,
    add_years,
    month_start,
    next_period,
    office_stamp,
    period_of,
)
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.identity import wrong_check
from sunshine.simulate.ledger import Payment
from sunshine.simulate.planting import RATES, Groups, calm, pick, planting_periods, reserve
from sunshine.simulate.population import CADRE_FAMILY, EMPLOYEE, MOVER, RESERVED, Person
from sunshine.simulate.programs.bank import pay_day
from sunshine.simulate.state import Sim

COVERAGE = {True: 0.35, False: 0.85}  # urban, rural


@dataclass(slots=True, eq=False)
class Insured:
    person_no: str
    pid: int
    id_number: str  # as recorded (a planted one may fail its check)
    village: Village
    fund_line: FundLine
    start: str | None  # benefit_start_period
    personal: int  # fen per month
    changed: dt.date
    suspended: dt.date | None = None
    reason: str | None = None
    forced: tuple[str, ...] = ()  # periods paid whatever the state (planted)
    stop: str | None = None  # no payment after this period (planted)

    @property
    def status(self) -> str:
        if self.suspended is not None:
            return "suspended"
        return "receiving" if self.start is not None else "contributing"


@dataclass(slots=True)
class BenefitPayment:
    payment_id: int
    person_no: str
    period: str
    amount: int
    fund_line: FundLine
    paid: dt.date
    account: str
    changed: dt.datetime


@dataclass
class Pension:
    insured: list[Insured]
    payments: list[BenefitPayment]


def _day(sim: Sim, ins: Insured, period: str) -> dt.date:
    return pay_day(sim, period, 12, 18, f"pension/{ins.village.district.code}")


def _paid_periods(sim: Sim, ins: Insured) -> list[tuple[str, dt.date]]:
    out = []
    if ins.start is None:
        return out
    p = sim.person(ins.pid)
    for period in sim.timeline.periods:
        day = _day(sim, ins, period)
        if day > sim.timeline.last_night:
            continue
        if period in ins.forced:
            out.append((period, day))
            continue
        if period < ins.start or (ins.stop is not None and period > ins.stop):
            continue
        if not p.alive_on(day) or (ins.suspended is not None and ins.suspended <= day):
            continue
        out.append((period, day))
    return out


def build_pension(sim: Sim) -> Pension:
    rng, t = sim.rng("pension"), sim.timeline
    insured: list[Insured] = []
    for p in sim.pop.persons:
        if p.flags & (EMPLOYEE | CADRE_FAMILY | MOVER | RESERVED):
            continue
        if p.birth > t.first_day or p.age_on(t.first_day) < 16:
            continue
        village = sim.city.villages[p.village]
        if rng.random() >= COVERAGE[village.urban]:
            continue
        insured.append(_enrol(sim, p, village, len(insured), rng))
    _plant(sim, insured)
    outliers = _plant_outlier(sim, insured)
    _calm(sim, insured, outliers)
    sim.systems["pension"] = Pension(insured, _pay(sim, insured))
    return sim.systems["pension"]


def _enrol(sim: Sim, p: Person, village: Village, serial: int, rng) -> Insured:
    t = sim.timeline
    sixty = add_years(p.birth, 60)
    start = None
    changed = t.first_day - rng.randint(100, 3000) * DAY
    if sixty <= t.last_night:
        start = period_of(sixty) if rng.random() < 0.7 else next_period(period_of(sixty))
        if month_start(start) > t.last_night:
            start = None
        elif month_start(start) >= t.first_day:
            changed = month_start(start) + rng.randint(0, 5) * DAY
    ins = Insured(
        f"{village.district.code}{serial + 1:08d}",
        p.pid,
        p.id_number,
        village,
        sim.funds.line(village.district, "pension_basic"),
        start,
        round(
            sim.level("pension", village, 20, 140 if not village.urban else 320)
            * rng.uniform(0.9, 1.1)
        )
        * 100,
        changed,
    )
    if p.death is not None and start is not None:
        ins.suspended, ins.reason = p.death, "death"
        ins.changed = min(p.death_registered + rng.randint(0, 10) * DAY, t.last_night)
    elif start is not None and rng.random() < 0.003 * t.days / 365:
        day = t.random_day(rng, max(t.first_day, month_start(start)), t.last_night)
        ins.suspended, ins.reason = day, rng.choice(("migration", "imprisonment", "other"))
        ins.changed = day
    return ins


def _plant_outlier(sim: Sim, insured: list[Insured]) -> set[str]:
    """X01: a village whose pensions carry a personal-account part far above the others'
    (pension amounts are not checked against a standard, so only X01 sees it)."""
    rng, t = sim.rng("pension/outlier"), sim.timeline
    years = [y for y in t.years if sum(1 for p in t.periods if p.startswith(str(y))) >= 3]
    districts = [d for d in sim.city.districts if len(sim.city.villages_of(d)) >= 8]
    planted: set[str] = set()
    for district in pick(rng, districts, sim.count("X01", len(sim.city.villages), RATES["X01"])):
        village = rng.choice(sim.city.villages_of(district))
        raised = 0
        spread = 120 if not village.urban else 300  # the range of the village levels (_enrol)
        for i in insured:
            if i.village is village and i.start is not None:
                i.personal += rng.randrange(int(spread * 2.2), int(spread * 2.6)) * 100
                raised += 1
        if not raised:
            continue
        planted.add(village.code)
        line = sim.funds.line(district, "pension_basic")
        for year in years:
            sim.plants.case(
                "X01",
                "village",
                village.code,
                f"pension_basic: the personal-account part of {raised} pensioners raised by about "
                f"{spread * 2.4:.0f} yuan a month",
                str(year),
                line,
            )
    return planted


def _calm(sim: Sim, insured: list[Insured], keep: set[str]) -> None:
    """A few people never claim: leave them out so no village stands out by chance."""
    paid = {id(i): _paid_periods(sim, i) for i in insured if i.start is not None}
    by_id = {id(i): i for i in insured}

    groups: Groups = {}
    for key_id, periods in paid.items():
        i = by_id[key_id]
        for period, _day in periods:
            key = (int(period[:4]), i.village.district.code)
            who = groups.setdefault(key, {}).setdefault(i.village.code, {})
            who[key_id] = who.get(key_id, 0) + i.fund_line.standard + i.personal

    def drop(key_id: object) -> None:
        by_id[key_id].start = None

    def removable(key_id: object) -> bool:
        i = by_id[key_id]
        return i.village.code not in keep and not sim.person(i.pid).flags & RESERVED

    calm(groups, removable, drop)


def _plant(sim: Sim, insured: list[Insured]) -> None:
    rng, plants, t = sim.rng("pension/plant"), sim.plants, sim.timeline
    receiving = [i for i in insured if i.start is not None]
    base = len(receiving)
    periods = set(planting_periods(sim, after=1))
    if not periods:
        return

    def line_amount(i: Insured) -> int:
        return i.fund_line.standard + i.personal

    # E06: suspended after the month's payment, paid again the next month anyway.
    pool = [i for i in receiving if i.suspended is None and sim.person(i.pid).death is None]
    for i in pick(rng, pool, sim.count("E06", base, RATES["E06"]) + 1)[
        : sim.count("E06", base, RATES["E06"]) + 1
    ]:
        paid = [pp for pp, _d in _paid_periods(sim, i) if pp in periods]
        if not paid:
            continue
        period = rng.choice(paid)
        day = _day(sim, i, period) + rng.randint(2, 8) * DAY
        i.suspended, i.reason = day, rng.choice(("migration", "imprisonment"))
        i.changed = day
        reserve(sim.person(i.pid))
        if not any(r.rule == "E06" and r.decoy for r in plants.rows):
            plants.decoy(
                "E06",
                "person",
                i.id_number,
                f"suspended on {day}, after that month's payment",
                period,
                i.fund_line,
            )
            continue
        nxt = next_period(period)
        i.forced = (nxt,)
        plants.case(
            "E06",
            "person",
            i.id_number,
            f"suspended ({i.reason}) on {day}, paid for {nxt}",
            nxt,
            i.fund_line,
            line_amount(i),
        )

    # E08: started one or two months before the sixtieth birthday's month.
    young = [
        i
        for i in receiving
        if month_start(i.start) > t.first_day + 70 * DAY
        and i.start in periods
        and sim.person(i.pid).death is None
        and i.suspended is None
    ]
    for i in pick(rng, young, sim.count("E08", base, RATES["E08"])):
        birthday = period_of(add_years(sim.person(i.pid).birth, 60))
        early = rng.choice((1, 2))
        i.start = next_period(birthday, -early)
        i.changed = month_start(i.start)
        reserve(sim.person(i.pid))
        for k in range(early):
            plants.case(
                "E08",
                "person",
                i.id_number,
                f"turns 60 in {birthday}, paid from {i.start}",
                next_period(i.start, k),
                i.fund_line,
                line_amount(i),
            )
    # E08 look-alike: turns 60 on the last days of the month, paid for that month.
    for i in receiving:
        p = sim.person(i.pid)
        sixty = add_years(p.birth, 60)
        if p.flags & RESERVED or p.death is not None or i.suspended is not None:
            continue
        if (
            period_of(sixty) in periods
            and sixty.day >= 27
            and month_start(period_of(sixty)) > t.first_day
        ):
            i.start = period_of(sixty)
            reserve(p)
            plants.decoy(
                "E08",
                "person",
                i.id_number,
                f"turns 60 on {sixty}, paid for that month",
                i.start,
                i.fund_line,
            )
            break

    # E01: died, and the pension ran one more month before the death was noticed.
    dead = [
        i
        for i in receiving
        if i.reason == "death"
        and period_of(sim.person(i.pid).death) in periods
        and i.start is not None
        and i.start <= period_of(sim.person(i.pid).death)
    ]
    for n, i in enumerate(pick(rng, dead, sim.count("E01", base, RATES["E01"]) + 1)):
        p = sim.person(i.pid)
        month = period_of(p.death)
        reserve(p)
        if n == 0:
            if _day(sim, i, month) <= p.death:
                plants.decoy(
                    "E01",
                    "person",
                    i.id_number,
                    f"died {p.death}, paid for the month of death only",
                    month,
                    i.fund_line,
                )
            continue
        nxt = next_period(month)
        i.forced = (month, nxt)
        i.suspended = _day(sim, i, nxt) + rng.randint(1, 10) * DAY
        i.changed = i.suspended
        plants.case(
            "E01",
            "person",
            i.id_number,
            f"died {p.death}, pension paid for {nxt}",
            nxt,
            i.fund_line,
            line_amount(i),
        )

    # E04: a pension recorded under a number whose check character fails.
    late = [
        i
        for i in receiving
        if i.start is not None
        and t.last_night - 120 * DAY < month_start(i.start) < t.last_night - 40 * DAY
        and not sim.person(i.pid).flags & RESERVED
        and sim.person(i.pid).death is None
        and i.suspended is None
    ]
    for i in pick(rng, late, 1):
        i.id_number = wrong_check(i.id_number)
        reserve(sim.person(i.pid))
        for period, _ in _paid_periods(sim, i):
            plants.case(
                "E04",
                "person",
                i.id_number,
                "pension recorded under an identity number whose check character fails",
                period,
                i.fund_line,
                line_amount(i),
            )


def _pay(sim: Sim, insured: list[Insured]) -> list[BenefitPayment]:
    rng = sim.rng("pension/pay")
    out: list[BenefitPayment] = []
    for i in insured:
        for period, day in _paid_periods(sim, i):
            amount = i.fund_line.standard + i.personal
            account = sim.accounts.for_person(i.pid)[1]
            out.append(
                BenefitPayment(
                    len(out) + 100_000_001,
                    i.person_no,
                    period,
                    amount,
                    i.fund_line,
                    day,
                    account,
                    office_stamp(day, rng),
                )
            )
            sim.ledger.append(
                Payment(
                    "pension",
                    i.fund_line,
                    i.id_number,
                    None,
                    i.village.code,
                    period,
                    amount,
                    day,
                    account,
                    ref=f"pension:{out[-1].payment_id}",
                )
            )
    return out
