"""farmland_subsidy through the one-card bank, and the one-card irregularities it hosts.

Every April each rural household with contracted land is paid its area times the
line's standard per mu, into the head's account. The planted cases of the one-card
rules that are not about dibao live here: failed payments never reissued (T03),
accounts shared by several households (D03) or held by a cadre (C03), and identity
numbers that do not check or are not registered (E04).
"""

from __future__ import annotations

import datetime as dt

from sunshine.simulate.clock import DAY
from sunshine.simulate.geography import ELSEWHERE, Village
from sunshine.simulate.identity import make_id, wrong_check
from sunshine.simulate.ledger import Funding
from sunshine.simulate.planting import RATES, reserve
from sunshine.simulate.population import (
    CADRE_FAMILY,
    DIBAO_MEMBER,
    EMPLOYEE,
    MOVER,
    RESERVED,
    Person,
)
from sunshine.simulate.programs.bank import FAILED, RETURNED, Bank, pay_day
from sunshine.simulate.programs.dibao import _special_account
from sunshine.simulate.state import Sim


class _Farmland:
    def __init__(self, sim: Sim, bank: Bank) -> None:
        self.sim, self.bank = sim, bank
        self.rng = sim.rng("farmland")
        self.fundings: dict[tuple[str, str], Funding] = {}
        self.batches: dict[tuple[str, str], str] = {}
        # (payee pid, village, period, amount, day) of every payment, for the plants
        self.paid: list[tuple[int, Village, str, int, dt.date]] = []

    def day(self, village: Village, period: str) -> dt.date:
        return pay_day(self.sim, period, 8, 22, f"farmland/{village.town.code}")

    def funding(self, village: Village, period: str) -> tuple[Funding, str]:
        key = (village.town.code, period)
        if key not in self.fundings:
            line = self.sim.funds.line(village.district, "farmland_subsidy")
            self.fundings[key] = Funding(
                line,
                "onecard_account",
                f"{village.district.name}财政局惠民惠农一卡通专户",
                _special_account(village.district.code),
                None,
                f"{period}-{line.code}-{village.town.code}",
            )
            self.batches[key] = self.bank.batch(self.day(village, period))
        return self.fundings[key], self.batches[key]

    def pay(self, pid: int, village: Village, period: str, amount: int, **kwargs) -> None:
        funding, batch = self.funding(village, period)
        day = kwargs.pop("day", None) or self.day(village, period)
        self.bank.pay(
            funding.fund_line, funding, pid, amount, period, day, village, batch, **kwargs
        )
        self.paid.append((pid, village, period, amount, day))

    def area_amount(self, village: Village) -> int:
        """Contracted land of a household in mu (halves), times the standard per mu."""
        line = self.sim.funds.line(village.district, "farmland_subsidy")
        mu = round(self.sim.level("farmland", village, 3, 9) * self.rng.uniform(0.85, 1.15) * 2)
        return max(1, mu) * line.standard // 2


def build_farmland(sim: Sim, bank: Bank) -> None:
    f = _Farmland(sim, bank)
    t = sim.timeline
    areas: dict[int, int] = {}
    for year in t.years:
        period = f"{year}04"
        for village in sim.city.villages:
            if village.urban or not sim.funds.has(village.district, "farmland_subsidy"):
                continue
            if f.day(village, period) > t.last_night:
                continue
            for hid in sim.pop.by_village[village.idx]:
                household = sim.pop.households[hid]
                head = sim.person(household.members[0])
                day = f.day(village, period)
                if head.flags & (CADRE_FAMILY | MOVER | RESERVED) or not head.alive_on(day):
                    continue
                if head.birth > day or head.age_on(day) < 18 or head.village != village.idx:
                    continue
                if hid not in areas:
                    areas[hid] = f.area_amount(village) if f.rng.random() < 0.85 else 0
                if areas[hid]:
                    f.pay(head.pid, village, period, areas[hid])
    _plant(f)


def _plant(f: _Farmland) -> None:
    sim, bank, rng, plants = f.sim, f.bank, f.sim.rng("farmland/plant"), f.sim.plants
    t = sim.timeline
    periods = [p for p in (f"{y}04" for y in t.years)]
    villages = [
        v
        for v in sim.city.villages
        if not v.urban and sim.funds.has(v.district, "farmland_subsidy")
    ]
    periods = [p for p in periods if villages and f.day(villages[0], p) + 60 * DAY <= t.last_night]
    if not periods or not villages:
        return
    base = len(f.paid)
    paid_households: dict[tuple[int, str], set[int]] = {}
    for pid, village, period, _amount, _day in f.paid:
        paid_households.setdefault((village.idx, period), set()).add(sim.person(pid).household)

    def unpaid_head(
        village: Village, period: str, besides: set[int] = frozenset()
    ) -> Person | None:
        """A household head of the village not paid this year (no land, or new land)."""
        taken = paid_households.setdefault((village.idx, period), set())
        pool = [
            sim.person(h.members[0])
            for h in (sim.pop.households[hid] for hid in sim.pop.by_village[village.idx])
            if h.members and h.hid not in taken and h.hid not in besides
        ]
        pool = [
            p
            for p in pool
            if not p.flags & (RESERVED | CADRE_FAMILY | MOVER | DIBAO_MEMBER | EMPLOYEE)
            and p.death is None
            and p.age_on(t.last_night) >= 30
            and p.village == village.idx
        ]
        if not pool:
            return None
        p = rng.choice(pool)
        reserve(p)
        taken.add(p.household)
        return p

    def place() -> tuple[Village, str]:
        return rng.choice(villages), rng.choice(periods)

    # T03: an attempt that failed (or came back) and was never paid again.
    for n in range(sim.count("T03", base, RATES["T03"])):
        village, period = place()
        p = unpaid_head(village, period)
        if p is None:
            continue
        funding, batch = f.funding(village, period)
        amount = f.area_amount(village)
        day = t.banking_on_or_after(f.day(village, period) + rng.randint(0, 3) * DAY)
        status = FAILED if n % 2 == 0 else RETURNED
        reason = "账户冻结" if status == FAILED else "户名不符"
        bank.attempt(
            batch,
            funding.fund_line,
            funding,
            p.id_number,
            p.name,
            sim.accounts.for_person(p.pid),
            amount,
            period,
            day,
            village,
            status,
            reason,
        )
        plants.case(
            "T03",
            "person",
            p.id_number,
            f"one-card attempt {status} ({reason}) on {day}, never paid again",
            period,
            funding.fund_line,
            amount,
        )
    # T03 look-alike: failed, paid again 18 banking days later (within 30 days), on a
    # line whose deadline leaves room for the late retry.
    roomy = [
        v for v in villages if sim.funds.line(v.district, "farmland_subsidy").days_override is None
    ]
    village, period = rng.choice(roomy or villages), rng.choice(periods)
    p = unpaid_head(village, period)
    if p is not None:
        funding, batch = f.funding(village, period)
        amount = f.area_amount(village)
        failed_on = f.day(village, period)
        retried_on = t.add_banking_days(failed_on, 18)
        bank.attempt(
            batch,
            funding.fund_line,
            funding,
            p.id_number,
            p.name,
            sim.accounts.for_person(p.pid),
            amount,
            period,
            failed_on,
            village,
            FAILED,
            "账户冻结",
        )
        again = bank.attempt(
            batch,
            funding.fund_line,
            funding,
            p.id_number,
            p.name,
            sim.accounts.for_person(p.pid),
            amount,
            period,
            retried_on,
            village,
        )
        bank.ledger(again)
        plants.decoy(
            "T03",
            "person",
            p.id_number,
            f"failed on {failed_on}, paid again on {retried_on} (within 30 days)",
            period,
            funding.fund_line,
        )

    # D03: one account receives for three or four households; look-alike: two households.
    for n in range(sim.count("D03", base, RATES["D03"]) + 1):
        village, period = place()
        owner = unpaid_head(village, period)
        if owner is None:
            continue
        account = sim.accounts.for_person(owner.pid)
        households = {owner.household}
        amount = f.area_amount(village)
        f.pay(owner.pid, village, period, amount, habits=False)
        total, others = amount, []
        for _ in range(1 if n == 0 else rng.choice((2, 3))):
            q = unpaid_head(village, period, households)
            if q is None:
                break
            households.add(q.household)
            area = f.area_amount(village)
            f.pay(q.pid, village, period, area, account=account, habits=False)
            total += area
            others.append(q.id_number)
        line = f.funding(village, period)[0].fund_line
        if n == 0:
            plants.decoy(
                "D03",
                "account",
                account[1],
                f"shared by {len(households)} households only",
                period,
                line,
            )
        elif len(households) >= 3:
            plants.case(
                "D03",
                "account",
                account[1],
                f"receives for {len(households)} registered households ({', '.join(others)} "
                "besides the holder)",
                period,
                line,
                total,
            )

    # C03, and the C01 of the cadre's own payment: a cadre's account receives for a villager.
    for _ in range(sim.count("C03", base, RATES["C03"])):
        terms = [
            c
            for c in sim.regs.cadres
            if c.end is None
            and c.start < t.first_day
            and not sim.city.villages[c.village].urban
            and sim.funds.has(sim.city.villages[c.village].district, "farmland_subsidy")
            and sim.person(c.pid).death is None
            and not sim.person(c.pid).flags & RESERVED
            and sim.person(c.pid).relation == "head"
        ]
        if not terms:
            break
        term = rng.choice(terms)
        cadre = sim.person(term.pid)
        village = sim.city.villages[term.village]
        period = periods[-1]
        reserve(cadre)
        paid_households.setdefault((village.idx, period), set()).add(cadre.household)
        account = sim.accounts.for_person(cadre.pid)
        own = f.area_amount(village)
        f.pay(cadre.pid, village, period, own, habits=False)
        line = f.funding(village, period)[0].fund_line
        plants.case(
            "C01",
            "person",
            cadre.id_number,
            f"cadre ({term.post}) of {village.code} paid the farmland subsidy in his own village",
            period,
            line,
            own,
        )
        relatives = {sim.person(pid).household for pid, _ in term.relatives}
        q = unpaid_head(village, period, relatives)
        if q is None:
            continue
        theirs = f.area_amount(village)
        f.pay(q.pid, village, period, theirs, account=account, habits=False)
        plants.case(
            "C03",
            "account",
            account[1],
            f"cadre {cadre.id_number}'s own account receives the subsidy of {q.id_number}",
            period,
            line,
            theirs,
        )

    # E04: a check character that fails; a number the register does not know.
    for n in range(sim.count("E04", base, RATES["E04"]) + 2):
        village, period = place()
        p = unpaid_head(village, period)
        if p is None:
            continue
        if n % 3 == 2:
            # The register's birth date disagrees with the number's (a clerk's typo).
            p.register_birth = p.birth.replace(year=p.birth.year - 1)
            p.changed = max(p.changed, t.first_day + 3 * DAY)
            bad, what = p.id_number, f"embeds {p.birth}, but the register says {p.register_birth}"
        elif n % 3 == 0:
            bad, what = wrong_check(p.id_number), "check character fails"
        else:
            bad = make_id(rng.choice(ELSEWHERE), p.birth, rng.randrange(0, 500) * 2 + 1)
            if bad in sim.pop.by_id:
                continue
            what = "is not in the resident register"
        amount = f.area_amount(village)
        f.pay(p.pid, village, period, amount, habits=False, person=bad)
        line = f.funding(village, period)[0].fund_line
        plants.case(
            "E04",
            "person",
            bad,
            f"farmland subsidy to an identity number that {what} (the payee is {p.name})",
            period,
            line,
            amount,
        )
    # E04 look-alikes: numbers delivered in full-width digits or with a lower-case x.
    forced = sim.systems.setdefault("forced_dirt", {})
    for style in ("full_width", "lower_x"):
        for pid, village, period, _amount, _day in f.paid:
            p = sim.person(pid)
            if p.flags & RESERVED or (style == "lower_x" and not p.id_number.endswith("X")):
                continue
            reserve(p)
            forced[p.id_number] = style
            line = f.funding(village, period)[0].fund_line
            plants.decoy(
                "E04",
                "person",
                p.id_number,
                f"delivered {style.replace('_', ' ')}; valid once normalized",
                period,
                line,
            )
            break
