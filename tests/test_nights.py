"""Which night a run is about: from its conf, its asset event, or its schedule."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pendulum
import pytest

from sunshine.orchestrate.nights import night_of, parse_night
from sunshine.orchestrate.runner import logical_date_for


def test_a_scheduled_run_extracts_the_night_before_its_logical_date() -> None:
    # 01:30 in Shanghai on 4 November is 17:30 UTC on the 3rd: the night is the 3rd.
    logical = pendulum.datetime(2026, 11, 3, 17, 30, tz="UTC")
    assert night_of({"logical_date": logical, "dag_run": SimpleNamespace(conf={})}) == dt.date(
        2026, 11, 3
    )


def test_every_night_of_a_backfill_maps_back_to_itself() -> None:
    for offset in range(40):
        night = dt.date(2026, 10, 1) + dt.timedelta(days=offset)
        logical = pendulum.parse(logical_date_for(night))
        assert night_of({"logical_date": logical, "dag_run": SimpleNamespace(conf={})}) == night


def test_the_conf_wins_over_the_schedule_and_params_over_both() -> None:
    logical = pendulum.datetime(2026, 11, 3, 17, 30, tz="UTC")
    run = SimpleNamespace(conf={"night": "2026-10-01"})
    assert night_of({"logical_date": logical, "dag_run": run}) == dt.date(2026, 10, 1)
    context = {"logical_date": logical, "dag_run": run, "params": {"night": "2026-09-30"}}
    assert night_of(context) == dt.date(2026, 9, 30)


def test_an_asset_triggered_run_takes_the_night_of_its_event() -> None:
    event = SimpleNamespace(extra={"night": "2026-11-02"})
    context = {
        "logical_date": None,
        "dag_run": SimpleNamespace(conf={}, run_after=pendulum.datetime(2026, 11, 20, tz="UTC")),
        "triggering_asset_events": {"sunshine_raw_landed": [event]},
    }
    assert night_of(context) == dt.date(2026, 11, 2)


@pytest.mark.parametrize("text", ["2026/11/03", "20261103", "2026-W45-2", "2026-02-30", ""])
def test_a_night_is_written_one_way(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_night(text)
