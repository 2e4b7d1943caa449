"""The truth: every finding the rules of rules.md must raise on the simulated sources.

The rules are evaluated here, in Python, on what the sources say once every delivery
is in (the last night): the money ledger, the registers as written, the one-card
attempts, the treasury. That makes `truth.csv` exact for the data actually written,
planted or not. What the programs planted is the cross-check: every planted case
must be found, no look-alike may be, and anything found that nobody planted is
reported (it would mean the background is not as clean as it should be).

Reading of rules.md where it leaves a choice (docs/simulator.md lists them):
- a finding is one (rule, subject, period) for rules on a time grain, one (rule,
  subject) otherwise; its amount adds the payments of that period;
- "on the case in that month": joined on or before the month's last day and not left
  before its first day;
- FIFO tracing: payments without a voucher, by pay date, against the line's leaf
  indicators of the district issued on or before it (any fiscal year), by issue date
  then id; a reversal gives back what the payment it undoes drew;
- quartiles are linear (PostgreSQL's percentile_cont).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sunshine.contracts import CATEGORIES, SUPERVISION
from sunshine.simulate.clock import DAY, age_at, month_end, month_start, period_of
from sunshine.simulate.identity import birth_of, is_valid_id
from sunshine.simulate.ledger import Finding, Payment
from sunshine.simulate.state import Sim

PERIOD_RULES = {
    "E01",
    "E02",
    "E03",
    "E04",
    "E05",
    "E06",
    "E07",
    "E08",
    "D01",
    "D02",
    "D04",
    "D05",
    "S01",
    "C01",
    "T03",
    "T04",
}
HOUSEHOLD_UNITS = {"household_month", "household_year"}
DIBAO = {"dibao_urban", "dibao_rural", "tekun"}
BENEFIT_SYSTEMS = {"onecard", "pension", "allowance", "education", "employment"}
EXCLUSIVE = (
    ({"dibao_urban"}, {"dibao_rural"}),
    ({"dibao_urban", "dibao_rural"}, {"tekun"}),
    ({"elderly_80"}, {"elderly_90"}),
    ({"elderly_80"}, {"elderly_100"}),
    ({"elderly_90"}, {"elderly_100"}),
)
COLUMNS = (
    "rule_code",
    "subject_type",
    "subject_key",
    "period",
    "fund_line_code",
    "amount_at_risk",
    "is_decoy",
    "note",
)


def key_of(f: Finding) -> tuple[str, ...]:
    base = (f.rule, f.subject_type, f.subject_key)
    if f.rule in PERIOD_RULES or f.rule == "X01":
        return (*base, f.period, f.fund_line if f.rule == "X01" else "")
    return base


@dataclass
class Truth:
    findings: list[Finding]  # what the rules find (is_decoy False)
    decoys: list[Finding]  # look-alikes that must not alert
    unplanned: list[Finding]  # found, but nobody planted them
    missed: list[Finding]  # planted, but the rules do not find them
    flagged_decoys: list[Finding]  # look-alikes the rules do find (a simulator bug)

    def rows(self) -> list[Finding]:
        return self.findings + self.decoys


class _Facts:
    """The sources' facts, indexed the way the rules join them (normalized numbers)."""

    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        t = sim.timeline
        self.last = t.last_night
        self.person = {p.id_number: p for p in sim.pop.persons}
        self.payroll: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for r in sim.regs.payroll:
            self.payroll[sim.person(r.pid).id_number].append((r.start, r.end))
        self.assets: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
        for v in sim.regs.vehicles:
            if v.kind in ("car", "truck"):
                self.assets[sim.person(v.owner).id_number].append(
                    (f"vehicle {v.plate}", v.registered, v.deregistered)
                )
        for e in sim.regs.enterprises:
            self.assets[sim.person(e.rep).id_number].append(
                (f"enterprise {e.code}", e.registered, e.deregistered)
            )
        self.relations: dict[str, list[tuple[str, str, dt.date, dt.date | None, str]]] = (
            defaultdict(list)
        )
        self.cadre_terms: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for term in sim.regs.cadres:
            village = sim.city.villages[term.village].code
            cadre = sim.person(term.pid).id_number
            self.cadre_terms[cadre].append((term.start, term.end))
            for pid, relation in term.relatives:
                self.relations[sim.person(pid).id_number].append(
                    (cadre, village, term.start, term.end, relation)
                )

    def birth(self, number: str) -> dt.date | None:
        p = self.person.get(number)
        return None if p is None else (p.register_birth or p.birth)

    def village(self, number: str) -> str | None:
        p = self.person.get(number)
        return None if p is None else self.sim.city.villages[p.village].code

    def household(self, number: str) -> str:
        p = self.person.get(number)
        return number if p is None else self.sim.pop.households[p.household].number


def _overlaps(start: dt.date, end: dt.date | None, period: str) -> bool:
    return start <= month_end(period) and (end is None or end >= month_start(period))


class _Findings:
    def __init__(self) -> None:
        self.by_key: dict[tuple[str, ...], Finding] = {}
        self.near: list[tuple[float, Finding]] = []  # look-alikes: (how close, finding)

    def near_miss(
        self,
        margin: float,
        rule: str,
        subject_type: str,
        subject_key: str,
        period: str,
        fund_line: str,
        note: str,
    ) -> None:
        self.near.append(
            (margin, Finding(rule, subject_type, subject_key, period, fund_line, 0, True, note))
        )

    def closest(self, per_rule: int = 2) -> list[Finding]:
        out: list[Finding] = []
        taken: dict[str, int] = defaultdict(int)
        for _margin, f in sorted(self.near, key=lambda mf: (mf[0], mf[1].rule, mf[1].subject_key)):
            if taken[f.rule] < per_rule and key_of(f) not in self.by_key:
                taken[f.rule] += 1
                out.append(f)
        return out

    def add(
        self,
        rule: str,
        subject_type: str,
        subject_key: str,
        period: str,
        fund_line: str,
        amount: int,
        note: str,
        category: str = "",
    ) -> None:
        f = Finding(
            rule, subject_type, subject_key, period, fund_line, amount, False, note, category
        )
        k = key_of(f)
        if k in self.by_key:
            self.by_key[k].amount += amount
        else:
            self.by_key[k] = f


def evaluate(sim: Sim) -> tuple[list[Finding], list[Finding]]:
    """The findings of every rule, and the closest look-alikes of the money rules."""
    facts = _Facts(sim)
    out = _Findings()
    payments = [p for p in sim.ledger]
    household_payments = _dibao_links(sim, payments)
    _eligibility(sim, facts, payments, household_payments, out)
    _duplication(sim, facts, payments, household_payments, out)
    _amounts(sim, facts, payments, household_payments, out)
    _conflicts(sim, facts, payments, out)
    _timeliness(sim, facts, out)
    _budget(sim, out)
    _collective(sim, facts, out)
    _outliers(sim, payments, out)
    return list(out.by_key.values()), out.closest()


# ------------------------------------------------------------------ dibao households


def _dibao_links(sim: Sim, payments: list[Payment]) -> list[tuple[Payment, object, list[str]]]:
    """(payment, case, ids of the members on the case in the period) for household
    payments, linked through the roster on payee, fund line and period."""
    dibao = sim.systems.get("dibao")
    if dibao is None:
        return []
    by_roster = {}
    cases = {c.case_id: c for c in dibao.cases}
    for r in dibao.roster:
        by_roster[(r.payee, r.fund_line.code, r.period)] = cases[r.case_id]
    out = []
    for p in payments:
        if p.system != "onecard" or p.category not in DIBAO:
            continue
        case = by_roster.get((p.person, p.fund_line.code, p.period))
        if case is None:
            continue
        members = [
            sim.person(m.pid).id_number
            for m in case.members
            if _overlaps(m.joined, m.left, p.period)
        ]
        out.append((p, case, members))
    return out


# ------------------------------------------------------------------ eligibility


def _eligibility(
    sim: Sim, facts: _Facts, payments: list[Payment], households, out: _Findings
) -> None:
    insured = {}
    pension = sim.systems.get("pension")
    if pension is not None:
        insured = {i.id_number: i for i in pension.insured}
    for p in payments:
        if p.person is None or p.system not in BENEFIT_SYSTEMS:
            continue
        line = p.fund_line.code
        # E04: the number fails its check, is not registered, or its birth date is not
        # the register's.
        if not is_valid_id(p.person):
            out.add("E04", "person", p.person, p.period, line, p.amount, "check character fails")
            continue
        reg = facts.person.get(p.person)
        if reg is None:
            out.add(
                "E04", "person", p.person, p.period, line, p.amount, "not in the resident register"
            )
            continue
        if reg.register_birth is not None and reg.register_birth != birth_of(p.person):
            out.add(
                "E04",
                "person",
                p.person,
                p.period,
                line,
                p.amount,
                "birth date disagrees with the register",
            )
        # E01: paid for a period after the month of death.
        if reg.death is not None and p.period > period_of(reg.death):
            out.add("E01", "person", p.person, p.period, line, p.amount, f"died {reg.death}")
        birth = facts.birth(p.person)
        category = CATEGORIES[p.category]
        if p.system == "allowance" and p.kind.startswith("elderly"):
            age = age_at(birth, month_end(p.period))
            cat = CATEGORIES[p.kind]
            if (cat.min_age is not None and age < cat.min_age) or (
                cat.max_age is not None and age > cat.max_age
            ):
                out.add(
                    "E03",
                    "person",
                    p.person,
                    p.period,
                    line,
                    p.amount,
                    f"aged {age} in {p.period}, band {cat.min_age}-{cat.max_age or ''}",
                )
        if p.system == "allowance" and p.kind == "disability_care":
            limit = CATEGORIES["disability_care"].max_disability_grade
            if p.grade is not None and limit is not None and p.grade > limit:
                out.add(
                    "E07",
                    "person",
                    p.person,
                    p.period,
                    line,
                    p.amount,
                    f"grade {p.grade} above {limit}",
                )
        if p.system == "pension":
            ins = insured.get(p.person)
            if (
                ins is not None
                and ins.suspended is not None
                and p.period > period_of(ins.suspended)
            ):
                out.add(
                    "E06",
                    "person",
                    p.person,
                    p.period,
                    line,
                    p.amount,
                    f"suspended {ins.suspended} ({ins.reason})",
                )
            age = age_at(birth, month_end(p.period))
            if category.min_age is not None and age < category.min_age:
                out.add(
                    "E08", "person", p.person, p.period, line, p.amount, f"aged {age} in {p.period}"
                )
    for p, case, members in households:
        for member in members:
            for start, end in facts.payroll.get(member, ()):
                if _overlaps(start, end, p.period):
                    out.add(
                        "E02",
                        "person",
                        member,
                        p.period,
                        p.fund_line.code,
                        p.amount,
                        f"member of {case.case_id} on the payroll from {start}",
                    )
                    break
            for what, start, end in facts.assets.get(member, ()):
                if _overlaps(start, end, p.period):
                    out.add(
                        "E05",
                        "person",
                        member,
                        p.period,
                        p.fund_line.code,
                        p.amount,
                        f"member of {case.case_id}, {what}",
                    )
                    break


# ------------------------------------------------------------------ duplication


def _duplication(
    sim: Sim, facts: _Facts, payments: list[Payment], households, out: _Findings
) -> None:
    # D01: one person, category and period, paid in two or more villages.
    villages: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lines: dict[tuple[str, str, str], str] = {}
    for p in payments:
        if p.person is None or p.village is None or p.system not in BENEFIT_SYSTEMS:
            continue
        k = (p.person, p.kind if p.system == "allowance" else p.category, p.period)
        villages[k][p.village] += p.amount
        lines.setdefault(k, p.fund_line.code)
    for (person, _category, period), by_village in villages.items():
        paid = {v: a for v, a in by_village.items() if a > 0}
        if len(paid) >= 2:
            out.add(
                "D01",
                "person",
                person,
                period,
                lines[(person, _category, period)],
                sum(paid.values()) - max(paid.values()),
                f"paid in {', '.join(sorted(paid))}",
            )
    # D02: one person, fund line and period, paid more than once net of reversals.
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for p in payments:
        if p.person is None or p.system not in BENEFIT_SYSTEMS:
            continue
        counts[(p.person, p.fund_line.code, p.period)].append(p.amount)
    for (person, line, period), amounts in counts.items():
        times = sum(1 for a in amounts if a > 0) - sum(1 for a in amounts if a < 0)
        if times >= 2:
            out.add(
                "D02",
                "person",
                person,
                period,
                line,
                sum(amounts) - max(amounts),
                f"paid {times} times",
            )
    # D03: one account receiving for three or more registered households.
    accounts: dict[str, list[Payment]] = defaultdict(list)
    for p in payments:
        if p.account and p.person:
            accounts[p.account].append(p)
    for account, paid in accounts.items():
        homes = {facts.household(p.person) for p in paid}
        if len(homes) >= 3:
            out.add(
                "D03",
                "account",
                account,
                "",
                "",
                sum(p.amount for p in paid),
                f"receives for {len(homes)} households",
            )
    # D04: mutually exclusive benefits of one person in one period.
    got: dict[tuple[str, str], dict[str, tuple[int, str]]] = defaultdict(dict)
    for p, _case, members in households:
        for member in members:
            have = got[(member, p.period)]
            amount = have.get(p.category, (0, ""))[0] + p.amount
            have[p.category] = (amount, p.fund_line.code)
    for p in payments:
        if p.system == "allowance" and p.kind.startswith("elderly") and p.person:
            have = got[(p.person, p.period)]
            have[p.kind] = (have.get(p.kind, (0, ""))[0] + p.amount, p.fund_line.code)
    for (person, period), have in got.items():
        if len(have) < 2:
            continue
        paid = {c: v for c, v in have.items() if v[0] > 0}
        for a, b in EXCLUSIVE:
            left = [c for c in paid if c in a]
            right = [c for c in paid if c in b]
            if left and right:
                amount = min(paid[left[0]][0], paid[right[0]][0])
                out.add(
                    "D04",
                    "person",
                    person,
                    period,
                    paid[right[0]][1],
                    amount,
                    f"{left[0]} and {right[0]} in the same month",
                )
                break
    # D05: a once-per-lifetime subsidy paid twice to one person or enterprise.
    once = {c.code for c in CATEGORIES.values() if c.once_per_lifetime}
    for subject_type, attr in (("person", "person"), ("enterprise", "enterprise")):
        seen: dict[tuple[str, str], list[Payment]] = defaultdict(list)
        for p in sorted(payments, key=lambda p: (p.paid, p.ref)):
            if p.category in once and getattr(p, attr):
                seen[(p.category, getattr(p, attr))].append(p)
        for (_category, subject), paid in seen.items():
            for p in paid[1:]:
                out.add(
                    "D05",
                    subject_type,
                    subject,
                    p.period,
                    p.fund_line.code,
                    p.amount,
                    f"paid {len(paid)} times",
                )


# ------------------------------------------------------------------ amounts


def _amounts(sim: Sim, facts: _Facts, payments: list[Payment], households, out: _Findings) -> None:
    for p, case, members in households:
        if p.amount <= 0:
            continue
        limit = p.fund_line.standard * len(members)
        if p.amount > limit:
            out.add(
                "S01",
                "household",
                case.case_id,
                p.period,
                p.fund_line.code,
                p.amount - limit,
                f"{len(members)} member(s), standard {p.fund_line.standard / 100:.2f}",
            )
    for p in payments:
        if p.amount <= 0 or p.person is None:
            continue
        if p.system in ("allowance", "education") or p.kind in ("welfare_job", "startup_subsidy"):
            standard = p.fund_line.standard
            if standard is not None and p.amount > standard:
                out.add(
                    "S01",
                    "person",
                    p.person,
                    p.period,
                    p.fund_line.code,
                    p.amount - standard,
                    f"paid {p.amount / 100:.2f} against {standard / 100:.2f}",
                )
    # Yearly caps: only the payments past the cap.
    caps = [
        (c.code, int(c.cap_per_household_year * 100), "household")
        for c in CATEGORIES.values()
        if c.cap_per_household_year
    ] + [
        (c.code, int(c.cap_per_person_year * 100), "person")
        for c in CATEGORIES.values()
        if c.cap_per_person_year
    ]
    for category, cap, subject_type in caps:
        running: dict[tuple[str, int], int] = defaultdict(int)
        for p in sorted(
            (p for p in payments if p.category == category), key=lambda p: (p.paid, p.ref)
        ):
            subject = p.household if subject_type == "household" else p.person
            if subject is None:
                continue
            k = (subject, p.paid.year)
            before = running[k]
            running[k] += p.amount
            if running[k] > cap:
                out.add(
                    "S01",
                    subject_type,
                    subject,
                    p.period,
                    p.fund_line.code,
                    running[k] - max(before, cap),
                    f"{p.paid.year} total {running[k] / 100:.2f} past the cap {cap / 100:.2f}",
                )


# ------------------------------------------------------------------ conflicts of interest


def _conflicts(sim: Sim, facts: _Facts, payments: list[Payment], out: _Findings) -> None:
    for p in payments:
        if p.person is None or p.system not in BENEFIT_SYSTEMS or p.amount <= 0:
            continue
        for cadre, village, start, end, relation in facts.relations.get(p.person, ()):
            if not _overlaps(start, end, p.period):
                continue
            if p.village == village or facts.village(p.person) == village:
                out.add(
                    "C01",
                    "person",
                    p.person,
                    p.period,
                    p.fund_line.code,
                    p.amount,
                    f"{relation} of cadre {cadre} of {village}",
                )
                break
    # C03: an account receiving a cadre's own payments and payments for someone else.
    own: set[str] = set()
    for p in payments:
        if (
            p.account
            and p.person
            and any(_overlaps(s, e, p.period) for s, e in facts.cadre_terms.get(p.person, ()))
        ):
            own.add(p.account)
    for_others: dict[str, int] = defaultdict(int)
    owners: dict[str, set[str]] = defaultdict(set)
    for p in payments:
        if p.account in own and p.person:
            owners[p.account].add(p.person)
    for p in payments:
        if (
            p.account in own
            and p.person
            and not any(_overlaps(s, e, p.period) for s, e in facts.cadre_terms.get(p.person, ()))
        ):
            for_others[p.account] += p.amount
    for account, amount in for_others.items():
        out.add(
            "C03",
            "account",
            account,
            "",
            "",
            amount,
            f"receives for {len(owners[account])} people, a cadre among them",
        )


# ------------------------------------------------------------------ timeliness


def _timeliness(sim: Sim, facts: _Facts, out: _Findings) -> None:
    last = sim.timeline.last_night
    bank = sim.systems.get("onecard")
    if bank is not None:
        successes: dict[tuple[str, str, str], list[dt.date]] = defaultdict(list)
        for r in bank.rows:
            if r.status == "成功" and r.amount > 0:
                successes[(r.person, r.fund_line.code, r.period)].append(r.day)
        for r in bank.rows:
            if r.status == "成功":
                continue
            later = [
                d
                for d in successes.get((r.person, r.fund_line.code, r.period), ())
                if r.day < d <= r.day + 30 * DAY
            ]
            if not later and r.day + 30 * DAY < last:
                out.add(
                    "T03",
                    "person",
                    r.person,
                    r.period,
                    r.fund_line.code,
                    r.amount,
                    f"{r.status} on {r.day}, no success within 30 days",
                )
    employment = sim.systems.get("employment")
    if employment is not None:
        for s in employment.subsidies:
            if s.status == "approved" and s.paid is None:
                deadline = s.approved.date() + s.fund_line.deadline_days * DAY
                if deadline < last:
                    p = sim.person(s.pid)
                    out.add(
                        "T04",
                        "person",
                        p.id_number,
                        period_of(s.approved.date()),
                        s.fund_line.code,
                        s.amount,
                        f"approved {s.approved.date()}, due by {deadline}",
                    )


# ------------------------------------------------------------------ budget against payment


def _budget(sim: Sim, out: _Findings) -> None:
    treasury = sim.systems.get("treasury")
    if treasury is None:
        return
    last = sim.timeline.last_night
    funded: dict[int, list[Payment]] = defaultdict(list)
    cited_unknown: dict[str, list[Payment]] = defaultdict(list)
    for p in sim.ledger:
        if p.funding is None:
            continue
        if p.funding.voucher is not None:
            funded[id(p.funding.voucher)].append(p)
        elif p.funding.cited:
            cited_unknown[p.funding.cited].append(p)
    live = [v for v in treasury.vouchers if v.status in ("paid", "pending")]
    # B01, B04
    paid_on: dict[str, int] = defaultdict(int)
    for v in treasury.vouchers:
        if v.status == "paid" and v.indicator is not None and v.unknown_indicator is None:
            paid_on[v.indicator.indicator_id] += v.amount
    for ind in treasury.indicators:
        if paid_on.get(ind.indicator_id, 0) > ind.amount:
            out.add(
                "B01",
                "indicator",
                ind.indicator_id,
                "",
                ind.fund_line.code,
                paid_on[ind.indicator_id] - ind.amount,
                "paid vouchers above the indicator",
            )
        kids = sum(k.amount for k in ind.children if k.status != "withdrawn")
        if ind.children and kids > ind.amount:
            out.add(
                "B04",
                "indicator",
                ind.indicator_id,
                "",
                ind.fund_line.code,
                kids - ind.amount,
                f"{len(ind.children)} children above the parent",
            )
    # B02
    for v in live:
        if v.unknown_indicator is not None or v.indicator is None:
            out.add(
                "B02",
                "voucher",
                v.voucher_no,
                period_of(v.voucher_date),
                v.fund_line.code,
                v.amount,
                "indicator unknown",
            )
        elif v.indicator.status == "withdrawn":
            out.add(
                "B02",
                "voucher",
                v.voucher_no,
                period_of(v.voucher_date),
                v.fund_line.code,
                v.amount,
                f"indicator {v.indicator.indicator_id} withdrawn",
            )
    for number, paid in cited_unknown.items():
        out.add(
            "B02",
            "voucher",
            number,
            period_of(min(p.paid for p in paid)),
            paid[0].fund_line.code,
            sum(p.amount for p in paid),
            "cited by payments, unknown to the treasury",
        )
    # B03, T02
    for v in treasury.vouchers:
        paid = funded.get(id(v), [])
        total = sum(p.amount for p in paid)
        if paid and total > v.amount:
            out.add(
                "B03",
                "voucher",
                v.voucher_no,
                "",
                v.fund_line.code,
                total - v.amount,
                "payments citing it above it",
            )
        if v.status == "paid" and v.payee_type in ("onecard_account", "town_finance"):
            deadline = v.paid_date + v.fund_line.deadline_days * DAY
            if deadline < last and total < v.amount:
                out.add(
                    "T02",
                    "voucher",
                    v.voucher_no,
                    period_of(v.paid_date),
                    v.fund_line.code,
                    v.amount - total,
                    f"paid {v.paid_date}, due by {deadline}",
                )
            elif deadline < last and paid:
                used_up = _completed(paid, v.amount)
                if used_up is not None:
                    margin = (deadline - used_up).days
                    out.near_miss(
                        margin,
                        "T02",
                        "voucher",
                        v.voucher_no,
                        period_of(v.paid_date),
                        v.fund_line.code,
                        f"used in full on {used_up}, {margin} day(s) before its deadline "
                        f"{deadline}",
                    )
    _t01(sim, treasury, funded, out)


def _completed(paid: list[Payment], amount: int) -> dt.date | None:
    """The day the payments (by date) first add up to `amount`."""
    total = 0
    for p in sorted(paid, key=lambda p: (p.paid, p.ref)):
        total += p.amount
        if total >= amount:
            return p.paid
    return None


def _t01(sim: Sim, treasury, funded: dict[int, list[Payment]], out: _Findings) -> None:
    last = sim.timeline.last_night
    leaves = [i for i in treasury.indicators if not i.children and i.status != "withdrawn"]
    events: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for v in treasury.vouchers:
        if v.indicator is None or v.unknown_indicator is not None or v.status != "paid":
            continue
        if v.payee_type == "enterprise":
            events[id(v.indicator)].append((v.paid_date, v.amount))
        elif v.payee_type in ("onecard_account", "town_finance"):
            events[id(v.indicator)].extend((p.paid, p.amount) for p in funded.get(id(v), ()))
    # First issued, first consumed (contracts/README.md, "Where the money reaches
    # people"): a payment citing no voucher draws on its fund line's leaves of its
    # district issued on or before its date, whatever their fiscal year (January may
    # complete last year's leaf), each only up to what its own vouchers left; what finds
    # no leaf with money left stays unlinked. A voucher to a village collective is not
    # itself a payment: the collective's expense lines draw on the leaf instead.
    pools: dict[tuple[str, str], list[Payment]] = defaultdict(list)
    for p in sim.ledger:
        if p.funding is None and p.system != "treasury":
            district = p.village[:6] if p.village else p.fund_line.district.code
            pools[(p.fund_line.code, district)].append(p)
    fifo_leaves: dict[tuple[str, str], list] = defaultdict(list)
    for leaf in leaves:
        fifo_leaves[(leaf.fund_line.code, leaf.fund_line.district.code)].append(leaf)
    slices: dict[int, list[tuple[int, int]]] = defaultdict(list)  # payment -> (leaf, amount)
    for k, paid in pools.items():
        queue = sorted(fifo_leaves.get(k, []), key=lambda i: (i.issued, i.indicator_id))
        room = {
            id(leaf): max(0, leaf.amount - sum(a for _d, a in events.get(id(leaf), ())))
            for leaf in queue
        }
        n = 0
        paid.sort(key=lambda p: (p.paid, p.ref))
        for p in paid:
            amount = p.amount
            while amount > 0 and n < len(queue) and queue[n].issued <= p.paid:
                take = min(amount, room[id(queue[n])])
                if take > 0:
                    events[id(queue[n])].append((p.paid, take))
                    slices[id(p)].append((id(queue[n]), take))
                amount -= take
                room[id(queue[n])] -= take
                if room[id(queue[n])] <= 0:
                    n += 1
    _take_back(pools, slices, events)
    for leaf in leaves:
        deadline = leaf.issued + leaf.fund_line.deadline_days * DAY
        if deadline >= last:
            continue
        reached, done = 0, None
        for day, amount in sorted(events.get(id(leaf), ())):
            reached += amount
            if reached >= leaf.amount:
                # money spent before the leaf was issued completes it on its issue day
                done = max(day, leaf.issued)
                break
        if done is not None and done <= deadline:
            margin = (deadline - done).days
            out.near_miss(
                margin,
                "T01",
                "indicator",
                leaf.indicator_id,
                period_of(leaf.issued),
                leaf.fund_line.code,
                f"disbursed in full on {done}, {margin} day(s) before its deadline {deadline}",
            )
        if done is None:
            delay = (last - deadline).days
            out.add(
                "T01",
                "indicator",
                leaf.indicator_id,
                period_of(leaf.issued),
                leaf.fund_line.code,
                leaf.amount - reached,
                f"{(leaf.amount - reached) / 100:.2f} undisbursed {delay} days after {deadline} "
                f"({SUPERVISION.severity(delay)})",
            )
        elif done > deadline:
            out.add(
                "T01",
                "indicator",
                leaf.indicator_id,
                period_of(leaf.issued),
                leaf.fund_line.code,
                0,
                f"resolved: disbursed in full on {done}, {(done - deadline).days} days late",
            )


def _take_back(
    pools: dict[tuple[str, str], list[Payment]],
    slices: dict[int, list[tuple[int, int]]],
    events: dict[int, list[tuple[dt.date, int]]],
) -> None:
    """A reversal of a payment citing no voucher does not move the queue: the k-th
    reversal of an amount (fund line, beneficiary, period) undoes the k-th payment of it,
    if that was paid no later, and gives back on its own date what that payment drew
    from each leaf (as int_benefit_payments_allocated does)."""
    payments = sorted((p for ps in pools.values() for p in ps), key=lambda p: (p.paid, p.ref))
    reversals = [p for p in payments if p.amount < 0]
    if not reversals:
        return
    undoable: dict[tuple, list[Payment]] = defaultdict(list)
    for p in payments:
        if p.amount > 0:
            undoable[(p.fund_line.code, _beneficiary(p), p.period, p.amount)].append(p)
    seen: dict[tuple, int] = defaultdict(int)
    for r in reversals:
        key = (r.fund_line.code, _beneficiary(r), r.period, -r.amount)
        seen[key] += 1
        originals = undoable.get(key, [])
        if len(originals) < seen[key] or originals[seen[key] - 1].paid > r.paid:
            continue
        for leaf, amount in slices.get(id(originals[seen[key] - 1]), ()):
            events[leaf].append((r.paid, -amount))


# ------------------------------------------------------------------ rural collective


def _collective(sim: Sim, facts: _Facts, out: _Findings) -> None:
    collective = sim.systems.get("collective")
    if collective is None:
        return
    small = 1_000_000
    groups: dict[str, list] = defaultdict(list)
    for e in collective.entries:
        if e.direction != "支出":
            continue
        key = f"{e.village.code}/{e.voucher_no}"
        if e.status == "已审批" and (e.attachments == 0 or not e.approver):
            out.add(
                "K01",
                "collective_entry",
                key,
                e.period,
                e.fund_line.code if e.fund_line else "",
                e.amount,
                "no attachment" if e.attachments == 0 else "no approver",
            )
        handler = sim.person(e.handler).id_number
        if e.payee_key:
            if e.payee_key == handler:
                out.add(
                    "C02",
                    "collective_entry",
                    key,
                    e.period,
                    e.fund_line.code if e.fund_line else "",
                    e.amount,
                    "payee is the handler",
                )
            else:
                for cadre, _village, _s, _e, relation in facts.relations.get(e.payee_key, ()):
                    if cadre == handler:
                        out.add(
                            "C02",
                            "collective_entry",
                            key,
                            e.period,
                            e.fund_line.code if e.fund_line else "",
                            e.amount,
                            f"payee is the handler's {relation}",
                        )
                        break
            if e.amount < small:
                groups[e.payee_key].append(e)
    for payee, entries in groups.items():
        entries.sort(key=lambda e: (e.day, e.voucher_no))
        i = 0
        while i < len(entries):
            window = [e for e in entries[i:] if (e.day - entries[i].day).days <= 30]
            if len(window) >= 3 and sum(e.amount for e in window) > small:
                first = window[0]
                out.add(
                    "K02",
                    "collective_entry",
                    f"{first.village.code}/{first.voucher_no}",
                    first.period,
                    "",
                    sum(e.amount for e in window),
                    f"{len(window)} payments to {payee} within 30 days",
                )
                i += len(window)
            else:
                i += 1


# ------------------------------------------------------------------ statistics


def _beneficiary(p: Payment) -> str | None:
    unit = CATEGORIES[p.category].unit
    if unit in HOUSEHOLD_UNITS:
        return p.household or p.person or p.payee_key
    return p.person or p.payee_key or p.household


def village_ratios(
    sim: Sim, payments: Iterable[Payment]
) -> dict[tuple[int, str, str], dict[str, tuple[int, int, str]]]:
    """(year, category, district) -> village -> (amount, beneficiaries, a fund line)."""
    amounts: dict[tuple[int, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[tuple[int, str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    line_of: dict[tuple[int, str, str], str] = {}
    for p in payments:
        if p.village is None:
            continue
        who = _beneficiary(p)
        if who is None:
            continue
        k = (p.paid.year, p.category, p.village[:6])
        amounts[k][p.village] += p.amount
        people[k][p.village].add(who)
        line_of.setdefault(k, p.fund_line.code)
    return {
        k: {v: (a, len(people[k][v]), line_of[k]) for v, a in by_village.items() if people[k][v]}
        for k, by_village in amounts.items()
    }


def _outliers(sim: Sim, payments: list[Payment], out: _Findings) -> None:
    for (year, category, _district), by_village in sorted(village_ratios(sim, payments).items()):
        if len(by_village) < 4:
            continue
        ratios = np.array([a / n for a, n, _ in by_village.values()])
        q1, q3 = np.percentile(ratios, [25, 75])
        iqr = q3 - q1
        if iqr <= 0:
            continue
        fence = q3 + 1.5 * iqr
        top, (amount, n, line) = max(
            by_village.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])
        )
        if len(by_village) < 8:
            if amount / n >= fence:
                out.near_miss(
                    0,
                    "X01",
                    "village",
                    top,
                    str(year),
                    line,
                    f"{category}: {amount / n / 100:.2f} per beneficiary is past the fence "
                    f"{fence / 100:.2f}, but the district has only {len(by_village)} villages",
                )
            continue
        if amount / n < fence:
            out.near_miss(
                (fence - amount / n) / fence,
                "X01",
                "village",
                top,
                str(year),
                line,
                f"{category}: {amount / n / 100:.2f} per beneficiary, the district's highest, "
                f"below the fence {fence / 100:.2f}",
            )
        for village, (amount, n, line) in sorted(by_village.items()):
            if amount / n >= fence:
                out.add(
                    "X01",
                    "village",
                    village,
                    str(year),
                    line,
                    round((amount / n - fence) * n),
                    f"{category}: {amount / n / 100:.2f} per beneficiary, fence {fence / 100:.2f}",
                    category,
                )


# ------------------------------------------------------------------ the truth


def natural_decoys(sim: Sim, findings: set[tuple[str, ...]]) -> list[Finding]:
    """Look-alikes the background already holds: a few per rule, found by their shape."""
    out: list[Finding] = []
    facts = _Facts(sim)
    seen: dict[str, int] = defaultdict(int)

    def add(rule: str, subject: str, period: str, line: str, note: str) -> None:
        f = Finding(rule, "person", subject, period, line, 0, True, note)
        if seen[rule] < 2 and key_of(f) not in findings:
            seen[rule] += 1
            out.append(f)

    for p in sim.ledger:
        if p.person is None or p.system not in BENEFIT_SYSTEMS or p.amount <= 0:
            continue
        reg = facts.person.get(p.person)
        if reg is None:
            continue
        if reg.death is not None and period_of(reg.death) == p.period:
            add(
                "E01",
                p.person,
                p.period,
                p.fund_line.code,
                f"died {reg.death}, paid for the month of death",
            )
        birth = facts.birth(p.person)
        if (
            p.kind == "elderly_80"
            and age_at(birth, month_end(p.period)) == 80
            and age_at(birth, month_start(p.period)) == 79
            and month_end(p.period).day - birth.day <= 3
        ):
            add(
                "E03",
                p.person,
                p.period,
                p.fund_line.code,
                f"born {birth}: turns 80 in the paid month",
            )
        if (
            p.system == "pension"
            and age_at(birth, month_end(p.period)) == 60
            and age_at(birth, month_start(p.period)) == 59
        ):
            add(
                "E08",
                p.person,
                p.period,
                p.fund_line.code,
                f"born {birth}: turns 60 in the paid month",
            )
    return out


def _outliers_raised_by_plants(sim: Sim) -> dict[tuple[str, str, str], set[str]]:
    """(village, year, category) -> planted subjects paid there: an X01 of such a
    village is the planted cases' doing (a cascade), not the background's."""
    subjects = {f.subject_key for f in sim.plants.rows if f.rule != "X01"} | sim.plants.households
    out: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for p in sim.ledger:
        if p.village is None:
            continue
        for who in (p.person, p.household):
            if who is not None and who in subjects:
                out[(p.village, str(p.paid.year), p.category)].add(who)
    return out


def build_truth(sim: Sim) -> Truth:
    found, near = evaluate(sim)
    found_keys = {key_of(f): f for f in found}
    planted = {key_of(f): f for f in sim.plants.rows if not f.decoy}
    decoys = [f for f in sim.plants.rows if f.decoy]
    flagged = [d for d in decoys if key_of(d) in found_keys]
    decoys = [d for d in decoys if key_of(d) not in found_keys]
    decoys += natural_decoys(sim, set(found_keys)) + near
    missed = [f for k, f in planted.items() if k not in found_keys]
    unplanned = []
    raised_by = _outliers_raised_by_plants(sim)
    for k, f in found_keys.items():
        if k in planted:
            f.note = planted[k].note
        elif f.rule == "X01" and (f.subject_key, f.period, f.category) in raised_by:
            subjects = raised_by[(f.subject_key, f.period, f.category)]
            f.note = f"{f.note}; raised by the planted cases of {', '.join(sorted(subjects)[:3])}"
        else:
            unplanned.append(f)
            f.note = f"not planted: {f.note}"
    found.sort(key=lambda f: (f.rule, f.subject_key, f.period, f.fund_line))
    decoys.sort(key=lambda f: (f.rule, f.subject_key, f.period))
    return Truth(found, decoys, unplanned, missed, flagged)


def write_truth(truth: Truth, path: Path) -> Path:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for f in truth.rows():
            writer.writerow(
                (
                    f.rule,
                    f.subject_type,
                    f.subject_key,
                    f.period,
                    f.fund_line,
                    f"{f.amount / 100:.2f}",
                    "true" if f.decoy else "false",
                    f.note,
                )
            )
    temporary.replace(path)
    return path
