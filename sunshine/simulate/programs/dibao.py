"""dibao: minimum-living assistance (低保) and support for the destitute (特困).

A case is a registered household (dibao) or one person (tekun), approved at some date,
paid from the following month through the one-card bank. The approved amount fills
the gap between the household's income and the standard, per member; it is computed
on the members on the case for the whole month, so it never exceeds the standard
times the members however "members in that month" is read. The roster row
(`monthly_payment`) is written a few days before the bank pays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sunshine.simulate import names
from sunshine.simulate.clock import (
    DAY,
    month_end,
    month_start,
    next_period,
    office_stamp,
    period_of,
)
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.identity import make_uscc
from sunshine.simulate.ledger import Funding
from sunshine.simulate.planting import RATES, pick, planting_periods, reserve, tukey_fence
from sunshine.simulate.population import (
    ASSETS,
    CADRE_FAMILY,
    DIBAO_MEMBER,
    EMPLOYEE,
    MOVER,
    RESERVED,
    Household,
)
from sunshine.simulate.programs.bank import Bank, pay_day
from sunshine.simulate.registers import Enterprise, Payroll, Vehicle, new_plate
from sunshine.simulate.state import Sim

RELATION = {"head": "head", "spouse": "spouse", "child": "child", "parent": "parent"}
EXCLUDED = EMPLOYEE | ASSETS | CADRE_FAMILY | MOVER | RESERVED
DIBAO_SHARE = {True: 0.015, False: 0.06}  # urban, rural: share of households
TEKUN_SHARE = {True: 0.0006, False: 0.004}  # share of residents


@dataclass(slots=True, eq=False)
class Member:
    pid: int
    relation: str
    joined: dt.date
    left: dt.date | None
    changed: dt.date


@dataclass(slots=True, eq=False)
class Case:
    case_id: str
    category: str
    fund_line: FundLine
    village: Village
    household: int
    members: list[Member]
    gap: int  # fen per member and month
    approved: dt.date
    changed: dt.date
    terminated: dt.date | None = None
    suspended: dt.date | None = None
    over: dict[str, int] = field(default_factory=dict)  # period -> amount above the standard
    double: dict[str, str] = field(default_factory=dict)  # period -> "paid" | "reversed"
    paid: dict[str, tuple[int, int]] = field(default_factory=dict)  # period -> (amount, payee)

    @property
    def status(self) -> str:
        if self.terminated is not None:
            return "terminated"
        return "suspended" if self.suspended is not None else "active"


@dataclass(slots=True)
class Roster:
    case_id: str
    period: str
    amount: int
    fund_line: FundLine
    payee: str
    changed: dt.datetime


@dataclass
class Dibao:
    cases: list[Case]
    roster: list[Roster]


def _whole_month(m: Member, period: str) -> bool:
    return m.joined <= month_start(period) and (m.left is None or m.left >= month_end(period))


def pay_day_of(sim: Sim, case: Case, period: str) -> dt.date:
    return pay_day(sim, period, 8, 14, f"dibao/{case.fund_line.code}/{case.village.town.code}")


def schedule(sim: Sim, case: Case) -> dict[str, tuple[int, int, dt.date]]:
    """period -> (amount, payee pid, pay day) for every period the case is paid."""
    out: dict[str, tuple[int, int, dt.date]] = {}
    last = sim.timeline.last_night
    for period in sim.timeline.periods:
        start = month_start(period)
        if case.approved >= start:
            continue
        day = pay_day_of(sim, case, period)
        if day > last:
            continue
        if case.terminated is not None and case.terminated <= day:
            continue
        if case.suspended is not None and case.suspended <= day:
            continue
        n = sum(1 for m in case.members if _whole_month(m, period))
        payee = next(
            (
                m.pid
                for m in case.members
                if m.joined <= day
                and (m.left is None or m.left > day)
                and sim.person(m.pid).alive_on(day)
                and sim.person(m.pid).age_on(day) >= 16
            ),
            None,
        )
        if payee is None or n == 0:
            continue
        out[period] = (case.gap * n + case.over.get(period, 0), payee, day)
    return out


class _Builder:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rng = sim.rng("dibao")
        self.cases: list[Case] = []
        self.serial = 0

    def case_id(self, category: str, village: Village) -> str:
        self.serial += 1
        prefix = "TK" if category == "tekun" else "DB"
        return f"{prefix}{village.district.code}{self.serial:06d}"

    def new_case(
        self,
        category: str,
        village: Village,
        household: Household,
        pids: list[int],
        approved: dt.date,
        gap: int | None = None,
    ) -> Case:
        sim, rng = self.sim, self.rng
        fund_line = sim.funds.line(village.district, category)
        standard = fund_line.standard or 0
        if gap is None:
            gap = (
                standard
                if category == "tekun"
                else rng.randrange(25, 91) * standard // 100 // 1000 * 1000
            )
        members = []
        for pid in pids:
            p = sim.person(pid)
            joined = (
                approved
                if p.birth <= approved
                else min(p.changed + rng.randint(0, 15) * DAY, sim.timeline.last_night)
            )
            relation = "head" if not members else RELATION.get(p.relation, "other")
            left = p.death if p.death is not None else None
            changed = max(approved, joined)
            if p.death_registered is not None:
                changed = min(
                    p.death_registered + rng.randint(0, 20) * DAY, sim.timeline.last_night
                )
            members.append(Member(pid, relation, joined, left, changed))
        case = Case(
            self.case_id(category, village),
            category,
            fund_line,
            village,
            household.hid,
            members,
            gap,
            approved,
            approved,
        )
        alive_left = [m.left for m in members if m.left is not None]
        if len(alive_left) == len(members):
            case.terminated = max(alive_left) + rng.randint(3, 20) * DAY
            if case.terminated > sim.timeline.last_night:
                case.terminated = None
        self.cases.append(case)
        return case


def _eligible(sim: Sim, household: Household, on: dt.date) -> list[int] | None:
    pids = [pid for pid in household.members if sim.person(pid).birth <= on]
    if not pids:
        return None
    for pid in household.members:
        if sim.person(pid).flags & EXCLUDED:
            return None
    head = sim.person(household.members[0])
    if not head.alive_on(on) or head.birth > on or head.age_on(on) < 18:
        return None
    return [pid for pid in pids if sim.person(pid).alive_on(on)]


def _background(b: _Builder) -> None:
    sim, rng, t = b.sim, b.rng, b.sim.timeline
    for village in sim.city.villages:
        category = "dibao_urban" if village.urban else "dibao_rural"
        for hid in sim.pop.by_village[village.idx]:
            household = sim.pop.households[hid]
            single = len(household.members) == 1
            r = rng.random()
            tekun = single and r < TEKUN_SHARE[village.urban] * 12
            if not tekun and r >= DIBAO_SHARE[village.urban]:
                continue
            if tekun and sim.person(household.members[0]).age_on(t.first_day) < 60:
                continue
            if rng.random() < 0.85:
                approved = t.first_day - rng.randint(40, 2500) * DAY
            else:
                approved = t.random_day(rng, t.first_day, max(t.first_day, t.last_night - 20 * DAY))
            pids = _eligible(sim, household, approved)
            if not pids:
                continue
            case = b.new_case("tekun" if tekun else category, village, household, pids, approved)
            if case.terminated is None and rng.random() < 0.05 * t.days / 365:
                low = max(case.approved + 60 * DAY, t.first_day)
                if low < t.last_night:
                    case.terminated = t.random_day(rng, low, t.last_night)
            elif case.terminated is None and rng.random() < 0.01:
                case.suspended = (
                    t.random_day(rng, max(case.approved + 60 * DAY, t.first_day), t.last_night)
                    if case.approved + 60 * DAY < t.last_night
                    else None
                )
    for case in b.cases:
        for m in case.members:
            sim.person(m.pid).flags |= DIBAO_MEMBER
        if case.terminated is not None:
            case.changed = max(case.changed, case.terminated)
        if case.suspended is not None:
            case.changed = max(case.changed, case.suspended)
        case.changed = max([case.changed] + [m.changed for m in case.members])


# ------------------------------------------------------------------ planting


_PAID: dict[int, set[str]] = {}


def _paid_cases(sim: Sim, cases: list[Case], period: str, after: int = 1) -> list[Case]:
    """Cases paid in `period` and still running `after` months later (as first scheduled)."""
    out = []
    later = next_period(period, after)
    for case in cases:
        paid = _PAID.get(id(case))
        if paid is None:
            paid = _PAID[id(case)] = set(schedule(sim, case))
        if period in paid and later in paid:
            out.append(case)
    return out


def _stop_after(sim: Sim, case: Case, period: str) -> None:
    """Terminate the case at the start of the month after `period` (before its payment)."""
    nxt = month_start(next_period(period))
    case.terminated = nxt + sim.rng(f"stop/{case.case_id}").randint(0, 4) * DAY
    case.changed = max(case.changed, case.terminated)


def _plant(b: _Builder) -> set[str]:
    sim, rng = b.sim, b.sim.rng("dibao/plant")
    t = sim.timeline
    plants = sim.plants
    periods = planting_periods(sim, after=2)
    used: set[str] = set()
    if not periods:
        return used
    cases = [c for c in b.cases if c.category != "tekun"]
    base = sum(len(c.members) for c in b.cases)

    def members_aged(case: Case, low: int, high: int, period: str, not_head: bool = True):
        return [
            m
            for m in case.members
            if (not not_head or m.relation != "head")
            and _whole_month(m, period)
            and low <= sim.person(m.pid).age_on(month_start(period)) <= high
            and sim.person(m.pid).death is None
        ]

    def free(case: Case) -> bool:
        return case.case_id not in used and not case.over and not case.double

    # E02: a member goes on the public payroll; the household is paid for that month.
    for _ in range(sim.count("E02", base, RATES["E02"])):
        period = rng.choice(periods)
        pool = [
            c
            for c in _paid_cases(sim, cases, period, 1)
            if free(c) and members_aged(c, 22, 50, period)
        ]
        if not pool:
            continue
        case = rng.choice(pool)
        used.add(case.case_id)
        member = rng.choice(members_aged(case, 22, 50, period))
        p = sim.person(member.pid)
        agency = rng.choice([a for a in sim.regs.agencies if a.district is case.village.district])
        start = month_start(period) + rng.randint(0, 20) * DAY
        sim.regs.payroll.append(
            Payroll(
                p.pid,
                agency,
                agency.position,
                rng.randrange(3500, 6000, 50) * 100,
                start,
                None,
                start + rng.randint(5, 30) * DAY,
            )
        )
        p.flags |= EMPLOYEE | RESERVED
        amount = schedule(sim, case)[period][0]
        _stop_after(sim, case, period)
        plants.case(
            "E02",
            "person",
            p.id_number,
            f"dibao member on the payroll of {agency.name} from {start}, household {case.case_id} "
            "paid",
            period,
            case.fund_line,
            amount,
        )
    # E02 look-alike: the payroll ended before the case's first paid month.
    for case in pick(rng, [c for c in cases if free(c) and schedule(sim, c)], 1):
        adults = [
            m
            for m in case.members
            if sim.person(m.pid).age_on(case.approved) >= 30 and sim.person(m.pid).death is None
        ]
        if not adults:
            continue
        used.add(case.case_id)
        member = adults[0]
        p = sim.person(member.pid)
        agency = rng.choice([a for a in sim.regs.agencies if a.district is case.village.district])
        end = case.approved - rng.randint(30, 200) * DAY
        start = end - rng.randint(800, 4000) * DAY
        sim.regs.payroll.append(
            Payroll(p.pid, agency, agency.position, 420000, start, end, end + 3 * DAY)
        )
        p.flags |= EMPLOYEE | RESERVED
        first_paid = min(schedule(sim, case))
        plants.decoy(
            "E02",
            "person",
            p.id_number,
            f"left the payroll on {end}, before the household's first paid month {first_paid}",
            first_paid,
            case.fund_line,
        )

    # E05: a member buys a car, or registers an enterprise, in a paid month.
    for n in range(sim.count("E05", base, RATES["E05"])):
        period = rng.choice(periods)
        pool = [
            c
            for c in _paid_cases(sim, cases, period, 1)
            if free(c) and members_aged(c, 20, 65, period, not_head=False)
        ]
        if not pool:
            continue
        case = rng.choice(pool)
        used.add(case.case_id)
        member = rng.choice(members_aged(case, 20, 65, period, not_head=False))
        p = sim.person(member.pid)
        day = month_start(period) + rng.randint(0, 25) * DAY
        if n % 2 == 0:
            plate = new_plate(rng, sim.regs.plates)
            sim.regs.vehicles.append(
                Vehicle(
                    plate,
                    p.pid,
                    "car",
                    day,
                    None,
                    rng.randrange(80_000, 250_000, 100) * 100,
                    day + 2 * DAY,
                )
            )
            what = f"car {plate} registered {day}"
        else:
            e = Enterprise(
                make_uscc("9", "2", case.village.district.code, rng),
                f"{case.village.name}{p.name}{names.ENTERPRISE_WORDS[0]}经营部",
                p.pid,
                day,
                None,
                5_000_000,
                day + DAY,
                case.village.district,
            )
            sim.regs.enterprises.append(e)
            what = f"legal representative of {e.code} registered {day}"
        p.flags |= ASSETS | RESERVED
        amount = schedule(sim, case)[period][0]
        _stop_after(sim, case, period)
        plants.case(
            "E05",
            "person",
            p.id_number,
            f"dibao member, {what}; household {case.case_id} paid",
            period,
            case.fund_line,
            amount,
        )
    # E05 look-alikes: a tractor; an enterprise deregistered before the first paid month.
    for n, case in enumerate(pick(rng, [c for c in cases if free(c) and schedule(sim, c)], 2)):
        adults = [
            m
            for m in case.members
            if sim.person(m.pid).age_on(case.approved) >= 25 and sim.person(m.pid).death is None
        ]
        if not adults:
            continue
        used.add(case.case_id)
        p = sim.person(adults[0].pid)
        first_paid = min(schedule(sim, case))
        if n == 0:
            plate = new_plate(rng, sim.regs.plates)
            kind = "tractor" if not case.village.urban else "motorcycle"
            sim.regs.vehicles.append(
                Vehicle(
                    plate,
                    p.pid,
                    kind,
                    case.approved - 400 * DAY,
                    None,
                    1_200_000,
                    case.approved - 398 * DAY,
                )
            )
            plants.decoy(
                "E05",
                "person",
                p.id_number,
                f"owns a {kind} ({plate}), not a car or truck",
                first_paid,
                case.fund_line,
            )
        else:
            gone = case.approved - rng.randint(20, 300) * DAY
            e = Enterprise(
                make_uscc("9", "2", case.village.district.code, rng),
                f"{case.village.name}{p.name}小卖部",
                p.pid,
                gone - 1500 * DAY,
                gone,
                3_000_000,
                gone + DAY,
                case.village.district,
            )
            sim.regs.enterprises.append(e)
            plants.decoy(
                "E05",
                "person",
                p.id_number,
                f"enterprise {e.code} deregistered {gone}, before the first paid month",
                first_paid,
                case.fund_line,
            )
        p.flags |= RESERVED

    # D04: a member of a dibao household also gets tekun for one month.
    for _ in range(sim.count("D04", base, RATES["D04"])):
        period = rng.choice(periods)
        pool = [
            c
            for c in _paid_cases(sim, cases, period, 1)
            if free(c) and members_aged(c, 60, 95, period)
        ]
        if not pool:
            continue
        case = rng.choice(pool)
        used.add(case.case_id)
        member = rng.choice(members_aged(case, 60, 95, period))
        member.left = month_end(period)
        member.changed = member.left + rng.randint(1, 10) * DAY
        case.changed = max(case.changed, member.changed)
        p = sim.person(member.pid)
        approved = month_start(period) - rng.randint(2, 20) * DAY
        household = sim.pop.households[case.household]
        tk = b.new_case("tekun", case.village, household, [p.pid], approved)
        tk.members[0].relation = "head"
        used.add(tk.case_id)
        s = schedule(sim, tk)
        if period not in s:
            continue
        p.flags |= RESERVED
        plants.case(
            "D04",
            "person",
            p.id_number,
            f"member of {case.case_id} ({case.category}) and tekun case {tk.case_id} in the same "
            "month",
            period,
            tk.fund_line,
            min(s[period][0], schedule(sim, case)[period][0]),
        )
    # D04 look-alike: leaves the dibao household the month before tekun starts.
    for case in pick(rng, [c for c in cases if free(c)], 30):
        period = rng.choice(periods)
        s = schedule(sim, case)
        olds = members_aged(case, 60, 95, period)
        if period not in s or not olds:
            continue
        used.add(case.case_id)
        member = olds[0]
        member.left = month_end(next_period(period, -1))
        member.changed = member.left + 2 * DAY
        p = sim.person(member.pid)
        approved = month_start(period) - 10 * DAY
        tk = b.new_case(
            "tekun", case.village, sim.pop.households[case.household], [p.pid], approved
        )
        used.add(tk.case_id)
        p.flags |= RESERVED
        plants.decoy(
            "D04",
            "person",
            p.id_number,
            f"left {case.case_id} on {member.left}; tekun {tk.case_id} paid from {period}",
            period,
            tk.fund_line,
        )
        break

    # S01: an approved amount above the standard for two months.
    for _ in range(sim.count("S01", len(cases), RATES["S01"])):
        period = rng.choice(periods)
        pool = [c for c in _paid_cases(sim, cases, period, 1) if free(c)]
        if not pool:
            continue
        case = rng.choice(pool)
        used.add(case.case_id)
        s = schedule(sim, case)
        for pp in (period, next_period(period)):
            n = sum(1 for m in case.members if _whole_month(m, pp))
            extra = rng.randrange(2, 8) * 10_000
            case.over[pp] = case.fund_line.standard * n - case.gap * n + extra
            plants.case(
                "S01",
                "household",
                case.case_id,
                f"{n} member(s), paid {(case.fund_line.standard * n + extra) / 100:.2f} against a "
                f"standard of {case.fund_line.standard / 100:.2f} per member",
                pp,
                case.fund_line,
                extra,
            )
    # S01 look-alike: exactly the standard times the members.
    for case in pick(rng, [c for c in cases if free(c) and schedule(sim, c)], 1):
        used.add(case.case_id)
        case.gap = case.fund_line.standard
        first_paid = min(schedule(sim, case))
        plants.decoy(
            "S01",
            "household",
            case.case_id,
            "paid exactly the standard times the members",
            first_paid,
            case.fund_line,
        )

    # D02: paid twice for one month; look-alike: paid twice and one reversed.
    for _ in range(sim.count("D02", base, RATES["D02"])):
        period = rng.choice(periods)
        pool = [c for c in _paid_cases(sim, cases, period, 0) if free(c)]
        if not pool:
            continue
        case = rng.choice(pool)
        used.add(case.case_id)
        case.double[period] = "paid"
        amount, payee, _day = schedule(sim, case)[period]
        reserve(sim.person(payee))
        plants.case(
            "D02",
            "person",
            sim.person(payee).id_number,
            f"household {case.case_id} paid twice for the month in two batches",
            period,
            case.fund_line,
            amount,
        )
    for case in pick(rng, [c for c in cases if free(c)], 5):
        s = schedule(sim, case)
        good = [p for p in periods if p in s]
        if not good:
            continue
        period = rng.choice(good)
        used.add(case.case_id)
        case.double[period] = "reversed"
        payee = s[period][1]
        reserve(sim.person(payee))
        plants.decoy(
            "D02",
            "person",
            sim.person(payee).id_number,
            "paid twice, the second payment reversed in a batch of its own",
            period,
            case.fund_line,
        )
        break

    # C01: a cadre's parent gets a case of his or her own in the cadre's village.
    made = 0
    for term in pick(
        rng,
        [c for c in sim.regs.cadres if c.end is None and c.start < t.first_day],
        len(sim.regs.cadres),
    ):
        if made >= sim.count("C01", base, RATES["C01"]):
            break
        village = sim.city.villages[term.village]
        for pid, relation in term.relatives:
            p = sim.person(pid)
            if (
                relation not in ("parent", "parent_in_law")
                or p.flags & (EMPLOYEE | ASSETS | RESERVED)
                or p.death is not None
            ):
                continue
            period = rng.choice(periods)
            approved = month_start(period) - rng.randint(3, 25) * DAY
            category = "dibao_urban" if village.urban else "dibao_rural"
            case = b.new_case(category, village, sim.pop.households[p.household], [pid], approved)
            _stop_after(sim, case, next_period(period))
            used.add(case.case_id)
            for pp, (amount, _payee, _d) in schedule(sim, case).items():
                plants.case(
                    "C01",
                    "person",
                    p.id_number,
                    f"{relation} of cadre {sim.person(term.pid).id_number} ({term.post}) of "
                    f"{village.code}, own case {case.case_id}",
                    pp,
                    case.fund_line,
                    amount,
                )
            reserve(p)
            made += 1
            break
    # C01 look-alike: the relative of a cadre who left office, paid only after the term.
    for term in pick(
        rng, [c for c in sim.regs.cadres if c.end is not None and c.end >= t.first_day], 50
    ):
        village = sim.city.villages[term.village]
        approved = term.end + rng.randint(5, 20) * DAY
        if month_end(next_period(period_of(approved))) + 10 * DAY > t.last_night:
            continue
        rel = [
            (pid, r)
            for pid, r in term.relatives
            if r != "self"
            and not sim.person(pid).flags & (EMPLOYEE | ASSETS | RESERVED)
            and sim.person(pid).death is None
            and sim.person(pid).age_on(approved) >= 18
        ]
        if not rel:
            continue
        pid, relation = rel[0]
        p = sim.person(pid)
        category = "dibao_urban" if village.urban else "dibao_rural"
        case = b.new_case(category, village, sim.pop.households[p.household], [pid], approved)
        used.add(case.case_id)
        reserve(p)
        s = schedule(sim, case)
        if s:
            plants.decoy(
                "C01",
                "person",
                p.id_number,
                f"{relation} of a cadre whose term ended {term.end}; paid from {min(s)} only",
                min(s),
                case.fund_line,
            )
        break
    return used


# ------------------------------------------------------------------ village statistics


def _annual(
    sim: Sim, cases: list[Case]
) -> dict[tuple[int, str, str], dict[str, list[tuple[int, Case]]]]:
    """(year, category, district) -> village -> [(the case's amount that year, case)]."""
    out: dict[tuple[int, str, str], dict[str, list[tuple[int, Case]]]] = {}
    for case in cases:
        by_year: dict[int, int] = {}
        for period, (amount, _payee, _day) in schedule(sim, case).items():
            by_year[int(period[:4])] = by_year.get(int(period[:4]), 0) + amount
        for year, amount in by_year.items():
            key = (year, case.category, case.village.district.code)
            out.setdefault(key, {}).setdefault(case.village.code, []).append((amount, case))
    return out


def _calm(b: _Builder, used: set[str]) -> None:
    """Drop a few background cases so that no village is an outlier by chance."""
    gone: set[str] = set()
    for _ in range(40):
        dropped = False
        for _key, villages in sorted(_annual(b.sim, b.cases).items()):
            ratios = {v: sum(a for a, _ in cs) / len(cs) for v, cs in villages.items()}
            fence = tukey_fence(list(ratios.values()))
            if fence is None:
                continue
            for village, ratio in sorted(ratios.items()):
                if ratio < fence:
                    continue
                spare = [(a, c) for a, c in villages[village] if c.case_id not in used]
                spare = [(a, c) for a, c in spare if c.case_id not in gone]
                if spare:
                    victim = max(spare, key=lambda ac: (ac[0], ac[1].case_id))[1]
                    b.cases.remove(victim)
                    gone.add(victim.case_id)
                    dropped = True
        if not dropped:
            return


# ------------------------------------------------------------------ payments


def _pay(sim: Sim, bank: Bank, cases: list[Case]) -> list[Roster]:
    roster: list[Roster] = []
    rng = sim.rng("dibao/roster")
    fundings: dict[tuple[str, str, str], Funding] = {}
    batches: dict[tuple[str, str, str], str] = {}
    t = sim.timeline
    for case in cases:
        for period, (amount, payee, day) in schedule(sim, case).items():
            case.paid[period] = (amount, payee)
            key = (case.fund_line.code, case.village.town.code, period)
            if key not in fundings:
                town = case.village.town
                fundings[key] = Funding(
                    case.fund_line,
                    "onecard_account",
                    f"{case.village.district.name}财政局惠民惠农一卡通专户",
                    _special_account(case.village.district.code),
                    None,
                    f"{period}-{case.fund_line.code}-{town.code}",
                )
                batches[key] = bank.batch(day)
            p = sim.person(payee)
            roster.append(
                Roster(
                    case.case_id,
                    period,
                    amount,
                    case.fund_line,
                    p.id_number,
                    office_stamp(day - rng.randint(2, 4) * DAY, rng),
                )
            )
            plain = case.double.get(period) is None
            bank.pay(
                case.fund_line,
                fundings[key],
                payee,
                amount,
                period,
                day,
                case.village,
                batches[key],
                case.case_id,
                habits=plain,
            )
            if period in case.double:
                again = t.add_banking_days(day, 2)
                row = bank.attempt(
                    bank.batch(again),
                    case.fund_line,
                    fundings[key],
                    p.id_number,
                    p.name,
                    sim.accounts.for_person(payee),
                    amount,
                    period,
                    again,
                    case.village,
                )
                bank.ledger(row, case.case_id)
                if case.double[period] == "reversed":
                    back = t.add_banking_days(again, 3)
                    row = bank.attempt(
                        bank.batch(back),
                        case.fund_line,
                        fundings[key],
                        p.id_number,
                        p.name,
                        sim.accounts.for_person(payee),
                        -amount,
                        period,
                        back,
                        case.village,
                    )
                    bank.ledger(row, case.case_id)
    return roster


def _special_account(district: str) -> str:
    return f"3201{district[2:]}0100{int(district) % 997:06d}"


def build_dibao(sim: Sim, bank: Bank) -> Dibao:
    _PAID.clear()
    b = _Builder(sim)
    _background(b)
    used = _plant(b)
    _calm(b, used)
    sim.plants.households |= used
    roster = _pay(sim, bank, b.cases)
    sim.systems["dibao"] = Dibao(b.cases, roster)
    return sim.systems["dibao"]
