"""PostgreSQL regular expressions for raw text, tolerant of the dirt the contracts allow.

Raw columns hold what the source wrote. A value the contracts call dirty but readable
(surrounding blanks, full-width digits, a lower-case x, thousands separators) must pass
the shape checks, so each pattern admits that dirt and nothing else. They are written
for PostgreSQL's `~` operator, which Great Expectations uses on this warehouse.
"""

from __future__ import annotations

# Blanks a source may put around a value: ASCII, no-break, ideographic, zero-width, BOM.
BLANK = r"[[:space:]\u00a0\u3000\u200b\ufeff]"
DIGIT = r"[0-9\uff10-\uff19]"  # half- or full-width
CHECK_X = r"[Xx\uff38\uff58]"
_OPEN, _CLOSE = f"^{BLANK}*", f"{BLANK}*$"


def padded(body: str) -> str:
    """`body` as the whole value, blanks allowed around it."""
    return f"{_OPEN}({body}){_CLOSE}"


# An identity number: 17 digits and a check character; `legacy` adds the 15-digit form
# that only some systems (collective, education) may still deliver.
ID_NUMBER = padded(f"{DIGIT}{{17}}({DIGIT}|{CHECK_X})")
ID_NUMBER_OR_LEGACY = padded(f"{DIGIT}{{17}}({DIGIT}|{CHECK_X})|{DIGIT}{{15}}")
# GB 32100: 18 characters of digits and upper-case letters without I, O, S, V, Z.
CREDIT_CODE = padded("[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")

# Readable as yuan by staging (blanks and separators are dropped before the cast).
_SEPARATED = r"[[:space:]\u00a0\u3000\u200b\ufeff,\uff0c]"
AMOUNT_READABLE = (
    f"^{_SEPARATED}*[-+\uff0b\uff0d]?{_SEPARATED}*({DIGIT}{_SEPARATED}*)+"
    f"([.\uff0e]({DIGIT}|{BLANK})*)?$"
    f"|^{BLANK}*[-+]?[.\uff0e]{DIGIT}+{BLANK}*$"
)
# Written as money is written: optional sign, grouped or plain digits, at most two decimals.
AMOUNT_TIDY = padded(r"-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?")
WHOLE_NUMBER = padded(r"-?[0-9]+(\.0+)?")  # Excel may write 3 as 3.0

# Dates as sources write them: 2026-11-03, 2026/11/3, 20261103, 2026年11月3日, an ISO
# instant with or without offset, or an Excel serial day number (a date cell without a date
# format reads as one; its fraction is the time of day).
_TIME = r"([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"
DATE_READABLE = padded(
    f"{DIGIT}{{4}}[-/.年]{DIGIT}{{1,2}}[-/.月]{DIGIT}{{1,2}}日?{_TIME}"
    f"|{DIGIT}{{8}}{_TIME}|[0-9]{{5}}(\\.[0-9]+)?"
)
# A month: 202611, 2026-11, 2026/1, 2026年11月, or Excel's 202611.0.
PERIOD = padded(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(\.0+)?|(19|20)[0-9]{2}[-/.年](0?[1-9]|1[0-2])月?")


def digits(count: int) -> str:
    """A numeric code of `count` digits (Excel may have stored it as a number: `.0`)."""
    return padded(f"{DIGIT}{{{count}}}(\\.0+)?")


PLACE_CODE_DIGITS = {"district_code": 6, "town_code": 9, "village_code": 12}
