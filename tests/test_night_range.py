"""A night the DAGs cannot run is one line naming the range, never a silent no-op."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from sunshine.errors import SunshineError
from sunshine.orchestrate.runner import run_night
from sunshine.orchestrate.schedule import START_DATE, check_night, first_night, last_night
from sunshine.paths import DAGS_DIR
from support import run_cli


def test_the_range_runs_from_the_day_before_the_start_date_to_today() -> None:
    assert first_night() == START_DATE.date() - dt.timedelta(days=1)
    check_night(first_night())
    check_night(last_night())
    for night in (first_night() - dt.timedelta(days=1), last_night() + dt.timedelta(days=1)):
        with pytest.raises(SunshineError, match=f"night {night} cannot run: .* nights "):
            check_night(night)


def test_a_night_before_the_start_date_is_refused_before_airflow(tmp_path: Path) -> None:
    # Airflow used to answer with a no-op run that the CLI reported as "succeeded".
    with pytest.raises(SunshineError, match=r"night 2019-06-01 cannot run: .*2025-12-31"):
        run_night(dt.date(2019, 6, 1), sources_file=tmp_path / "sources.yaml", url="x")


def test_both_dags_take_their_start_date_from_the_schedule() -> None:
    for dag_file in ("sunshine_extract.py", "sunshine_transform.py"):
        tree = ast.parse((DAGS_DIR / dag_file).read_text(encoding="utf-8"))
        values = [
            ast.unparse(k.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            for k in node.keywords
            if k.arg == "start_date"
        ]
        assert values == ["schedule.START_DATE"], dag_file


@pytest.mark.parametrize(
    "args",
    [
        ("--date", "2019-06-01"),
        ("--date", "9999-12-31"),  # was an OverflowError traceback
        ("--from", "2026-01-01", "--to", "9999-12-31"),
        ("--from", "2019-06-01", "--to", "2026-01-02"),
    ],
)
def test_the_cli_says_one_line_not_a_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli("nightly", *args, env={"SUNSHINE_HOME": str(tmp_path)}, timeout=120)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1, result.stderr
    assert "cannot run: the nightly DAGs run nights 2025-12-31" in lines[0]
    assert "succeeded" not in result.stdout
