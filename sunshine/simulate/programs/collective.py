"""collective: village bookkeeping entries (村级记账凭证), one workbook per town and month.

Each rural village books a handful of entries a month: contract and subsidy income,
works paid to contractors, labour and aid paid to villagers (aid from the district's
collective_aid line), office costs. The village accountant is the handler and the
secretary approves. No payee receives three small payments within thirty days in the
background, so every K02 finding is planted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.simulate import names
from sunshine.simulate.clock import DAY, month_end, month_start, next_period, period_of
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.identity import make_uscc
from sunshine.simulate.ledger import Payment
from sunshine.simulate.planting import RATES, pick, reserve
from sunshine.simulate.population import CADRE_FAMILY, DIBAO_MEMBER, MOVER, RESERVED, Person
from sunshine.simulate.registers import CadreTerm, Enterprise
from sunshine.simulate.state import Sim

SMALL = 1_000_000  # fen: K02 looks at expenses below 10,000 yuan
APPROVED, PENDING, REJECTED = "已审批", "待审批", "驳回"


@dataclass(slots=True, eq=False)
class Entry:
    village: Village
    voucher_no: str
    day: dt.date
    summary: str
    direction: str  # 收入 | 支出
    subject: str
    amount: int  # fen
    payee_name: str
    payee_key: str | None  # identity number or credit code, clean
    fund_line: FundLine | None
    handler: int  # pid
    approver: str
    attachments: int
    status: str

    @property
    def period(self) -> str:
        return period_of(self.day)


@dataclass
class Collective:
    entries: list[Entry]
    v1_days: dict[tuple[str, str], dt.date]  # (town code, period) -> delivery day
    v2: dict[tuple[str, str], tuple[dt.date, Entry]]  # corrected in a _v2: the entry v1 got wrong


class _Books:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rng = sim.rng("collective")
        self.entries: list[Entry] = []
        self.serial: dict[tuple[int, str], int] = {}
        self.small: dict[str, list[dt.date]] = {}  # payee -> days of small expenses

    def delivery(self, village: Village, period: str) -> dt.date:
        rng = self.sim.rng(f"collective/delivery/{village.town.code}/{period}")
        return self.sim.timeline.banking_on_or_after(
            month_start(next_period(period)) + rng.randint(2, 9) * DAY
        )

    def delivered(self, village: Village, period: str) -> bool:
        return self.delivery(village, period) <= self.sim.timeline.last_night

    def voucher(self, village: Village, day: dt.date) -> str:
        key = (village.idx, period_of(day))
        self.serial[key] = self.serial.get(key, 0) + 1
        return f"JZ{period_of(day)}-{self.serial[key]:03d}"

    def officers(self, village: Village, day: dt.date) -> tuple[CadreTerm, CadreTerm] | None:
        current = self.sim.regs.current_cadres(village.idx, day)
        accountant = next((c for c in current if c.post == "accountant"), None)
        head = next((c for c in current if c.post in ("secretary", "director")), None)
        if accountant is None or head is None:
            return None
        return accountant, head

    def room(self, payee: str, day: dt.date) -> bool:
        """False when a small payment on `day` could be the third within 30 days (K02)."""
        return sum(1 for d in self.small.get(payee, ()) if abs((d - day).days) <= 30) < 2

    def add(
        self,
        village: Village,
        day: dt.date,
        summary: str,
        direction: str,
        subject: str,
        amount: int,
        payee_name: str,
        payee_key: str | None,
        fund_line: FundLine | None,
        handler: int,
        approver: str,
        attachments: int,
        status: str,
    ) -> Entry:
        e = Entry(
            village,
            self.voucher(village, day),
            day,
            summary,
            direction,
            subject,
            amount,
            payee_name,
            payee_key,
            fund_line,
            handler,
            approver,
            attachments,
            status,
        )
        self.entries.append(e)
        if direction == "支出" and payee_key and amount < SMALL:
            self.small.setdefault(payee_key, []).append(day)
        return e


def _villager(b: _Books, village: Village, day: dt.date, exclude: set[int]) -> Person | None:
    sim, rng = b.sim, b.rng
    for _ in range(12):
        hid = rng.choice(sim.pop.by_village[village.idx])
        members = sim.pop.households[hid].members
        if not members:
            continue
        p = sim.person(rng.choice(members))
        if p.flags & (CADRE_FAMILY | MOVER | RESERVED) or p.pid in exclude:
            continue
        if p.birth > day or not 18 <= p.age_on(day) <= 70 or not p.alive_on(day):
            continue
        if b.room(p.id_number, day):
            return p
    return None


def build_collective(sim: Sim) -> Collective:
    b = _Books(sim)
    rng, t = b.rng, sim.timeline
    contractors: dict[int, list[Enterprise]] = {}
    for e in sim.regs.enterprises:
        if e.kind == "contractor":
            contractors.setdefault(e.district.idx, []).append(e)
    aided: set[tuple[int, int]] = set()  # (villager, year) already aided
    for village in sim.city.villages:
        if village.urban or not sim.funds.has(village.district, "collective_aid"):
            continue
        aid = sim.funds.line(village.district, "collective_aid")
        for period in t.periods:
            if not b.delivered(village, period):
                continue
            for _ in range(rng.randint(4, 9)):
                day = t.random_day(rng, month_start(period), min(month_end(period), t.last_night))
                officers = b.officers(village, day)
                if officers is None:
                    continue
                accountant, head = officers
                approver = sim.person(head.pid).name
                attachments = rng.randint(1, 6)
                status = APPROVED if rng.random() > 0.01 else REJECTED
                kind = rng.choices(
                    ("发包", "补助收入", "工程", "劳务", "补助", "办公"), (10, 8, 14, 20, 30, 18)
                )[0]
                if kind == "发包":
                    p = _villager(b, village, day, set())
                    if p:
                        b.add(
                            village,
                            day,
                            f"收{p.name}土地发包款",
                            "收入",
                            "发包收入",
                            rng.randrange(20, 300) * 10_000,
                            village.name + "村民委员会",
                            None,
                            None,
                            accountant.pid,
                            approver,
                            attachments,
                            status,
                        )
                elif kind == "补助收入":
                    b.add(
                        village,
                        day,
                        "收到镇拨付上级补助",
                        "收入",
                        "上级补助收入",
                        rng.randrange(100, 800) * 10_000,
                        village.name + "村民委员会",
                        None,
                        None,
                        accountant.pid,
                        approver,
                        attachments,
                        status,
                    )
                elif kind == "工程":
                    pool = contractors.get(village.district.idx, [])
                    big = rng.random() < 0.7
                    amount = (
                        rng.randrange(12, 150) * 100_000 if big else rng.randrange(20, 95) * 10_000
                    )
                    pool = [e for e in pool if big or b.room(e.code, day)]
                    if pool:
                        e = rng.choice(pool)
                        b.add(
                            village,
                            day,
                            "支付道路维修工程款" if big else "支付沟渠清淤费",
                            "支出",
                            "工程支出",
                            amount,
                            e.name,
                            e.code,
                            None,
                            accountant.pid,
                            approver,
                            attachments,
                            status,
                        )
                elif kind in ("劳务", "补助"):
                    p = _villager(b, village, day, {accountant.pid})
                    if p:
                        if kind == "劳务":
                            b.add(
                                village,
                                day,
                                f"支付{p.name}保洁劳务费",
                                "支出",
                                "劳务费",
                                rng.randrange(3, 30) * 10_000,
                                p.name,
                                p.id_number,
                                None,
                                accountant.pid,
                                approver,
                                attachments,
                                status,
                            )
                        else:
                            # Aid from the district's line: one grant per villager and
                            # year, the same amount across the district.
                            line = (
                                aid
                                if rng.random() < sim.variant.aid_from_fund_line
                                and (p.pid, day.year) not in aided
                                else None
                            )
                            amount = rng.randrange(4, 16) * 5_000
                            if line is not None:
                                aided.add((p.pid, day.year))
                                amount = _aid_amount(sim, village, day.year)
                            b.add(
                                village,
                                day,
                                f"发放{p.name}困难补助",
                                "支出",
                                "补助支出",
                                amount,
                                p.name,
                                p.id_number,
                                line,
                                accountant.pid,
                                approver,
                                attachments,
                                status,
                            )
                else:
                    b.add(
                        village,
                        day,
                        "购买办公用品",
                        "支出",
                        "办公费",
                        rng.randrange(1, 15) * 10_000,
                        f"{village.name}便民超市",
                        None,
                        None,
                        accountant.pid,
                        approver,
                        attachments,
                        status,
                    )
    # Entries of the last weeks are still waiting for approval.
    for e in b.entries:
        if (t.last_night - e.day).days < 12 and rng.random() < 0.4:
            e.status = PENDING
    background = list(b.entries)
    v2 = _plant(b)
    _empty_payee_ids(sim, background)
    collective = Collective(b.entries, {}, v2)
    for e in b.entries:
        key = (e.village.town.code, e.period)
        collective.v1_days[key] = b.delivery(e.village, e.period)
        if e.direction == "支出" and e.status == APPROVED and e.fund_line is not None:
            sim.ledger.append(
                Payment(
                    "collective",
                    e.fund_line,
                    e.payee_key if e.payee_key in sim.pop.by_id else None,
                    None,
                    e.village.code,
                    e.period,
                    e.amount,
                    e.day,
                    ref=f"collective:{e.village.code}/{e.voucher_no}",
                    payee_key=e.payee_key,
                )
            )
    sim.systems["collective"] = collective
    return collective


def _plant(b: _Books) -> dict[tuple[str, str], tuple[dt.date, Entry]]:
    sim, rng, plants, t = b.sim, b.sim.rng("collective/plant"), b.sim.plants, b.sim.timeline
    villages = [
        v for v in sim.city.villages if not v.urban and sim.funds.has(v.district, "collective_aid")
    ]
    periods = [p for p in t.periods[1:] if month_end(p) + 50 * DAY <= t.last_night]
    if not villages or not periods:
        return {}
    base = sum(1 for e in b.entries if e.direction == "支出")

    def setting() -> tuple[Village, dt.date, CadreTerm, CadreTerm] | None:
        for _ in range(50):
            village = rng.choice(villages)
            period = rng.choice(periods)
            day = t.random_day(rng, month_start(period), month_end(period) - 5 * DAY)
            officers = b.officers(village, day)
            if officers:
                return village, day, *officers
        return None

    # K01: approved with no attachment, or with no approver; look-alikes: pending, income.
    for n in range(sim.count("K01", base, RATES["K01"]) + 2):
        s = setting()
        if s is None:
            break
        village, day, accountant, head = s
        approver = sim.person(head.pid).name
        if n == 0:
            e = b.add(
                village,
                day,
                "支付村部维修材料款",
                "支出",
                "工程支出",
                380_000,
                f"{village.name}建材店",
                None,
                None,
                accountant.pid,
                approver,
                0,
                PENDING,
            )
            plants.decoy(
                "K01",
                "collective_entry",
                f"{village.code}/{e.voucher_no}",
                "no attachment, but still waiting for approval",
                e.period,
            )
        elif n == 1:
            e = b.add(
                village,
                day,
                "收到鱼塘承包款",
                "收入",
                "发包收入",
                520_000,
                village.name + "村民委员会",
                None,
                None,
                accountant.pid,
                approver,
                0,
                APPROVED,
            )
            plants.decoy(
                "K01",
                "collective_entry",
                f"{village.code}/{e.voucher_no}",
                "income entry without attachments (K01 is about expenses)",
                e.period,
            )
        else:
            missing = n % 2 == 0
            e = b.add(
                village,
                day,
                "支付村级活动场所修缮费",
                "支出",
                "工程支出",
                rng.randrange(50, 400) * 10_000,
                f"{village.name}建材店",
                None,
                None,
                accountant.pid,
                "" if missing else approver,
                2 if missing else 0,
                APPROVED,
            )
            plants.case(
                "K01",
                "collective_entry",
                f"{village.code}/{e.voucher_no}",
                "approved without an approver" if missing else "approved without any attachment",
                e.period,
                "",
                e.amount,
            )

    # K02: three small payments to one payee within 20 days; look-alikes below 10,000
    # together, or spread over more than 30 days.
    for n in range(sim.count("K02", base, RATES["K02"]) + 2):
        s = setting()
        if s is None:
            break
        village, day, accountant, head = s
        approver = sim.person(head.pid).name
        firm = Enterprise(
            make_uscc("9", "2", village.district.code, rng),
            names.enterprise_name(rng, village.name[:2], "建筑工程"),
            accountant.pid,
            day - 900 * DAY,
            None,
            50_000_000,
            day - 899 * DAY,
            village.district,
            "contractor",
        )
        firm.rep = _any_adult(b, village, day)
        sim.regs.enterprises.append(firm)
        if n == 0:
            amounts, gaps = (200_000, 300_000, 250_000), (0, 9, 21)
        elif n == 1:
            amounts, gaps = (600_000, 550_000, 700_000), (0, 33, 66)
        else:
            amounts = tuple(rng.randrange(35, 96) * 10_000 for _ in range(3))
            gaps = (0, rng.randint(3, 9), rng.randint(12, 20))
        if day + gaps[-1] * DAY > t.last_night - 40 * DAY:
            continue
        made = [
            b.add(
                village,
                day + g * DAY,
                "支付村道修补工程款",
                "支出",
                "工程支出",
                a,
                firm.name,
                firm.code,
                None,
                accountant.pid,
                approver,
                3,
                APPROVED,
            )
            for a, g in zip(amounts, gaps, strict=True)
        ]
        first = made[0]
        key = f"{village.code}/{first.voucher_no}"
        if n == 0:
            plants.decoy(
                "K02",
                "collective_entry",
                key,
                "three payments within 30 days but 7,500.00 in all",
                first.period,
            )
        elif n == 1:
            plants.decoy(
                "K02",
                "collective_entry",
                key,
                "three payments above 10,000 together, but 33 days apart",
                first.period,
            )
        else:
            plants.case(
                "K02",
                "collective_entry",
                key,
                f"{len(made)} payments to {firm.code} within {gaps[-1]} days: "
                f"{', '.join(f'{a / 100:.2f}' for a in amounts)}",
                first.period,
                "",
                sum(amounts),
            )

    # C02: the bookkeeper pays himself, or his spouse; look-alike: the same surname.
    for n in range(sim.count("C02", base, RATES["C02"]) + 2):
        s = setting()
        if s is None:
            break
        village, day, accountant, head = s
        approver = sim.person(head.pid).name
        me = sim.person(accountant.pid)
        if n == 0:
            family = names.family_name(me.name)
            same = [
                sim.person(pid)
                for hid in sim.pop.by_village[village.idx]
                for pid in sim.pop.households[hid].members
                if family
                and names.family_name(sim.person(pid).name) == family
                and not sim.person(pid).flags & (CADRE_FAMILY | RESERVED | MOVER)
                and sim.person(pid).alive_on(day)
                and sim.person(pid).age_on(day) >= 18
            ]
            if not same:
                continue
            p = same[0]
            reserve(p)
            e = b.add(
                village,
                day,
                f"支付{p.name}保洁劳务费",
                "支出",
                "劳务费",
                120_000,
                p.name,
                p.id_number,
                None,
                accountant.pid,
                approver,
                2,
                APPROVED,
            )
            plants.decoy(
                "C02",
                "collective_entry",
                f"{village.code}/{e.voucher_no}",
                f"payee shares the bookkeeper's surname {family} but is not a relative",
                e.period,
            )
            continue
        if n % 2 == 1:
            payee, relation = me, "self"
        else:
            spouse = [
                pid
                for pid, r in accountant.relatives
                if r == "spouse" and sim.person(pid).alive_on(day)
            ]
            if not spouse:
                payee, relation = me, "self"
            else:
                payee, relation = sim.person(spouse[0]), "spouse"
        e = b.add(
            village,
            day,
            f"支付{payee.name}误工补贴",
            "支出",
            "劳务费",
            rng.randrange(8, 40) * 10_000,
            payee.name,
            payee.id_number,
            None,
            accountant.pid,
            approver,
            2,
            APPROVED,
        )
        plants.case(
            "C02",
            "collective_entry",
            f"{village.code}/{e.voucher_no}",
            f"payee is the bookkeeper's {relation} ({payee.id_number})",
            e.period,
            "",
            e.amount,
        )

    # Corrections: a _v2 workbook replaces a town's month; its first version had one
    # entry with a wrong amount.
    v2: dict[tuple[str, str], tuple[dt.date, Entry]] = {}
    for e in pick(
        rng,
        [e for e in b.entries if e.direction == "支出"],
        max(1, int(len(b.entries) * sim.dirt.redelivery_collective / 40)),
    ):
        key = (e.village.town.code, e.period)
        day = t.add_banking_days(b.delivery(e.village, e.period), rng.randint(1, 4))
        if key in v2 or day > t.last_night:
            continue
        v2[key] = (day, e)
    return v2


def _empty_payee_ids(sim: Sim, background: list[Entry]) -> None:
    """The variant's empty 收款方证件号 (collective.yaml: "may be empty"): only on
    background expenses outside any fund line, so no plant and no traced payment loses
    its payee. An empty number joins no K02 group and matches no handler (C02)."""
    share = sim.variant.empty_payee_id
    if share <= 0:
        return
    rng = sim.rng("variant/empty-payee-id")
    for e in background:
        if e.direction == "支出" and e.fund_line is None and e.payee_key and rng.random() < share:
            e.payee_key = None


def _aid_amount(sim: Sim, village: Village, year: int) -> int:
    return sim.rng(f"level/aid/{village.district.code}/{year}").randrange(6, 16) * 5_000


def _any_adult(b: _Books, village: Village, day: dt.date) -> int:
    for hid in b.sim.pop.by_village[village.idx]:
        for pid in b.sim.pop.households[hid].members:
            p = b.sim.person(pid)
            if (
                not p.flags & (CADRE_FAMILY | RESERVED | DIBAO_MEMBER)
                and p.alive_on(day)
                and p.age_on(day) >= 30
            ):
                return pid
    return b.sim.pop.households[b.sim.pop.by_village[village.idx][0]].members[0]
