"""budget and treasury, fitted to the money that reached people.

Indicators and vouchers are built after the benefits, from the ledger: every voucher
is the money its payments cite (or, for lines whose payments cite none, the month's
transfer to the paying agency), every leaf indicator the money its vouchers or its
month's payments took, issued early enough that it was disbursed in full before its
deadline. Above each district's leaves stands the chain of upper-level indicators
(central -> provincial -> municipal) the money was split from. Then the planted
budget irregularities bend this balanced picture in exactly known places.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from sunshine.simulate.clock import (
    DAY,
    month_start,
    office_stamp,
    period_of,
)
from sunshine.simulate.funds import CENTRAL, FundLine
from sunshine.simulate.ledger import Funding, Payment
from sunshine.simulate.planting import RATES, pick
from sunshine.simulate.state import Sim

LEVELS = ("central", "provincial", "municipal", "district")
DOC_PREFIX = {"central": "财", "provincial": "苏财", "municipal": "宁财"}
DOC_KIND = {
    "farmland_subsidy": "农",
    "collective_aid": "农",
    "poverty_relief": "农",
    "yulu_plan": "教",
    "student_grant": "教",
    "market_award": "商",
}
AGENCY_PAYEE = {
    "pension_basic": "社会保险事业管理中心",
    "elderly_80": "民政局",
    "elderly_90": "民政局",
    "elderly_100": "民政局",
    "disability_living": "残疾人联合会",
    "disability_care": "残疾人联合会",
    "yulu_plan": "教育局学生资助管理中心",
    "student_grant": "教育局学生资助管理中心",
    "training_subsidy": "就业服务管理中心",
    "startup_subsidy": "就业服务管理中心",
    "welfare_job": "就业服务管理中心",
    "poverty_relief": "乡村振兴局",
}


@dataclass(slots=True, eq=False)
class Indicator:
    parent: Indicator | None
    fund_line: FundLine
    year: int
    level: str
    issued: dt.date
    amount: int
    status: str = "active"
    changed: dt.datetime | None = None
    label: str = ""
    indicator_id: str = ""
    document_no: str = ""
    children: list[Indicator] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Voucher:
    indicator: Indicator | None
    fund_line: FundLine
    payee_type: str
    payee_name: str
    payee_account: str
    payee_code: str | None
    amount: int
    voucher_date: dt.date
    paid_date: dt.date | None
    status: str
    changed: dt.datetime
    label: str
    voucher_no: str = ""
    unknown_indicator: str | None = None  # planted: cites an indicator that does not exist
    funding: Funding | None = None


@dataclass
class Treasury:
    indicators: list[Indicator]
    vouchers: list[Voucher]
    problems: list[str]


class _Fitter:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rng = sim.rng("treasury")
        self.indicators: list[Indicator] = []
        self.vouchers: list[Voucher] = []
        self.problems: list[str] = []
        self.chains: dict[tuple[str, int], Indicator] = {}
        # district code -> the day its budget and treasury went live (variant only)
        self.live: dict[str, dt.date] = {}

    def live_from(self, line: FundLine) -> dt.date | None:
        return self.live.get(line.district.code)

    def leaf(
        self, line: FundLine, year: int, issued: dt.date, amount: int, label: str
    ) -> Indicator:
        leaf = Indicator(None, line, year, "district", issued, amount, label=label)
        self.indicators.append(leaf)
        return leaf

    def voucher(
        self,
        leaf: Indicator | None,
        line: FundLine,
        payee: tuple[str, str, str, str | None],
        amount: int,
        day: dt.date,
        label: str,
        funding: Funding | None = None,
    ) -> Voucher:
        t, rng = self.sim.timeline, self.rng
        paid = t.add_banking_days(day, 1)
        status = "paid" if paid <= t.last_night else "pending"
        v = Voucher(
            leaf,
            line,
            *payee,
            amount,
            day,
            paid if status == "paid" else None,
            status,
            office_stamp(paid if status == "paid" else day, rng),
            label,
            funding=funding,
        )
        self.vouchers.append(v)
        return v


def build_treasury(sim: Sim) -> Treasury:
    f = _Fitter(sim)
    _go_live(f)
    _awards(f)
    _vouchered(f)
    _fifo(f)
    _plant(f)
    _chains(f)
    _number(f)
    treasury = Treasury(f.indicators, f.vouchers, f.problems)
    sim.systems["treasury"] = treasury
    return treasury


# ----------------------------------------------------------------- go-live


def _go_live(f: _Fitter) -> None:
    """One district's budget and treasury went live on a day of its first spring.

    The money it paid before cites no voucher and no indicator was issued for it: those
    payments are unlinked in the trace, not alerts. The day is moved past the last
    payment of any funding (batch) begun before it, so that no batch straddles it: every
    payment citing no voucher is older than every indicator and voucher of the district.
    """
    sim, t = f.sim, f.sim.timeline
    if not sim.variant.late_treasury:
        return
    rng = sim.rng("variant/go-live")
    district = rng.choice(sim.city.districts)
    live = dt.date(t.first_day.year, rng.randint(2, 3), 1)
    spans: dict[int, list[Payment]] = {}
    for p in sim.ledger:
        if p.funding is not None and p.funding.fund_line.district is district:
            spans.setdefault(id(p.funding), []).append(p)
    while True:
        before = [ps for ps in spans.values() if min(p.paid for p in ps) < live]
        edge = max((p.paid for ps in before for p in ps), default=live - DAY)
        if edge < live:
            break
        live = edge + DAY
    for payments in before:
        for p in payments:
            p.funding = None  # its rows keep their Funding, whose cited stays None
    f.live[district.code] = live


# ----------------------------------------------------------------- market awards


def _awards(f: _Fitter) -> None:
    """Star-rated market awards: vouchers straight to the markets' companies."""
    sim, rng, t = f.sim, f.sim.rng("treasury/awards"), f.sim.timeline
    markets: dict[int, list] = {}
    for e in sim.regs.enterprises:
        if e.kind == "market":
            markets.setdefault(e.district.idx, []).append(e)
    for district in sim.city.districts:
        line = sim.funds.line(district, "market_award")
        for year in t.years:
            for batch in range(rng.randint(1, 2)):
                low = max(dt.date(year, 3, 1), t.first_day, f.live_from(line) or t.first_day)
                high = min(dt.date(year, 11, 30), t.last_night - 5 * DAY)
                if low >= high:
                    continue
                issued = t.banking_on_or_after(t.random_day(rng, low, high))
                if issued > t.last_night:
                    continue
                winners = pick(rng, markets.get(district.idx, []), rng.randint(1, 2))
                if not winners:
                    continue
                amounts = [rng.randrange(5, 30) * 1_000_000 for _ in winners]
                leaf = f.leaf(
                    line, year, issued, sum(amounts), f"award-{district.code}-{year}-{batch}"
                )
                leaf.changed = office_stamp(issued, rng)
                for e, amount in zip(winners, amounts, strict=True):
                    day = t.banking_on_or_after(issued + rng.randint(5, 40) * DAY)
                    if day > t.last_night:
                        leaf.amount -= amount  # not yet decided: the indicator waits
                        continue
                    account = sim.accounts.new()
                    v = f.voucher(
                        leaf,
                        line,
                        ("enterprise", e.name, account[1], e.code),
                        amount,
                        day,
                        f"{leaf.label}-{e.code}",
                    )
                    if v.status == "paid":
                        _award_payment(sim, v, e.code)
                if leaf.amount <= 0:
                    f.indicators.remove(leaf)


def _award_payment(sim: Sim, v: Voucher, code: str) -> None:
    sim.ledger.append(
        Payment(
            "treasury",
            v.fund_line,
            None,
            None,
            None,
            period_of(v.paid_date),
            v.amount,
            v.paid_date,
            v.payee_account,
            ref=f"treasury:{v.label}",
            enterprise=code,
        )
    )


# ----------------------------------------------------------------- vouchered lines


def _vouchered(f: _Fitter) -> None:
    """Payments that cite a voucher: one voucher per funding, one leaf per line and month."""
    sim, rng, t = f.sim, f.rng, f.sim.timeline
    spans: dict[int, list] = {}  # id(funding) -> [funding, net, first, last]
    for p in sim.ledger:
        if p.funding is None:
            continue
        span = spans.get(id(p.funding))
        if span is None:
            spans[id(p.funding)] = [p.funding, p.amount, p.paid, p.paid]
        else:
            span[1] += p.amount
            span[2] = min(span[2], p.paid)
            span[3] = max(span[3], p.paid)
    groups: dict[tuple[str, int, str], list] = {}
    for span in sorted(spans.values(), key=lambda s: (s[2], s[0].label)):
        funding, net, first, _last = span
        if net <= 0:
            continue
        groups.setdefault((funding.fund_line.code, first.year, period_of(first)), []).append(span)
    for (_code, year, period), spans_ in groups.items():
        line = spans_[0][0].fund_line
        first = min(s[2] for s in spans_)
        last = max(s[3] for s in spans_)
        day = t.banking_on_or_before(first - rng.randint(2, 4) * DAY)
        issued = min(month_start(period), day) if month_start(period) <= day else day - DAY
        live = f.live_from(line)
        if live is not None and issued < live:
            issued = live  # nothing in the budget before it went live (first >= live)
        if last > issued + line.deadline_days * DAY:
            f.problems.append(f"{line.code} {period}: payments end {last}, after the deadline")
        leaf = f.leaf(line, year, issued, sum(s[1] for s in spans_), f"{period}-{line.code}")
        leaf.changed = office_stamp(issued, rng)
        for funding, net, first_, _ in spans_:
            v = f.voucher(
                leaf,
                line,
                (funding.payee_type, funding.payee_name, funding.payee_account, funding.payee_code),
                net,
                t.banking_on_or_before(first_ - rng.randint(1, 3) * DAY),
                funding.label,
                funding,
            )
            if v.voucher_date < issued:
                v.voucher_date = issued
            funding.voucher = v


# ----------------------------------------------------------------- lines traced FIFO


def _fifo(f: _Fitter) -> None:
    """Lines whose payments cite no voucher: a leaf per month, paid to the agency.

    A variant may issue a month's leaf after its first payments (they stay unlinked, so
    the leaf holds only what was paid from its issue day on), or let January's spending
    first complete a leaf of the year before (January's own leaf holds the rest)."""
    sim, rng, t = f.sim, f.rng, f.sim.timeline
    early = sim.rng("variant/early-payments")
    share = sim.variant.early_payments
    months: dict[tuple[str, int, str], list[Payment]] = {}
    lines: dict[str, FundLine] = {}
    for p in sim.ledger:
        if p.funding is not None or p.system == "treasury":
            continue
        live = f.live_from(p.fund_line)
        if live is not None and p.paid < live:
            continue  # paid before the budget and treasury went live: unlinked
        if p.fund_line.traced_by_voucher and p.system == "onecard":
            f.problems.append(f"onecard payment without funding: {p.ref}")
            continue
        months.setdefault((p.fund_line.code, p.paid.year, period_of(p.paid)), []).append(p)
        lines[p.fund_line.code] = p.fund_line
    carried = _last_year_leaves(f, months, lines)
    for (code, year, period), payments in sorted(months.items()):
        line = lines[code]
        issued = month_start(period)
        live = f.live_from(line)
        if live is not None:
            issued = max(issued, live)
        if (
            share > 0
            and period != t.periods[0]
            and (live is None or period > period_of(live))
            and early.random() < share
        ):
            days = sorted({p.paid for p in payments})
            if len(days) >= 2:
                issued = early.choice(days[1:])
                payments = [p for p in payments if p.paid >= issued]
        total = sum(p.amount for p in payments) - carried.get((code, year, period), 0)
        if total <= 0:
            continue
        leaf = f.leaf(line, year, issued, total, f"{period}-{code}")
        leaf.changed = office_stamp(issued, rng)
        if line.kind == "collective_aid":
            by_village: dict[str, int] = {}
            for p in payments:
                by_village[p.village] = by_village.get(p.village, 0) + p.amount
            for village_code, amount in by_village.items():
                village = next(v for v in sim.city.villages if v.code == village_code)
                f.voucher(
                    leaf,
                    line,
                    (
                        "village_collective",
                        f"{village.town.name}{village.name}村民委员会",
                        f"3201{village_code[4:]}{int(village_code) % 97:02d}",
                        village_code,
                    ),
                    amount,
                    issued,
                    f"{leaf.label}-{village_code}",
                )
        else:
            _agency_voucher(f, leaf, total)


def _agency_voucher(f: _Fitter, leaf: Indicator, amount: int) -> Voucher:
    """The month's transfer of a voucher-less line's money to its paying agency."""
    line = leaf.fund_line
    name = f"南京市{line.district.name}{AGENCY_PAYEE[line.kind]}"
    return f.voucher(
        leaf,
        line,
        ("agency", name, _agency_account(line.district.code, line.kind), None),
        amount,
        leaf.issued,
        leaf.label,
    )


def _last_year_leaves(
    f: _Fitter, months: dict[tuple[str, int, str], list[Payment]], lines: dict[str, FundLine]
) -> dict[tuple[str, int, str], int]:
    """Leaves of the year before the timeline, issued in December and completed by the
    first January payments of their line (the contract: "January spending may complete
    last year's indicator inside its deadline"). Returns what each January leaf leaves
    to them. Issued early enough that January's payments complete them in time."""
    sim, t = f.sim, f.sim.timeline
    share = sim.variant.last_year_leaves
    first = t.periods[0]
    if share <= 0 or not first.endswith("01"):
        return {}
    rng = sim.rng("variant/last-year-leaves")
    year = int(first[:4])
    taken: dict[tuple[str, int, str], int] = {}
    for key, payments in sorted(months.items()):
        code, _year, period = key
        line = lines[code]
        if period != first or line.kind == "collective_aid" or f.live_from(line) is not None:
            continue
        if rng.random() >= share:
            continue
        total = sum(p.amount for p in payments)
        target = int(total * rng.uniform(0.2, 0.6))
        reached, done = 0, None
        for p in sorted(payments, key=lambda p: (p.paid, p.ref)):
            reached += max(p.amount, 0)
            if reached >= target:
                done = p.paid
                break
        if done is None or target <= 0:
            continue
        days = line.deadline_days
        latest = done - (days - rng.randint(5, 12)) * DAY
        issued = t.banking_on_or_before(min(dt.date(year - 1, 12, 31), latest))
        if issued + days * DAY < done + 2 * DAY:
            continue  # January's payments would complete it only after its deadline
        leaf = f.leaf(line, year - 1, issued, target, f"{year - 1}12-{code}")
        leaf.changed = office_stamp(issued, rng)
        _agency_voucher(f, leaf, target)
        taken[key] = target
    return taken


def _agency_account(district: str, kind: str) -> str:
    """The paying agency's bank account: fixed per district and category."""
    return f"32010{district[4:]}{len(kind):02d}{sum(map(ord, kind)) % 100000:05d}00"


# ----------------------------------------------------------------- upper levels


def _chains(f: _Fitter) -> None:
    rng, t = f.sim.rng("treasury/chains"), f.sim.timeline
    leaves: dict[tuple[str, int], list[Indicator]] = {}
    for ind in list(f.indicators):
        leaves.setdefault((ind.fund_line.code, ind.year), []).append(ind)
    for (code, year), kids in sorted(leaves.items()):
        line = kids[0].fund_line
        months = sum(1 for p in t.periods if p.startswith(str(year)))
        total = sum(k.amount for k in kids)  # withdrawn ones too, however B04 reads them
        planned = (
            math.ceil(total * 12 / max(months, 1) * rng.uniform(1.05, 1.15) / 1_000_000) * 1_000_000
        )
        levels = ("central", "provincial", "municipal") if line.kind in CENTRAL else ("municipal",)
        issued = dt.date(year - 1, 11, rng.randint(20, 30))
        parent = None
        for level in levels:
            ind = Indicator(
                parent, line, year, level, issued, planned, label=f"{year}-{code}-{level}"
            )
            ind.changed = office_stamp(issued, rng)
            f.indicators.append(ind)
            if parent is not None:
                parent.children.append(ind)
            parent = ind
            issued = issued + rng.randint(3, 8) * DAY
        for kid in kids:
            kid.parent = parent
            parent.children.append(kid)
        f.chains[(code, year)] = parent
        if rng.random() < 0.1:
            # A supplementary allocation raised the upper levels mid-year, top down.
            day = min(t.last_night, dt.date(year, rng.randint(5, 9), rng.randint(1, 28)))
            extra = rng.randrange(1, 10) * 1_000_000
            level = parent
            while level is not None and day > level.issued:
                level.amount += extra
                level.status, level.changed = "adjusted", office_stamp(day, rng)
                level = level.parent
    # Plants on the split itself (B04 and its look-alike) need the chains.
    _plant_splits(f)


def _plant_splits(f: _Fitter) -> None:
    sim, rng, plants, t = f.sim, f.sim.rng("treasury/splits"), f.sim.plants, f.sim.timeline
    chains = [
        c
        for c in f.chains.values()
        if len(c.children) >= 2 and all(k.status != "withdrawn" for k in c.children)
    ]
    if not chains:
        return
    chosen = pick(rng, chains, sim.count("B04", len(chains), RATES["B04"]) + 1)
    for n, parent in enumerate(chosen):
        kids = sum(k.amount for k in parent.children if k.status != "withdrawn")
        last_kid = max(k.issued for k in parent.children)
        day = min(t.last_night, last_kid + rng.randint(1, 10) * DAY)
        parent.status, parent.changed = "adjusted", office_stamp(day, rng)
        if n == 0:
            parent.amount = kids
            plants.decoy(
                "B04",
                "indicator",
                parent.label,
                "children add up to exactly the adjusted parent",
                "",
                parent.fund_line,
            )
            continue
        excess = rng.randrange(5, 50) * 1_000_000
        parent.amount = max(100, kids - excess)
        plants.case(
            "B04",
            "indicator",
            parent.label,
            "parent adjusted down below what its district indicators already split",
            "",
            parent.fund_line,
            kids - parent.amount,
        )


# ----------------------------------------------------------------- planting


def _plant(f: _Fitter) -> None:
    sim, rng, plants, t = f.sim, f.sim.rng("treasury/plant"), f.sim.plants, f.sim.timeline
    leaves = [i for i in f.indicators if i.level == "district"]
    by_leaf: dict[int, list[Voucher]] = {}
    for v in f.vouchers:
        if v.indicator is not None:
            by_leaf.setdefault(id(v.indicator), []).append(v)
    mature = [
        leaf
        for leaf in leaves
        if leaf.fund_line.traced_by_voucher
        and leaf.issued + (leaf.fund_line.deadline_days + 15) * DAY < t.last_night
        and by_leaf.get(id(leaf))
        and all(v.status == "paid" for v in by_leaf[id(leaf)])
    ]
    rng.shuffle(mature)
    used: set[int] = set()

    def take(accept=lambda leaf: True) -> Indicator | None:
        for leaf in mature:
            if id(leaf) not in used and accept(leaf):
                used.add(id(leaf))
                return leaf
        return None

    base = len(leaves)
    # T01 look-alike: an award paid on the last day of its deadline.
    award = take(lambda leaf: leaf.fund_line.kind == "market_award" and len(by_leaf[id(leaf)]) == 1)
    if award is not None:
        v = by_leaf[id(award)][0]
        deadline = award.issued + award.fund_line.deadline_days * DAY
        paid = t.banking_on_or_before(deadline)
        v.voucher_date, v.paid_date, v.changed = paid, paid, office_stamp(paid, rng)
        for p in sim.ledger:
            if p.ref == f"treasury:{v.label}":
                p.paid, p.period = paid, period_of(paid)
        plants.decoy(
            "T01",
            "indicator",
            award.label,
            f"paid out in full on {paid}, the last day of its deadline",
            period_of(award.issued),
            award.fund_line,
        )

    # B02 look-alike: a voucher on an adjusted (not withdrawn) indicator; B01 look-alike:
    # a voucher returned and issued again.
    leaf = take()
    if leaf is not None:
        leaf.amount += 200_000
        leaf.status, leaf.changed = "adjusted", office_stamp(leaf.issued + 2 * DAY, rng)
        leaf.amount -= 200_000
        v = by_leaf[id(leaf)][0]
        plants.decoy(
            "B02",
            "voucher",
            v.label,
            "on an indicator that was adjusted, not withdrawn",
            period_of(v.voucher_date),
            v.fund_line,
        )
    award = take(lambda leaf: leaf.fund_line.kind == "market_award")
    if award is not None:
        v = by_leaf[id(award)][0]
        back = t.add_banking_days(v.paid_date, 3)
        again = t.add_banking_days(back, 2)
        if again <= t.last_night:
            returned = Voucher(
                award,
                v.fund_line,
                v.payee_type,
                v.payee_name,
                "62" + v.payee_account[2:],
                v.payee_code,
                v.amount,
                v.voucher_date,
                v.paid_date,
                "returned",
                office_stamp(back, rng),
                v.label + "-r",
            )
            f.vouchers.append(returned)
            v.voucher_date, v.paid_date, v.changed = (
                again,
                t.add_banking_days(again, 1),
                office_stamp(t.add_banking_days(again, 1), rng),
            )
            if v.paid_date > t.last_night:
                v.paid_date, v.status = None, "pending"
            for p in sim.ledger:
                if p.ref == f"treasury:{v.label}":
                    if v.paid_date is None:
                        sim.ledger.remove(p)
                    else:
                        p.paid, p.period = v.paid_date, period_of(v.paid_date)
                    break
            plants.decoy(
                "B01",
                "indicator",
                award.label,
                "a returned voucher and its reissue: only the paid one counts",
                period_of(award.issued),
                award.fund_line,
            )
    # T01: money on the indicator that was never paid out.
    for _ in range(sim.count("T01", base, RATES["T01"])):
        leaf = take()
        if leaf is None:
            break
        rest = rng.randrange(2, 30) * 100_000
        leaf.amount += rest
        plants.case(
            "T01",
            "indicator",
            leaf.label,
            f"{rest / 100:.2f} of the indicator never paid out",
            period_of(leaf.issued),
            leaf.fund_line,
            rest,
        )
    # T02: a voucher to the one-card account or town finance with money left idle (and
    # so its indicator is short too: T01).
    for _ in range(sim.count("T02", len(f.vouchers), RATES["T02"])):
        leaf = take(
            lambda leaf: any(
                v.payee_type in ("onecard_account", "town_finance") for v in by_leaf[id(leaf)]
            )
        )
        if leaf is None:
            break
        v = next(
            v for v in by_leaf[id(leaf)] if v.payee_type in ("onecard_account", "town_finance")
        )
        idle = rng.randrange(1, 20) * 100_000
        v.amount += idle
        leaf.amount += idle
        plants.case(
            "T02",
            "voucher",
            v.label,
            f"{idle / 100:.2f} of the voucher still on the {v.payee_type} account",
            period_of(v.paid_date),
            v.fund_line,
            idle,
        )
        plants.case(
            "T01",
            "indicator",
            leaf.label,
            f"the idle {idle / 100:.2f} of voucher {v.label} never reached households",
            period_of(leaf.issued),
            leaf.fund_line,
            idle,
        )

    # B01: an indicator adjusted down after its vouchers were paid.
    for _ in range(sim.count("B01", base, RATES["B01"])):
        leaf = take()
        if leaf is None:
            break
        cut = rng.randrange(1, 10) * 100_000
        if cut >= leaf.amount:
            continue
        leaf.amount -= cut
        last_paid = max(v.paid_date for v in by_leaf[id(leaf)])
        leaf.status, leaf.changed = (
            "adjusted",
            office_stamp(min(t.last_night, last_paid + rng.randint(3, 20) * DAY), rng),
        )
        plants.case(
            "B01",
            "indicator",
            leaf.label,
            f"adjusted down by {cut / 100:.2f} after its vouchers were paid",
            period_of(leaf.issued),
            leaf.fund_line,
            cut,
        )

    # B03: payments citing a voucher above its amount (a back-payment batch cited it).
    for _ in range(sim.count("B03", len(f.vouchers), RATES["B03"])):
        leaf = take(lambda leaf: any(v.payee_type == "onecard_account" for v in by_leaf[id(leaf)]))
        if leaf is None:
            break
        v = next(v for v in by_leaf[id(leaf)] if v.payee_type == "onecard_account")
        over = min(v.amount // 3, rng.randrange(1, 20) * 50_000)
        v.amount -= over
        leaf.amount -= over
        plants.case(
            "B03",
            "voucher",
            v.label,
            f"payments citing it exceed it by {over / 100:.2f}",
            period_of(v.paid_date),
            v.fund_line,
            over,
        )

    # B02: a voucher on a withdrawn indicator; payments citing a voucher the treasury
    # never issued; a voucher on an indicator id that does not exist.
    for n in range(sim.count("B02", len(f.vouchers), RATES["B02"]) + 1):
        kind = n % 3
        if kind == 0:
            leaf = take(lambda leaf: leaf.fund_line.kind != "market_award")
            if leaf is None:
                continue
            last_paid = max(v.paid_date for v in by_leaf[id(leaf)])
            leaf.status, leaf.changed = (
                "withdrawn",
                office_stamp(min(t.last_night, last_paid + rng.randint(5, 30) * DAY), rng),
            )
            for v in by_leaf[id(leaf)]:
                plants.case(
                    "B02",
                    "voucher",
                    v.label,
                    "voucher on an indicator that was withdrawn",
                    period_of(v.paid_date),
                    v.fund_line,
                    v.amount,
                )
        elif kind == 1:
            leaf = take(lambda leaf: any(v.funding is not None for v in by_leaf[id(leaf)]))
            if leaf is None:
                continue
            v = next(v for v in by_leaf[id(leaf)] if v.funding is not None)
            f.vouchers.remove(v)
            by_leaf[id(leaf)].remove(v)
            leaf.amount -= v.amount
            v.funding.voucher = None
            v.funding.cited = sim.variant.unknown_voucher_no(v.voucher_date, n)
            plants.case(
                "B02",
                "voucher",
                v.funding.cited,
                "household payments cite a voucher number the treasury never issued",
                period_of(v.voucher_date),
                v.fund_line,
                v.amount,
            )
            if leaf.amount <= 0:
                f.indicators.remove(leaf)
        else:
            leaf = take(lambda leaf: leaf.fund_line.kind == "market_award")
            if leaf is None:
                continue
            year = leaf.year
            e_code = by_leaf[id(leaf)][0].payee_code
            day = t.banking_on_or_after(leaf.issued + 15 * DAY)
            v = f.voucher(
                None,
                leaf.fund_line,
                ("enterprise", by_leaf[id(leaf)][0].payee_name, sim.accounts.new()[1], e_code),
                rng.randrange(2, 10) * 1_000_000,
                day,
                f"{leaf.label}-extra",
            )
            v.unknown_indicator = sim.variant.unknown_indicator_id(year, n)
            if v.status == "paid":
                _award_payment(sim, v, e_code)
            plants.case(
                "B02",
                "voucher",
                v.label,
                f"voucher on indicator {v.unknown_indicator}, which does not exist",
                period_of(day),
                v.fund_line,
                v.amount,
            )
    # B03 look-alike: gross payments above a voucher, net of a reversal equal to it.
    for v in f.vouchers:
        if v.funding is None or id(v.indicator) in used:
            continue
        refs = [p for p in sim.ledger if p.funding is v.funding and p.amount < 0]
        if refs:
            plants.decoy(
                "B03",
                "voucher",
                v.label,
                "payments above the voucher before a reversal, equal to it after",
                period_of(v.voucher_date),
                v.fund_line,
            )
            break
    # Background: leaves issued high and adjusted down to what was needed within days
    # (the final amount is what shows), and vouchers entered twice and voided.
    for leaf in pick(
        rng,
        [i for i in leaves if i.status == "active" and id(i) not in used],
        max(1, len(leaves) // 12),
    ):
        day = leaf.issued + rng.randint(2, 10) * DAY
        if day <= t.last_night:
            leaf.status, leaf.changed = "adjusted", office_stamp(day, rng)
    agency = [v for v in f.vouchers if v.payee_type == "agency" and v.status == "paid"]
    for v in pick(rng, agency, max(1, len(agency) // 50)):
        voided = Voucher(
            v.indicator,
            v.fund_line,
            v.payee_type,
            v.payee_name,
            v.payee_account,
            v.payee_code,
            v.amount,
            v.voucher_date,
            None,
            "voided",
            office_stamp(min(t.last_night, v.voucher_date + rng.randint(1, 3) * DAY), rng),
            v.label + "-void",
        )
        f.vouchers.append(voided)
    # Background: a few indicators issued twice by mistake and withdrawn days later.
    for leaf in pick(rng, [i for i in leaves if i.status == "active"], max(1, len(leaves) // 40)):
        day = leaf.issued + rng.randint(1, 7) * DAY
        if day > t.last_night:
            continue
        twin = f.leaf(leaf.fund_line, leaf.year, leaf.issued, leaf.amount // 5, leaf.label + "-dup")
        twin.status, twin.changed = "withdrawn", office_stamp(day, rng)


# ----------------------------------------------------------------- numbering


def _number(f: _Fitter) -> None:
    sim = f.sim
    order = {level: n for n, level in enumerate(LEVELS)}
    serial: dict[int, int] = {}
    documents: dict[tuple[str, int], int] = {}
    for ind in sorted(f.indicators, key=lambda i: (i.year, i.issued, order[i.level], i.label)):
        serial[ind.year] = serial.get(ind.year, 0) + 1
        ind.indicator_id = sim.variant.indicator_id(ind.year, serial[ind.year])
        prefix = DOC_PREFIX.get(ind.level) or ind.fund_line.district.name[:2] + "财"
        kind = DOC_KIND.get(ind.fund_line.kind, "社")
        key = (prefix + kind, ind.issued.year)
        documents[key] = documents.get(key, 0) + 1
        ind.document_no = f"{prefix}{kind}〔{ind.issued.year}〕{documents[key]}号"
        if ind.changed is None:
            ind.changed = office_stamp(ind.issued, f.rng)
    per_day: dict[dt.date, int] = {}
    for v in sorted(f.vouchers, key=lambda v: (v.voucher_date, v.label)):
        per_day[v.voucher_date] = per_day.get(v.voucher_date, 0) + 1
        v.voucher_no = sim.variant.voucher_no(v.voucher_date, per_day[v.voucher_date])
        if v.funding is not None:
            v.funding.cited = v.voucher_no
    # Fundings whose payments all failed cite the voucher of their month's batch.
    # Planted labels become numbers now that the numbers exist.
    ids = {ind.label: ind.indicator_id for ind in f.indicators}
    nos = {v.label: v.voucher_no for v in f.vouchers}
    for row in sim.plants.rows:
        if row.subject_type == "indicator":
            row.subject_key = ids.get(row.subject_key, row.subject_key)
        elif row.subject_type == "voucher":
            row.subject_key = nos.get(row.subject_key, row.subject_key)
