"""The one-card bank: payment attempts to people's accounts, with the bank's habits.

A payment may fail and be retried in a later file under the same key (batch, person,
fund line, period); a payment may be reversed by a negative row in a batch of its own
and paid again to a corrected account. Every attempt is an `OnecardRow` (what the
day's file shows); every movement of money is a ledger `Payment`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.simulate.clock import period_of
from sunshine.simulate.funds import FundLine
from sunshine.simulate.geography import Village
from sunshine.simulate.ledger import Funding, Payment
from sunshine.simulate.state import Sim

SUCCESS, FAILED, RETURNED = "成功", "失败", "退回"
FAILURE_REASONS = ("账户已销户", "户名不符", "账户冻结", "账号不存在")


@dataclass(slots=True, eq=False)
class OnecardRow:
    batch: str
    fund_line: FundLine
    funding: Funding | None
    person: str  # identity number as delivered, before dirt (maybe a planted invalid one)
    name: str
    account: str
    bank: str
    amount: int  # fen
    period: str
    day: dt.date  # the banking day: its file and the pay date
    status: str
    reason: str
    village: Village
    copies: int = 1  # exact duplicates of this row in its file
    cited: str | None = None  # a voucher number cited instead of the funding's (planted)

    @property
    def voucher_no(self) -> str | None:
        if self.cited is not None:
            return self.cited
        return self.funding.cited if self.funding is not None else None


class Bank:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.rows: list[OnecardRow] = []
        self.serial: dict[dt.date, int] = {}
        self.rng = sim.rng("bank")

    def batch(self, day: dt.date) -> str:
        self.serial[day] = self.serial.get(day, 0) + 1
        return self.sim.variant.batch_no(day, self.serial[day])

    def attempt(
        self,
        batch: str,
        fund_line: FundLine,
        funding: Funding | None,
        person: str,
        name: str,
        account: tuple[str, str],
        amount: int,
        period: str,
        day: dt.date,
        village: Village,
        status: str = SUCCESS,
        reason: str = "",
    ) -> OnecardRow:
        bank, number = account
        row = OnecardRow(
            batch,
            fund_line,
            funding,
            person,
            name,
            number,
            bank,
            amount,
            period,
            day,
            status,
            reason,
            village,
        )
        self.rows.append(row)
        return row

    def ledger(self, row: OnecardRow, household: str | None = None, ref: str = "") -> Payment:
        payment = Payment(
            system="onecard",
            fund_line=row.fund_line,
            person=row.person,
            household=household,
            village=row.village.code,
            period=row.period,
            amount=row.amount,
            paid=row.day,
            account=row.account,
            funding=row.funding,
            ref=ref or f"onecard:{row.batch}:{row.person}:{row.period}",
        )
        self.sim.ledger.append(payment)
        return payment

    def pay(
        self,
        fund_line: FundLine,
        funding: Funding,
        pid: int,
        amount: int,
        period: str,
        day: dt.date,
        village: Village,
        batch: str,
        household: str | None = None,
        habits: bool = True,
        person: str | None = None,
        account: tuple[str, str] | None = None,
    ) -> list[Payment]:
        """Pay one person: usually one successful attempt; sometimes a failure and a
        retry, or a payment reversed and made again to a new account."""
        sim, rng, t = self.sim, self.rng, self.sim.timeline
        p = sim.person(pid)
        person = person or p.id_number
        account = account or sim.accounts.for_person(pid)
        dirt = sim.dirt
        retry_day = t.add_banking_days(day, rng.randint(2, 5))
        if habits and retry_day <= t.last_night and rng.random() < dirt.failed_payment:
            self.attempt(
                batch,
                fund_line,
                funding,
                person,
                p.name,
                account,
                amount,
                period,
                day,
                village,
                FAILED,
                rng.choice(FAILURE_REASONS),
            )
            row = self.attempt(
                batch,
                fund_line,
                funding,
                person,
                p.name,
                account,
                amount,
                period,
                retry_day,
                village,
            )
            return [self.ledger(row, household)]
        row = self.attempt(
            batch, fund_line, funding, person, p.name, account, amount, period, day, village
        )
        payments = [self.ledger(row, household)]
        reverse_day = t.add_banking_days(day, rng.randint(3, 5))
        again_day = t.add_banking_days(reverse_day, rng.randint(1, 2))
        if habits and again_day <= t.last_night and rng.random() < dirt.reversal:
            reversal = self.attempt(
                self.batch(reverse_day),
                fund_line,
                funding,
                person,
                p.name,
                account,
                -amount,
                period,
                reverse_day,
                village,
            )
            payments.append(self.ledger(reversal, household))
            new_account = sim.accounts.new()
            sim.accounts.of[pid] = new_account
            again = self.attempt(
                self.batch(again_day),
                fund_line,
                funding,
                person,
                p.name,
                new_account,
                amount,
                period,
                again_day,
                village,
            )
            payments.append(self.ledger(again, household))
        if habits and rng.random() < dirt.duplicate_row:
            row.copies = 2
        return payments


_PAY_DAYS: dict[tuple[int, str, str, int, int], dt.date] = {}


def pay_day(sim: Sim, period: str, low: int, high: int, key: str) -> dt.date:
    """A banking day between the `low`th and `high`th of the month, fixed per key."""
    cache_key = (sim.seed, key, period, low, high)
    if cache_key in _PAY_DAYS:
        return _PAY_DAYS[cache_key]
    rng = sim.rng(f"payday/{key}/{period}")
    year, month = int(period[:4]), int(period[4:])
    day = dt.date(year, month, rng.randint(low, high))
    day = sim.timeline.banking_on_or_after(day)
    assert period_of(day) == period
    _PAY_DAYS[cache_key] = day
    return day
