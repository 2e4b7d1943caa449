"""The simulated calendar: which days exist, which are banking days, and stamps on them.

Nothing reads the wall clock. The simulation starts on the first of January of the year
before the first night's year when that night falls before September (so that every
benefit cycle, April's farmland subsidy and the deadlines after it included, has run
once), and on the first of January of its own year otherwise; it ends on the last
night. Everything dated after the last night is not generated: it has not happened yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
DAY = dt.timedelta(days=1)


def period_of(day: dt.date) -> str:
    return f"{day.year}{day.month:02d}"


def month_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[4:]), 1)


def month_end(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[4:])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_period(period: str, months: int = 1) -> str:
    year, month = int(period[:4]), int(period[4:]) - 1 + months
    return f"{year + month // 12}{month % 12 + 1:02d}"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_at(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_in_period(birth: dt.date, period: str) -> int:
    """Age reached by the last day of the month (rules.md, time grain)."""
    return age_at(birth, month_end(period))


@dataclass(frozen=True)
class Timeline:
    """From the first simulated day to the last night, inclusive."""

    start: dt.date  # the first night the pipeline runs
    nights: int

    @property
    def first_day(self) -> dt.date:
        year = self.start.year - 1 if self.start.month < 9 else self.start.year
        return dt.date(year, 1, 1)

    @property
    def last_night(self) -> dt.date:
        return self.start + (self.nights - 1) * DAY

    @cached_property
    def periods(self) -> list[str]:
        out, period = [], period_of(self.first_day)
        while month_start(period) <= self.last_night:
            out.append(period)
            period = next_period(period)
        return out

    @cached_property
    def years(self) -> list[int]:
        return list(range(self.first_day.year, self.last_night.year + 1))

    @property
    def days(self) -> int:
        return (self.last_night - self.first_day).days + 1

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.first_day <= day <= self.last_night

    def nights_of(self) -> list[dt.date]:
        return [self.start + i * DAY for i in range(self.nights)]

    @staticmethod
    def is_banking_day(day: dt.date) -> bool:
        return day.weekday() < 5

    @staticmethod
    def banking_on_or_after(day: dt.date) -> dt.date:
        while day.weekday() >= 5:
            day += DAY
        return day

    @staticmethod
    def banking_on_or_before(day: dt.date) -> dt.date:
        while day.weekday() >= 5:
            day -= DAY
        return day

    def add_banking_days(self, day: dt.date, count: int) -> dt.date:
        while count > 0:
            day += DAY
            if day.weekday() < 5:
                count -= 1
        return day

    def random_day(self, rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
        return low + rng.randrange((high - low).days + 1) * DAY


def office_stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment in office hours on `day`: when a clerk changed a row (naive local time)."""
    seconds = rng.randrange(8 * 3600 + 30 * 60, 19 * 3600)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def evening_stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment of the evening of `day` (21:00-23:59 local): a file's delivery."""
    seconds = rng.randrange(21 * 3600, 24 * 3600 - 60)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def local_epoch(moment: dt.datetime) -> float:
    """Seconds since the epoch of a naive Asia/Shanghai moment (for os.utime)."""
    return moment.replace(tzinfo=LOCAL).timestamp()


def iso_local(moment: dt.datetime) -> str:
    """2026-11-03T21:14:05+08:00, as the API contracts write instants."""
    return moment.replace(tzinfo=LOCAL, microsecond=0).isoformat()
