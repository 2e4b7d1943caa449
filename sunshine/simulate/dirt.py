"""How values look once the source systems have written them: the contracts' dirt.

Everything here turns a clean value into the text a system delivers, at the rates of
`DirtRates`, with its own random stream. Nothing makes a value unrecoverable: a
careful reader gets the clean value back (identity numbers by `identity.normalize_id`).
"""

from __future__ import annotations

import datetime as dt
import random

from sunshine.simulate.identity import full_width, is_valid_id, legacy_15, spaced_account
from sunshine.simulate.profiles import DirtRates


class Dirt:
    def __init__(
        self, rates: DirtRates, rng: random.Random, forced: dict[str, str] | None = None
    ) -> None:
        self.rates = rates
        self.rng = rng
        self.forced = forced or {}

    def chance(self, rate: float) -> bool:
        return self.rng.random() < rate

    def id_number(self, number: str, *, spaces: bool = True, legacy: bool = False) -> str:
        """An identity number as typed: lower-case x, full-width digits, spaces, and in
        the XLSX drops the 15-digit form of people born in the 1900s. `spaces` is off
        for database columns (a varchar(18) has no room for them)."""
        style = self.forced.get(number)
        if style == "full_width":
            return full_width(number)
        if style == "lower_x":
            return number[:-1] + "x"
        if style == "legacy_15":
            return legacy_15(number)
        r = self.rates
        text = number
        if legacy and text[6:8] == "19" and is_valid_id(text) and self.chance(r.legacy_15):
            text = legacy_15(text)
        elif text.endswith("X") and self.chance(r.lower_x):
            text = text[:-1] + "x"
        if self.chance(r.full_width):
            text = full_width(text)
        if spaces and self.chance(r.spaces):
            text = self.rng.choice((" ", "  ")) + text + self.rng.choice(("", " "))
        return text

    def name(self, name: str, *, commas: bool = False) -> str:
        if commas and "·" in name and self.chance(self.rates.comma_name):
            return name.replace("·", ",")
        if len(name) == 2 and self.chance(self.rates.padded_name):
            return name[0] + "\u3000" + name[1]
        return name

    def account(self, account: str) -> str:
        return spaced_account(account) if self.chance(self.rates.spaced_account) else account

    def onecard_amount(self, fen: int) -> str:
        """Yuan as the bank writes it, sometimes with thousands separators ("1,234.50")."""
        whole, cents = divmod(abs(fen), 100)
        grouped = abs(fen) >= 100_000 and self.chance(self.rates.thousands)
        text = f"{whole:,}.{cents:02d}" if grouped else f"{whole}.{cents:02d}"
        return ("-" if fen < 0 else "") + text

    def onecard_date(self, day: dt.date) -> str:
        return f"{day:%Y%m%d}" if self.chance(self.rates.compact_date) else f"{day:%Y/%m/%d}"


def yuan(fen: int) -> str:
    """Exact yuan text with two decimals from an amount in fen."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
