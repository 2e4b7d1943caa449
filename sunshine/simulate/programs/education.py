"""education: student aid per school term (国家助学金, 雨露计划), one workbook per term.

Poor students in upper-secondary and vocational schools get the student grant; young
people of monitored or dibao households in vocational schools get the Rain-and-Dew
plan (rural districts). Each term is paid once, in November (term 1) or May (term 2);
a few rows go out unpaid and are paid in the `_v2` workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.simulate.clock import DAY, period_of
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.identity import wrong_check
from sunshine.simulate.ledger import Payment
from sunshine.simulate.planting import RATES, pick, reserve
from sunshine.simulate.population import CADRE_FAMILY, MOVER, RESERVED, Person
from sunshine.simulate.programs.bank import pay_day
from sunshine.simulate.state import Sim

AID_NAMES = {"yulu_plan": "雨露计划", "student_grant": "国家助学金"}


@dataclass(frozen=True)
class Term:
    year: int  # first year of the school year
    term: int  # 1 autumn, 2 spring

    @property
    def label(self) -> str:
        return f"{self.year}-{self.year + 1}-{self.term}"

    @property
    def pay_period(self) -> str:
        return f"{self.year}11" if self.term == 1 else f"{self.year + 1}05"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 9, 1) if self.term == 1 else dt.date(self.year + 1, 3, 1)


@dataclass(slots=True, eq=False)
class AidRow:
    term: Term
    pid: int
    person: str  # identity number as delivered, before dirt
    school: str
    stage: str
    village: Village
    kind: str
    fund_line: FundLine
    amount: int
    paid: dt.date
    first_unpaid: bool = False


@dataclass
class Education:
    rows: list[AidRow]
    v1_days: dict[Term, dt.date]
    v2_days: dict[Term, dt.date]


def _stage(age: int, rng) -> tuple[str, str] | None:
    if 15 <= age <= 17:
        return rng.choice((("高中", "中学"), ("中职", "职业技术学校")))
    if 18 <= age <= 21:
        return ("高职", "职业技术学院")
    if 27 <= age <= 35:
        return ("高职", "职业技术学院")
    return None


def terms_in(sim: Sim) -> list[Term]:
    t = sim.timeline
    out = []
    for year in range(t.first_day.year - 1, t.last_night.year + 1):
        for term in (1, 2):
            tm = Term(year, term)
            if (
                sim.timeline.periods[0] <= tm.pay_period
                and _day(sim, tm, sim.city.districts[0].code) <= t.last_night
            ):
                out.append(tm)
    return out


def _day(sim: Sim, term: Term, district: str) -> dt.date:
    return pay_day(sim, term.pay_period, 10, 24, f"education/{district}")


def build_education(sim: Sim) -> Education:
    rng, t = sim.rng("education"), sim.timeline
    rows: list[AidRow] = []
    terms = terms_in(sim)
    poverty = sim.systems.get("poverty")
    poor_households = {m.hid for m in poverty.households if not m.deleted} if poverty else set()
    dibao = sim.systems.get("dibao")
    dibao_households = {c.household for c in dibao.cases} if dibao else set()
    students: list[tuple[Person, str, str, str]] = []
    for p in sim.pop.persons:
        if p.flags & (CADRE_FAMILY | MOVER | RESERVED) or p.death is not None:
            continue
        age = p.age_on(t.first_day)
        stage = _stage(age, rng)
        if stage is None:
            continue
        village = sim.city.villages[p.village]
        poor = p.household in poor_households or p.household in dibao_households
        if (
            poor
            and stage[0] != "高中"
            and sim.funds.has(village.district, "yulu_plan")
            and (age <= 21 or rng.random() < 0.3)
        ):
            students.append((p, "yulu_plan", *stage))
        elif age <= 21 and rng.random() < 0.04:
            students.append((p, "student_grant", *stage))
    for p, kind, stage, school_word in students:
        village = sim.city.villages[p.village]
        school = f"南京市{village.district.name}{school_word}"
        line = sim.funds.line(village.district, kind)
        for term in terms:
            rows.append(_row(sim, term, p, school, stage, village, kind, line, line.standard, rng))
    education = Education(rows, {}, {})
    _plant(sim, education, terms)
    for row in education.rows:
        first = _day(sim, row.term, row.village.district.code)
        education.v1_days[row.term] = max(education.v1_days.get(row.term, first), first)
        if row.first_unpaid:
            education.v2_days[row.term] = max(education.v2_days.get(row.term, row.paid), row.paid)
        sim.ledger.append(
            Payment(
                "education",
                row.fund_line,
                row.person,
                None,
                row.village.code,
                period_of(row.paid),
                row.amount,
                row.paid,
                ref=f"education:{row.term.label}:{row.person}:{row.kind}",
                kind=row.kind,
            )
        )
    sim.systems["education"] = education
    return education


def _row(
    sim: Sim,
    term: Term,
    p: Person,
    school: str,
    stage: str,
    village: Village,
    kind: str,
    line: FundLine,
    amount: int,
    rng,
) -> AidRow:
    day = _day(sim, term, village.district.code)
    row = AidRow(term, p.pid, p.id_number, school, stage, village, kind, line, amount, day)
    if rng.random() < sim.dirt.unpaid_first_delivery * 3:
        later = sim.timeline.add_banking_days(day, rng.randint(8, 15))
        if later <= sim.timeline.last_night:
            row.first_unpaid, row.paid = True, later
    return row


def _plant(sim: Sim, education: Education, terms: list[Term]) -> None:
    rng, plants, t = sim.rng("education/plant"), sim.plants, sim.timeline
    done = [
        tm for tm in terms if _day(sim, tm, sim.city.districts[0].code) + 30 * DAY <= t.last_night
    ]
    if not done:
        return
    rows = education.rows
    base = len({r.pid for r in rows})
    yulu = [
        r
        for r in rows
        if r.kind == "yulu_plan" and r.term in done and not sim.person(r.pid).flags & RESERVED
    ]
    # S01: twice the term's standard to one student.
    for row in pick(
        rng, yulu or [r for r in rows if r.term in done], sim.count("S01", base, RATES["S01"])
    ):
        reserve(sim.person(row.pid))
        row.amount = row.fund_line.standard * 2
        plants.case(
            "S01",
            "person",
            row.person,
            f"{AID_NAMES[row.kind]} of {row.amount / 100:.2f} for term {row.term.label} against "
            f"{row.fund_line.standard / 100:.2f}",
            period_of(row.paid),
            row.fund_line,
            row.fund_line.standard,
        )
    # E04: a number whose check character fails.
    for row in pick(
        rng, [r for r in rows if r.term in done and not sim.person(r.pid).flags & RESERVED], 1
    ):
        reserve(sim.person(row.pid))
        row.person = wrong_check(row.person)
        plants.case(
            "E04",
            "person",
            row.person,
            "student aid to an identity number whose check character fails",
            period_of(row.paid),
            row.fund_line,
            row.amount,
        )
    # C01: a cadre's child gets the student grant in the cadre's village.
    made = 0
    for term_ in pick(
        rng,
        [c for c in sim.regs.cadres if c.end is None and c.start < t.first_day],
        len(sim.regs.cadres),
    ):
        if made >= max(1, sim.count("C01", base, RATES["C01"]) // 2):
            break
        for pid, relation in term_.relatives:
            p = sim.person(pid)
            if (
                relation != "child"
                or p.flags & RESERVED
                or p.death is not None
                or not 15 <= p.age_on(t.first_day) <= 20
            ):
                continue
            village = sim.city.villages[term_.village]
            line = sim.funds.line(village.district, "student_grant")
            tm = done[-1]
            row = _row(
                sim,
                tm,
                p,
                f"南京市{village.district.name}中学",
                "高中",
                village,
                "student_grant",
                line,
                line.standard,
                rng,
            )
            row.first_unpaid, row.paid = False, _day(sim, tm, village.district.code)
            rows.append(row)
            reserve(p)
            plants.case(
                "C01",
                "person",
                p.id_number,
                f"child of cadre {sim.person(term_.pid).id_number} ({term_.post}) of "
                f"{village.code}, student grant {tm.label}",
                period_of(row.paid),
                line,
                row.amount,
            )
            made += 1
            break
    # Legacy 15-digit numbers of adult students are dirt, not an identity problem.
    for row in rows:
        if sim.person(row.pid).birth.year < 2000 and not sim.person(row.pid).flags & RESERVED:
            reserve(sim.person(row.pid))
            sim.systems.setdefault("forced_dirt", {})[row.person] = "legacy_15"
            plants.decoy(
                "E04",
                "person",
                row.person,
                "delivered as a 15-digit legacy number; valid once upgraded",
                period_of(row.paid),
                row.fund_line,
            )
            break
