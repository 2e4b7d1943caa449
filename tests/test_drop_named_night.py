"""A folder copied from elsewhere: the name's day, not the copy's mtime, gives the night."""

import datetime as dt
import os
import time

from sunshine.contracts import SYSTEMS
from sunshine.sources.files import delivered_files


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
