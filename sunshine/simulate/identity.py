"""Identifiers as the source systems write them: identity numbers, credit codes, accounts.

Identity numbers follow GB 11643-1999 (division code, birth date, sequence whose parity
gives the sex, mod-11 check character); credit codes follow GB 32100-2015 with the
organisation code's own GB 11714 check digit inside. Everything here is pure: the
caller passes its own random generator, so a seed gives the same numbers every time.
"""

from __future__ import annotations

import datetime as dt
import random

_ID_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_ID_CHECK = "10X98765432"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ　", "0123456789Xx ")

# Debit-card prefixes of the agent banks that carry one-card accounts.
BANKS: tuple[tuple[str, str], ...] = (
    ("中国农业银行", "622848"),
    ("中国邮政储蓄银行", "621799"),
    ("江苏农村商业银行", "622452"),
    ("中国建设银行", "621700"),
    ("中国工商银行", "622202"),
)


def id_check_char(body17: str) -> str:
    """The 18th character of an identity number whose first 17 digits are `body17`.

    The weights 2^(17-i) mod 11 make the weighted sum equal to 2 * int(body, 2) mod 11
    digit by digit; reading the digits in base 13 (13 = 2 mod 11) does it in C.
    """
    checksum = (1 - 2 * int(body17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def make_id(division: str, birth: dt.date, sequence: int) -> str:
    """A valid 18-digit identity number; an odd `sequence` is a man, even a woman."""
    body = f"{division}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_char(body)


def wrong_check(id_number: str) -> str:
    """The same number with a check character that fails (planted E04 cases)."""
    right = id_number[-1]
    for candidate in "0123456789X":
        if candidate != right and candidate != "X":
            return id_number[:-1] + candidate
    raise AssertionError("unreachable")


def legacy_15(id_number: str) -> str:
    """The pre-1999 15-digit form: no century, no check character (born 19xx only)."""
    if id_number[6:8] != "19":
        raise ValueError(f"{id_number} was not born in the 1900s: no 15-digit form")
    return id_number[:6] + id_number[8:17]


def upgrade_15(legacy: str) -> str:
    """The 18-digit number a 15-digit legacy number stands for."""
    body = legacy[:6] + "19" + legacy[6:15]
    return body + id_check_char(body)


def normalize_id(text: str | None) -> str | None:
    """What a careful reader makes of a delivered identity number.

    Half-width digits, upper-case X, no spaces; a 15-digit legacy number upgraded to
    18 digits. Anything else is returned as cleaned (it may be invalid: E04).
    """
    if text is None:
        return None
    cleaned = text.translate(_HALF_WIDTH).replace(" ", "").upper()
    if len(cleaned) == 15 and cleaned.isdigit():
        return upgrade_15(cleaned)
    return cleaned or None


def is_valid_id(text: str) -> bool:
    return (
        len(text) == 18
        and text[:17].isdigit()
        and text[17] in "0123456789X"
        and id_check_char(text[:17]) == text[17]
    )


def full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def birth_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and their check digit."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    remainder = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


_USCC_TAKEN: set[str] = set()


def make_uscc(authority: str, entity: str, region: str, rng: random.Random) -> str:
    """A valid unified social credit code, e.g. `91320115MA1XXXXXXY`, unique in the
    run (`reset_codes` starts a new run)."""
    while True:
        body = f"{authority}{entity}{region}{org_code(rng)}"
        total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
        code = body + _USCC_ALPHABET[(31 - total) % 31]
        if code not in _USCC_TAKEN:
            _USCC_TAKEN.add(code)
            return code


def reset_codes() -> None:
    _USCC_TAKEN.clear()


def luhn_digit(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def make_account(prefix: str, serial: int) -> str:
    """A 19-digit debit-card number with a Luhn check digit, unique per serial."""
    body = f"{prefix}{serial:012d}"
    return body + luhn_digit(body)


def spaced_account(account: str) -> str:
    """How a clerk types it: groups of four digits."""
    return " ".join(account[i : i + 4] for i in range(0, len(account), 4))
