"""Producers: the other ways a system may write the same world within its contract.

The default producer is the one the pipeline was first built against. A real city's
systems differ from it in every freedom the contracts leave (issue 12, item 3), so a
variant names a set of those freedoms and every writer reads it from `Sim.variant`.
The city, its people and the planted cases stay those of the seed: only how often the
allowed oddities occur and how the files are stamped change, and the truth follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sunshine.errors import SunshineError
from sunshine.simulate.profiles import DirtRates


@dataclass(frozen=True)
class Variant:
    """One producer: the rates of the contracts' freedoms and how files are stamped."""

    name: str
    description: str
    dirt: DirtRates = field(default_factory=DirtRates)
    # Every first delivery (daily, monthly and termly files) is stamped with the time the
    # folder was copied (the morning after the last night), not its delivery: the
    # modification time of a backfilled folder says nothing of its night; the name's day or
    # due day does (docs/file_drops.md, "A file's night"). A `_vN` keeps its own time.
    copied_files: bool = False
    # Codes the contracts show only by example ("e.g. YKT20261103-0007") in another shape
    # and length. Each keeps the default's order (date or year first, fixed-width serial
    # after), since ties in the trace are broken by id; the planted unknown ones stay apart.
    other_code_shapes: bool = False
    # The trace's freedoms (contracts/README.md, "Where the money reaches people"):
    # one district's budget and treasury went live on a day of its first spring, so its
    # earlier one-card batches and poverty grants cite no voucher (onecard.yaml allows an
    # empty 支付凭证号 "for batches funded before the treasury system went live") and none
    # of its leaf indicators or vouchers is older than that day.
    late_treasury: bool = False
    # Share of the line-months of voucher-less lines whose leaf is issued after the
    # month's first payments: those payments find no leaf with money left (unlinked).
    early_payments: float = 0.0
    # Share of the voucher-less agency lines whose January spending first completes a
    # leaf of the year before, issued that December.
    last_year_leaves: float = 0.0
    # Optional fields left empty in the village books (collective.yaml): the payee's
    # number on this share of the expenses to people and contractors outside any fund
    # line, and aid paid from the fund line on this share of the aid entries only (the
    # rest is the village's own money, its 资金项目编码 empty).
    empty_payee_id: float = 0.0
    aid_from_fund_line: float = 0.6

    def batch_no(self, day: dt.date, serial: int) -> str:
        if self.other_code_shapes:
            return f"{day:%Y%m%d}{serial:06d}"
        return f"YKT{day:%Y%m%d}-{serial:04d}"

    def voucher_no(self, day: dt.date, serial: int) -> str:
        if self.other_code_shapes:
            return f"{day:%Y%m%d}ZF{serial:06d}"
        return f"PV{day:%Y%m%d}{serial:04d}"

    def unknown_voucher_no(self, day: dt.date, n: int) -> str:
        """A voucher no treasury row has (planted B02): past any real serial of its day."""
        if self.other_code_shapes:
            return f"{day:%Y%m%d}ZF9{n:05d}"
        return f"PV{day:%Y%m%d}9{n:03d}"

    def indicator_id(self, year: int, serial: int) -> str:
        if self.other_code_shapes:
            return f"{year}ZB{serial:08d}"
        return f"ZB{year}{serial:06d}"

    def unknown_indicator_id(self, year: int, n: int) -> str:
        if self.other_code_shapes:
            return f"{year}ZB9{n:07d}"
        return f"ZB{year}9{n:05d}"

    def household_id(self, village: str, serial: int) -> str:
        if self.other_code_shapes:
            return f"PH{village}{serial:05d}"
        return f"H{village}-{serial:04d}"


_DEFAULT = DirtRates()

VARIANTS: dict[str, Variant] = {
    "default": Variant("default", "the producer the pipeline was first built against"),
    # Every freedom the contracts give, used often: codes in other shapes, rows listed
    # twice, failed attempts retried, reversals, not-yet-paid roster lines in allowance
    # and education, files re-delivered as _v2, control files a night late, codes typed
    # as numbers, dates as text, 15-digit identity numbers, full-width digits; one
    # district's treasury live only from spring, leaves issued after payments of their
    # month, last year's leaves spent in January, payee numbers and fund lines left empty
    # in the village books.
    "messy": Variant(
        "messy",
        "every allowed oddity, five to ten times as often",
        replace(
            _DEFAULT,
            lower_x=0.9,
            full_width=0.05,
            spaces=0.1,
            legacy_15=0.3,
            thousands=1.0,
            compact_date=0.7,
            spaced_account=0.3,
            padded_name=0.2,
            comma_name=0.9,
            duplicate_row=0.02,
            failed_payment=0.05,
            reversal=0.01,
            late_update=0.05,
            number_code=0.6,
            text_date=0.5,
            redelivery=0.2,
            redelivery_collective=0.3,
            late_control_file=0.1,
            unpaid_first_delivery=0.05,
        ),
        other_code_shapes=True,
        late_treasury=True,
        early_payments=0.15,
        last_year_leaves=0.5,
        empty_payee_id=0.3,
        aid_from_fund_line=0.3,
    ),
    # A tidy producer whose folder was copied from elsewhere: none of the optional dirt,
    # and no file's modification time is its delivery time.
    "copied": Variant(
        "copied",
        "clean values, files stamped with the copy's time instead of their delivery",
        replace(
            _DEFAULT,
            lower_x=0.0,
            full_width=0.0,
            spaces=0.0,
            legacy_15=0.0,
            thousands=0.0,
            compact_date=0.0,
            spaced_account=0.0,
            padded_name=0.0,
            comma_name=0.0,
            number_code=0.0,
            text_date=0.0,
        ),
        copied_files=True,
    ),
}


def get_variant(name: str) -> Variant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise SunshineError(
            f"unknown variant {name!r}; choose one of {', '.join(VARIANTS)}"
        ) from None
