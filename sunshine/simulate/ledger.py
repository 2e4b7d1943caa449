"""The money ledger: every payment that reached a person, household or final payee.

Programs write source records (what each system delivers, clean) and, beside them,
one `Payment` per movement of money as a careful reader of those records would see it
(the latest attempt of a one-card key, net of reversals; the last version of a file;
records not deleted). The treasury is fitted to this ledger, and the truth is
computed from it, so the sources and the truth cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sunshine.simulate.funds import FundLine


@dataclass(slots=True, eq=False)
class Funding:
    """One voucher's worth of money: the payments that cite it are fitted to it."""

    fund_line: FundLine
    payee_type: str  # onecard_account | town_finance | enterprise | agency | village_collective
    payee_name: str
    payee_account: str
    payee_code: str | None
    label: str  # orders vouchers deterministically
    cited: str | None = None  # the voucher number the payments cite, set by the treasury
    voucher: object | None = None  # the treasury.Voucher, once fitted
    amount_hint: int = 0  # for vouchers that are the payment (enterprise awards)


@dataclass(slots=True, eq=False)
class Payment:
    system: str
    fund_line: FundLine
    person: str | None  # normalized identity number as delivered (maybe invalid), or None
    household: str | None  # dibao case_id or poverty householdId for household benefits
    village: str | None  # where it was paid, 12 digits
    period: str
    amount: int  # fen; negative for a reversal
    paid: dt.date
    account: str | None = None
    funding: Funding | None = None
    ref: str = ""  # the source record, for evidence and notes
    kind: str = ""  # allowance type, subsidy type ... when it differs from the category
    grade: int | None = None  # disability grade
    enterprise: str | None = None  # credit code of a subsidised or paid enterprise
    payee_key: str | None = None  # collective: the payee's normalized id or credit code

    @property
    def category(self) -> str:
        return self.fund_line.kind


@dataclass(slots=True)
class Finding:
    rule: str
    subject_type: str
    subject_key: str
    period: str
    fund_line: str
    amount: int  # fen
    decoy: bool
    note: str
    category: str = ""  # X01: the category the village stands out in (not written out)


@dataclass
class Plants:
    """What the simulator planted on purpose: cases, and look-alikes that must not alert."""

    rows: list[Finding] = field(default_factory=list)
    # Households (dibao cases, poverty households) a case or look-alike was built on:
    # a village statistic they move is their doing, not the background's.
    households: set[str] = field(default_factory=set)

    def case(
        self,
        rule: str,
        subject_type: str,
        subject_key: str,
        note: str,
        period: str = "",
        fund_line: FundLine | str | None = None,
        amount: int = 0,
    ) -> None:
        self._add(rule, subject_type, subject_key, note, period, fund_line, amount, False)

    def decoy(
        self,
        rule: str,
        subject_type: str,
        subject_key: str,
        note: str,
        period: str = "",
        fund_line: FundLine | str | None = None,
        amount: int = 0,
    ) -> None:
        self._add(rule, subject_type, subject_key, note, period, fund_line, amount, True)

    def _add(self, rule, subject_type, subject_key, note, period, fund_line, amount, decoy) -> None:
        code = fund_line.code if isinstance(fund_line, FundLine) else (fund_line or "")
        self.rows.append(
            Finding(rule, subject_type, subject_key, period, code, amount, decoy, note)
        )
