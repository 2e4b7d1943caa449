"""The sizes a simulated city comes in, and the rates of dirt its sources carry."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.errors import SunshineError


@dataclass(frozen=True)
class Profile:
    """How big the simulated city is: residents, and the divisions they live in."""

    name: str
    residents: int
    districts: tuple[str, ...]  # county-level codes, see geography.NANJING
    towns_per_district: int
    villages_per_town: int


PROFILES: dict[str, Profile] = {
    # Three districts of twenty thousand people: builds in seconds, for tests.
    "small": Profile("small", 20_000, ("320102", "320115", "320116"), 2, 5),
    "county": Profile(
        "county", 300_000, ("320102", "320106", "320115", "320116", "320117", "320118"), 5, 10
    ),
    "city": Profile(
        "city",
        1_000_000,
        (
            "320102",
            "320104",
            "320105",
            "320106",
            "320114",
            "320113",
            "320111",
            "320115",
            "320116",
            "320117",
            "320118",
        ),
        10,
        10,
    ),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise SunshineError(
            f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}"
        ) from None


@dataclass(frozen=True)
class DirtRates:
    """How dirty the sources are; each rate is a share of the values it can apply to.

    None of it makes a record unrecoverable: every dirty value normalizes back to the
    clean one (the only unrecoverable identity numbers are the planted E04 cases).
    """

    lower_x: float = 0.3  # identity numbers ending in X written with a lower-case x
    full_width: float = 0.01  # identity numbers in full-width digits (３２０１...)
    spaces: float = 0.02  # identity numbers with surrounding spaces (files and APIs)
    legacy_15: float = 0.05  # 15-digit numbers of people born in the 1900s (XLSX drops)
    thousands: float = 0.6  # one-card amounts of 1,000 and more with separators
    compact_date: float = 0.3  # one-card pay dates as YYYYMMDD instead of YYYY/MM/DD
    spaced_account: float = 0.05  # account numbers in groups of four digits
    padded_name: float = 0.03  # two-character names padded with a full-width space
    comma_name: float = 0.3  # minority names with a comma where the middle dot was
    duplicate_row: float = 0.002  # exact duplicate rows within a CSV file
    failed_payment: float = 0.01  # one-card attempts that fail and are retried
    reversal: float = 0.002  # one-card payments reversed and paid again to a new account
    late_update: float = 0.01  # database rows corrected weeks after their change
    number_code: float = 0.1  # XLSX village codes stored as numbers
    text_date: float = 0.1  # collective entry dates typed as text
    redelivery: float = 0.03  # one-card files delivered again as _v2
    redelivery_collective: float = 0.05  # collective workbooks delivered again as _v2
    late_control_file: float = 0.02  # a .ok that arrives on the night after its csv
    unpaid_first_delivery: float = 0.01  # allowance/education rows still unpaid in v1


@dataclass(frozen=True)
class PlantRates:
    """How many irregularities to plant: `scale` multiplies every rule's base rate.

    The base rates (planting.RATES) are per thousand of each rule's population; every
    rule gets at least one planted case and one look-alike, whatever the scale.
    """

    scale: float = 1.0
