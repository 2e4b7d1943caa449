"""A copied folder: the day or due day its names give, not the copy's time, gives the night."""

import datetime as dt
import os
import time

import pytest

from sunshine.contracts import SYSTEMS
from sunshine.sources.files import LOCAL, delivered_files


def test_a_touched_copy_delivers_each_file_on_the_night_its_name_gives(tmp_path):
    transport = SYSTEMS["onecard"].transport
    for day in ("20261001", "20261002"):
        (tmp_path / f"onecard_{day}.csv").write_text("header\n")
    correction = tmp_path / "onecard_20261001_v2.csv"
    correction.write_text("header\n")
    now = time.time()
    for path in tmp_path.iterdir():
        os.utime(path, (now, now))  # what `cp -r` or `touch` leaves behind

    first = [f.name for f in delivered_files(tmp_path, transport, dt.date(2026, 10, 1))]
    second = [f.name for f in delivered_files(tmp_path, transport, dt.date(2026, 10, 2))]

    assert first == ["onecard_20261001.csv"]
    assert second == ["onecard_20261001.csv", "onecard_20261002.csv"]


def _touched(folder, names, when: float | None = None) -> None:
    """Write `names` and stamp them all alike, as a copy from elsewhere does."""
    # The copy came after every due day here; a copy before one is the min's other side.
    when = dt.datetime(2030, 1, 1, 9, tzinfo=LOCAL).timestamp() if when is None else when
    for name in names:
        (folder / name).write_text("header\n")
        os.utime(folder / name, (when, when))


def _nights_delivered(folder, system: str, *nights: dt.date) -> list[list[str]]:
    transport = SYSTEMS[system].transport
    return [sorted(f.name for f in delivered_files(folder, transport, n)) for n in nights]


@pytest.mark.parametrize(
    ("system", "name", "due"),
    [
        # a month's file: due by the end of the following month
        ("allowance", "allowance_202610.csv", dt.date(2026, 11, 30)),
        ("allowance", "allowance_202612.csv", dt.date(2027, 1, 31)),
        ("allowance", "allowance_202601.csv", dt.date(2026, 2, 28)),
        ("collective", "collective_320113001_202610.xlsx", dt.date(2026, 11, 30)),
        # a term's file: by the end of its term; 2026 names the school year 2026-2027
        ("education", "education_2026_1.xlsx", dt.date(2027, 1, 31)),
        ("education", "education_2026_2.xlsx", dt.date(2027, 7, 31)),
        # a day's file: by the end of its day
        ("onecard", "onecard_20261001.csv", dt.date(2026, 10, 1)),
    ],
)
def test_a_touched_copy_delivers_a_period_file_on_its_due_day(tmp_path, system, name, due):
    transport = SYSTEMS[system].transport
    assert transport.due_day(name) == due
    _touched(tmp_path, [name])
    before, on = _nights_delivered(tmp_path, system, due - dt.timedelta(days=1), due)
    assert before == []
    assert on == [name]


@pytest.mark.parametrize(
    ("system", "first", "correction", "due"),
    [
        ("allowance", "allowance_202610.csv", "allowance_202610_v2.csv", dt.date(2026, 11, 30)),
        (
            "collective",
            "collective_320113001_202610.xlsx",
            "collective_320113001_202610_v2.xlsx",
            dt.date(2026, 11, 30),
        ),
        ("education", "education_2026_1.xlsx", "education_2026_1_v2.xlsx", dt.date(2027, 1, 31)),
    ],
)
def test_a_touched_correction_keeps_its_own_time(tmp_path, system, first, correction, due):
    copied = dt.datetime(2028, 1, 1, 9, 0, tzinfo=LOCAL)  # the copy: after every due day
    _touched(tmp_path, [first, correction], copied.timestamp())
    on_due, before_copy, copy_night = _nights_delivered(
        tmp_path, system, due, dt.date(2027, 12, 31), copied.date()
    )
    assert on_due == before_copy == [first]  # the _v2 has no due day: it waits for its time
    assert copy_night == sorted([first, correction])


@pytest.mark.parametrize(
    "name",
    [
        "allowance_202610.csv",
        "collective_320113001_202610.xlsx",
        "education_2026_1.xlsx",
    ],
)
def test_a_real_delivery_before_the_due_day_still_counts_on_its_own_night(tmp_path, name):
    system = name.split("_", 1)[0]
    delivered = dt.datetime(2026, 11, 5, 20, 30, tzinfo=LOCAL)  # early: before any due day
    _touched(tmp_path, [name], delivered.timestamp())
    before, on = _nights_delivered(tmp_path, system, dt.date(2026, 11, 4), dt.date(2026, 11, 5))
    assert (before, on) == ([], [name])  # min(modification time, due day)


def test_only_the_contract_names_a_due_day(tmp_path):
    transport = SYSTEMS["allowance"].transport
    assert transport.due_day("allowance_202610.csv.tmp") is None
    assert transport.due_day("notes.txt") is None
