"""`sunshine score` on a tiny hand-made alerts table and truth file.

The truth holds findings and a look-alike of a few rules; the alerts table hits some,
misses some, flags the look-alike, and holds resolved alerts of a rule the truth lists
resolved (T01) and of one it does not (E02). The expected counts follow from
rules.md/truth.py's key_of, worked out below by hand.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database

TRUTH = [
    # rule, subject_type, subject_key, period, fund_line, amount, is_decoy, note
    ("E01", "person", "320113194001010012", "202610", "FL2026-0004", "300.00", "false", ""),
    ("E01", "person", "320113194001010020", "202611", "FL2026-0004", "300.00", "false", ""),
    ("E01", "person", "320113194001010039", "202609", "FL2026-0004", "0.00", "true", "died"),
    ("K01", "collective_entry", "320115102204/JZ202602-010", "202602", "", "32400.00", "false", ""),
    ("T01", "indicator", "ZB2026000007", "202603", "FL2026-0001", "0.00", "false", "resolved: x"),
    ("E02", "person", "320113198001010015", "202608", "FL2026-0001", "1200.00", "false", ""),
    ("X01", "village", "320115102204", "2026", "FL2026-0017", "900.00", "false", ""),
]  # fmt: skip
ALERTS = [
    # alert_id, rule, subject_type, subject_key, period, fund_line, status, first night
    ("a1", "E01", "person", "320113194001010012", "202610", "FL2026-0004", "open", "2026-11-03"),
    ("a2", "E01", "person", "320113194001010039", "202609", "FL2026-0004", "open", "2026-11-05"),
    # K01 is off the time grain: another period column still names the same finding
    ("a3", "K01", "collective_entry", "320115102204/JZ202602-010", "202603", None, "escalated",
     "2026-11-05"),
    ("a4", "T01", "indicator", "ZB2026000007", "202603", "FL2026-0001", "resolved", "2026-11-05"),
    ("a5", "E02", "person", "320113198001010015", "202608", "FL2026-0001", "resolved",
     "2026-11-05"),
    # X01's key holds the fund line: another line is another finding
    ("a6", "X01", "village", "320115102204", "2026", "FL2026-0036", "open", "2026-11-05"),
    ("a7", "D01", "person", "320113194001010047", "202610", "FL2026-0004", "disposed",
     "2026-11-05"),
    # raised on a night whose data a later delivery corrected; the truth never lists it
    ("a8", "T01", "indicator", "ZB2026000009", "202604", "FL2026-0001", "resolved", "2026-11-05"),
]  # fmt: skip
# rule: (truth, alerts, tp, fp, fn, decoys flagged)
EXPECTED = {
    "E01": (2, 2, 1, 1, 1, 1),  # one hit, one missed, the look-alike flagged
    "K01": (1, 1, 1, 0, 0, 0),
    "T01": (1, 1, 1, 0, 0, 0),  # resolved and listed resolved; the unlisted one withdrawn
    "E02": (1, 0, 0, 0, 1, 0),  # resolved: gone from the data, not a prediction
    "X01": (1, 1, 0, 1, 1, 0),
    "D01": (0, 1, 0, 1, 0, 0),
    "all": (6, 6, 3, 3, 3, 1),
}


@pytest.fixture(scope="module")
def scored(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    database = "alerts_score"
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database} with (force)")
        conn.execute(f"create database {database}")
    url = with_database(warehouse_url, database)
    with psycopg.connect(url) as conn:
        conn.execute("create schema marts")
        conn.execute(
            """create table marts.alerts (alert_id text, rule_code text, subject_type text,
                   subject_key text, period text, fund_line_code text, status text)"""
        )
        conn.execute(
            "create table marts.alert_status_history (alert_id text, night date, status text)"
        )
        for alert_id, rule, kind, key, period, line, status, night in ALERTS:
            conn.execute(
                "insert into marts.alerts values (%s, %s, %s, %s, %s, %s, %s)",
                (alert_id, rule, kind, key, period, line, status),
            )
            conn.execute(
                "insert into marts.alert_status_history values (%s, %s, %s)",
                (alert_id, night, "open"),
            )
    truth = tmp_path_factory.mktemp("score") / "truth.csv"
    with truth.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            (
                "rule_code",
                "subject_type",
                "subject_key",
                "period",
                "fund_line_code",
                "amount_at_risk",
                "is_decoy",
                "note",
            )
        )
        writer.writerows(TRUTH)
    return url, truth


def score(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "sunshine"), "score", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SUNSHINE_WAREHOUSE_URL": url},
        timeout=120,
    )


def table(stdout: str) -> dict[str, tuple[int, ...]]:
    """The printed table: rule -> (truth, alerts, tp, fp, fn, decoys); ratios checked apart."""
    rows = [line.split() for line in stdout.strip().splitlines()[1:]]
    return {row[0]: tuple(int(v) for v in row[1:7]) for row in rows}


def ratios(stdout: str, rule: str) -> tuple[str, str]:
    for line in stdout.splitlines():
        if line.split()[0] == rule:
            return line.split()[7], line.split()[8]
    raise AssertionError(f"no line for {rule}")


def test_score_counts_hits_misses_and_flagged_lookalikes(scored: tuple[str, Path]) -> None:
    url, truth = scored
    result = score(url, "--truth", str(truth))
    assert result.returncode == 0, result.stderr
    assert table(result.stdout) == EXPECTED
    assert ratios(result.stdout, "E01") == ("0.500", "0.500")
    assert ratios(result.stdout, "E02") == ("-", "0.000")
    assert ratios(result.stdout, "all") == ("0.500", "0.500")
    withdrawn = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()[1:]}
    assert withdrawn["T01"] == "1" and withdrawn["all"] == "1" and withdrawn["E02"] == "0"


def test_score_thresholds_set_the_exit_code(scored: tuple[str, Path]) -> None:
    url, truth = scored
    passing = score(url, "--truth", str(truth), "--min-recall", "0.5", "--min-precision", "0.5")
    failing = score(url, "--truth", str(truth), "--min-recall", "0.6")
    assert passing.returncode == 0, passing.stderr
    assert failing.returncode == 1
    assert "recall 0.500 is below --min-recall 0.6" in failing.stderr


def test_score_as_of_an_earlier_night(scored: tuple[str, Path]) -> None:
    url, truth = scored
    result = score(url, "--truth", str(truth), "--night", "2026-11-04")
    assert result.returncode == 0, result.stderr
    rows = table(result.stdout)
    assert rows["all"] == (6, 1, 1, 0, 5, 0)  # only a1 had been detected by then


def test_score_says_what_is_missing(scored: tuple[str, Path], tmp_path: Path) -> None:
    url, _truth = scored
    result = score(url, "--truth", str(tmp_path / "nowhere.csv"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: no truth file at")


def write_simulator_truth(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["rule_code", "subject_type", "subject_key", "period", "fund_line_code",
             "amount_at_risk", "is_decoy", "note"]
        )  # fmt: skip
        writer.writerows(TRUTH)
    return path


def test_any_producers_truth_reads_as_the_simulators(tmp_path: Path) -> None:
    """The truth format of the simulator issue, written by another producer: `decoy` as
    0/1 (or TRUE/False), a BOM, blanks around names and values, its own extra columns,
    another column order. It names the same findings and decoys."""
    from sunshine.alerts.score import read_truth

    expected = read_truth(write_simulator_truth(tmp_path / "truth.csv"))
    foreign = tmp_path / "foreign.csv"
    with foreign.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([" decoy ", "rule_code", "subject_type", "subject_key", "period",
                         "fund_line_code", "amount_at_risk", "planted_by"])  # fmt: skip
        for i, (rule, kind, key, period, line, amount, is_decoy, _note) in enumerate(TRUTH):
            flag = ("1" if is_decoy == "true" else "0") if i % 2 else is_decoy.upper()
            writer.writerow([flag, rule, kind, f" {key} ", period, line, amount, "someone"])
    got = read_truth(foreign)
    assert expected.findings and expected.decoys
    assert (got.findings, got.decoys) == (expected.findings, expected.decoys)


def test_a_truth_flag_that_is_no_flag_names_its_line(tmp_path: Path) -> None:
    from sunshine.alerts.score import read_truth
    from sunshine.errors import SunshineError

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "rule_code,subject_type,subject_key,period,decoy\n"
        "E01,person,320113194001010012,202610,0\n"
        "E01,person,320113194001010020,202611,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(SunshineError, match=r"bad.csv line 3: decoy is 'maybe'"):
        read_truth(bad)
