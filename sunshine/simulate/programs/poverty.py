"""poverty: households under monitoring against falling back into poverty, and the
assistance they receive (served by a JSON API).

Rural households at risk are identified, monitored, and some have the risk eliminated;
each year a monitored household gets one to three measures, never more than the
category's yearly cap in total. One fund line per district pays through vouchers to
the town finance office (`voucherNo` known); the district's integrated line does not
say which voucher funded it (traced first issued, first consumed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sunshine.contracts import CATEGORIES
from sunshine.simulate.clock import DAY, evening_stamp, period_of
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.ledger import Funding, Payment
from sunshine.simulate.planting import RATES, pick, reserve
from sunshine.simulate.population import CADRE_FAMILY, MOVER, RESERVED
from sunshine.simulate.state import Sim

RISKS = ("illness", "disability", "education", "accident", "unemployment")
MEASURES = ("industry", "employment", "education", "health", "housing", "cash")
RELATION = {
    "head": "head",
    "spouse": "spouse",
    "child": "child",
    "parent": "parent",
    "grandchild": "grandchild",
}
SHARE = 0.025  # of rural households


@dataclass(slots=True, eq=False)
class MonitoredHousehold:
    household_id: str
    hid: int
    village: Village
    members: list[tuple[int, str]]
    identified: dt.date
    risks: list[str]
    eliminated: dt.date | None
    status: str
    changed: dt.datetime
    deleted: bool = False
    fund_line: FundLine | None = None


@dataclass(slots=True, eq=False)
class Assistance:
    record_id: str
    household: MonitoredHousehold
    fund_line: FundLine
    measure: str
    amount: int
    granted: dt.date
    funding: Funding | None
    changed: dt.datetime
    deleted: bool = False


@dataclass
class Poverty:
    households: list[MonitoredHousehold]
    assistance: list[Assistance] = field(default_factory=list)


def build_poverty(sim: Sim) -> Poverty:
    rng, t = sim.rng("poverty"), sim.timeline
    households: list[MonitoredHousehold] = []
    serial: dict[str, int] = {}
    for village in sim.city.villages:
        if village.urban or not sim.funds.has(village.district, "poverty_relief"):
            continue
        for hid in sim.pop.by_village[village.idx]:
            h = sim.pop.households[hid]
            if rng.random() >= SHARE or not h.members:
                continue
            people = [sim.person(pid) for pid in h.members]
            if any(p.flags & (CADRE_FAMILY | MOVER | RESERVED) for p in people):
                continue
            if people[0].death is not None or people[0].age_on(t.first_day) < 18:
                continue
            if rng.random() < 0.7:
                identified = t.first_day - rng.randint(30, 1500) * DAY
            else:
                identified = t.random_day(rng, t.first_day, t.last_night - 30 * DAY)
            serial[village.code] = serial.get(village.code, 0) + 1
            members = [
                (p.pid, "head" if n == 0 else RELATION.get(p.relation, "other"))
                for n, p in enumerate(people)
                if p.birth <= identified and p.alive_on(identified)
            ]
            m = MonitoredHousehold(
                sim.variant.household_id(village.code, serial[village.code]),
                hid,
                village,
                members,
                identified,
                sorted(rng.sample(RISKS, rng.randint(1, 2)), key=RISKS.index),
                None,
                "monitoring",
                evening_stamp(max(identified, t.first_day - 400 * DAY), rng),
            )
            m.fund_line = sim.funds.line(
                village.district, "poverty_relief", by_voucher=rng.random() < 0.7
            )
            r = rng.random()
            if r < 0.15 * t.days / 365:
                m.eliminated = (
                    t.random_day(rng, max(identified + 90 * DAY, t.first_day), t.last_night)
                    if identified + 90 * DAY < t.last_night
                    else None
                )
                if m.eliminated:
                    m.status, m.changed = "risk_eliminated", evening_stamp(m.eliminated, rng)
            elif r > 0.99:
                m.deleted = True  # entered twice by mistake, deleted later
                m.changed = evening_stamp(
                    min(t.last_night, max(identified, t.first_day) + rng.randint(1, 20) * DAY), rng
                )
            households.append(m)
    poverty = Poverty(households)
    _assist(sim, poverty)
    _plant(sim, poverty)
    _ledger(sim, poverty)
    sim.systems["poverty"] = poverty
    return poverty


class _Records:
    def __init__(self, sim: Sim, poverty: Poverty) -> None:
        self.sim, self.poverty = sim, poverty
        self.fundings: dict[tuple[str, str], Funding] = {}
        self.serial = 0

    def funding(self, m: MonitoredHousehold, day: dt.date) -> Funding | None:
        line = m.fund_line
        if not line.traced_by_voucher:
            return None
        key = (m.village.town.code, period_of(day))
        if key not in self.fundings:
            town = m.village.town
            self.fundings[key] = Funding(
                line,
                "town_finance",
                f"{town.district.name}{town.name}财政所",
                f"3201{town.code[4:]}{int(town.code) % 9973:07d}",
                None,
                f"{period_of(day)}-{line.code}-{town.code}",
            )
        return self.fundings[key]

    def add(self, m: MonitoredHousehold, measure: str, amount: int, granted: dt.date) -> Assistance:
        self.serial += 1
        rng = self.sim.rng(f"poverty/record/{self.serial}")
        record = Assistance(
            f"AR{granted:%Y%m%d}{self.serial:06d}",
            m,
            m.fund_line,
            measure,
            amount,
            granted,
            self.funding(m, granted),
            evening_stamp(granted, rng),
        )
        self.poverty.assistance.append(record)
        return record


def _assist(sim: Sim, poverty: Poverty) -> None:
    rng, t = sim.rng("poverty/assistance"), sim.timeline
    records = _Records(sim, poverty)
    sim.systems["poverty_records"] = records
    for m in poverty.households:
        if m.deleted:
            continue
        for year in t.years:
            low = max(dt.date(year, 2, 1), m.identified + 10 * DAY, t.first_day)
            high = min(dt.date(year, 12, 15), m.eliminated or t.last_night, t.last_night - 5 * DAY)
            if low >= high:
                continue
            # A district grants every household the same yearly help, in one to three
            # measures, below the cap (so no village stands out by chance).
            total = (
                sim.rng(f"level/poverty/{m.village.district.code}/{year}").randrange(30, 81)
                * 10_000
            )
            parts = rng.randint(1, 3)
            days = [t.banking_on_or_after(t.random_day(rng, low, high)) for _ in range(parts)]
            if max(days) > min(high, t.last_night):
                continue
            share = total // parts // 10_000 * 10_000  # whole hundreds of yuan
            for k, day in enumerate(sorted(days)):
                amount = share if k < parts - 1 else total - share * (parts - 1)
                records.add(m, rng.choice(MEASURES), amount, day)
    # A few records entered by mistake are deleted (they stay in the feed, deleted).
    for record in poverty.assistance:
        if rng.random() < 0.01:
            when = min(t.last_night, record.granted + rng.randint(1, 15) * DAY)
            record.deleted, record.changed = True, evening_stamp(when, rng)


def _plant(sim: Sim, poverty: Poverty) -> None:
    rng, plants, t = sim.rng("poverty/plant"), sim.plants, sim.timeline
    records: _Records = sim.systems["poverty_records"]
    live = [m for m in poverty.households if not m.deleted and m.eliminated is None]
    year = t.last_night.year if t.last_night.month >= 4 else t.last_night.year - 1
    cap = int(CATEGORIES["poverty_relief"].cap_per_household_year * 100)
    low, high = (
        max(dt.date(year, 1, 5), t.first_day),
        min(dt.date(year, 12, 20), t.last_night - 20 * DAY),
    )
    if high <= low:
        return
    chosen = pick(
        rng, [m for m in live if m.identified < low], sim.count("S01", len(live), RATES["S01"]) + 3
    )
    for n, m in enumerate(chosen):
        for r in [r for r in poverty.assistance if r.household is m and r.granted.year == year]:
            poverty.assistance.remove(r)
        for pid, _rel in m.members:
            reserve(sim.person(pid))
        plants.households.add(m.household_id)
        days = sorted(t.banking_on_or_before(t.random_day(rng, low, high)) for _ in range(3))
        if n == 0:  # exactly the cap
            for day, amount in zip(days, (400_000, 350_000, 250_000), strict=True):
                records.add(m, rng.choice(MEASURES), amount, day)
            plants.decoy(
                "S01",
                "household",
                m.household_id,
                "three grants adding up to exactly the yearly cap",
                period_of(days[-1]),
                m.fund_line,
            )
        elif n == 1:  # over the cap only if a deleted record were counted
            for day, amount in zip(days, (400_000, 400_000, 300_000), strict=True):
                records.add(m, rng.choice(MEASURES), amount, day)
            poverty.assistance[-1].deleted = True
            plants.decoy(
                "S01",
                "household",
                m.household_id,
                "over the cap only with a record that was deleted",
                period_of(days[-1]),
                m.fund_line,
            )
        else:
            amounts = (400_000, 400_000, rng.randrange(30, 61) * 10_000)
            for day, amount in zip(days, amounts, strict=True):
                records.add(m, rng.choice(MEASURES), amount, day)
            excess = sum(amounts) - cap
            plants.case(
                "S01",
                "household",
                m.household_id,
                f"grants of {sum(amounts) / 100:.2f} in {year} against a cap of {cap / 100:.2f}",
                period_of(days[-1]),
                m.fund_line,
                excess,
            )


def _ledger(sim: Sim, poverty: Poverty) -> None:
    for r in poverty.assistance:
        if r.deleted or r.household.deleted:
            continue
        sim.ledger.append(
            Payment(
                "poverty",
                r.fund_line,
                None,
                r.household.household_id,
                r.household.village.code,
                period_of(r.granted),
                r.amount,
                r.granted,
                funding=r.funding,
                ref=f"poverty:{r.record_id}",
            )
        )
