"""How well the warehouse's alerts match the simulator's truth: precision and recall per rule.

A finding's identity is truth.py's `key_of`: (rule, subject_type, subject_key), plus the
period for the rules on a time grain, plus the fund line for X01. Look-alikes (is_decoy)
the warehouse flags count as false positives, and are also counted apart.

Resolved alerts: truth.py evaluates the rules on the last night's data, so a condition
that left the data is not in the truth, except T01, whose indicators disbursed in full
after their deadline the truth lists (note `resolved: ...`). So a resolved alert counts
as a prediction for the rules whose resolved findings the truth lists, and is left out
(neither right nor wrong) for the others.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from sunshine.errors import SunshineError

Key = tuple[str, ...]

# truth.py's PERIOD_RULES, kept here so scoring does not load the simulator; a test checks
# that the two agree.
PERIOD_RULES = frozenset(
    {
        "E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08",
        "D01", "D02", "D04", "D05", "S01", "C01", "T03", "T04",
    }
)  # fmt: skip
# Rules whose findings that later left the data truth.csv still lists (note "resolved:").
RESOLVED_LISTED = frozenset({"T01"})


def key_of(rule: str, subject_type: str, subject_key: str, period: str, fund_line: str) -> Key:
    base = (rule, subject_type, subject_key)
    if rule in PERIOD_RULES or rule == "X01":
        return (*base, period or "", (fund_line or "") if rule == "X01" else "")
    return base


@dataclass
class Truth:
    findings: set[Key] = field(default_factory=set)
    decoys: set[Key] = field(default_factory=set)


@dataclass(frozen=True)
class Alert:
    alert_id: str
    key: Key
    status: str


@dataclass(frozen=True)
class RuleScore:
    rule: str
    truth: int
    alerts: int
    true_positives: int
    false_positives: int
    false_negatives: int
    decoys_flagged: int
    withdrawn: int = 0  # resolved alerts the truth does not list: corrected by later data

    @property
    def precision(self) -> float | None:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.truth if self.truth else None


@dataclass(frozen=True)
class Score:
    night: dt.date | None
    rules: list[RuleScore]
    overall: RuleScore


TRUTH_COLUMNS = ("rule_code", "subject_type", "subject_key", "period")
DECOY_COLUMNS = ("decoy", "is_decoy")  # the truth format's name, then the simulator's
DECOY_FLAGS = {"1": True, "true": True, "0": False, "false": False}


def read_truth(path: Path) -> Truth:
    """Any producer's truth file: the columns `rule_code, subject_type, subject_key,
    period, fund_line_code, amount_at_risk, decoy` (decoy as 0/1 or true/false, or the
    simulator's `is_decoy`); other columns are ignored, a BOM and blanks around names
    and values tolerated. A flag that is neither names its line."""
    if not path.is_file():
        raise SunshineError(f"no truth file at {path}: `sunshine simulate` writes truth.csv")
    truth = Truth()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or ()]
        decoy_column = next((c for c in DECOY_COLUMNS if c in reader.fieldnames), None)
        missing = [c for c in TRUTH_COLUMNS if c not in reader.fieldnames]
        missing += [] if decoy_column else ["decoy"]
        if missing:
            raise SunshineError(f"{path} is not a truth file: no column {', '.join(missing)}")
        for row in reader:
            row = {name: (value or "").strip() for name, value in row.items() if name}
            flag = DECOY_FLAGS.get(row[decoy_column].lower())
            if flag is None:
                raise SunshineError(
                    f"{path} line {reader.line_num}: {decoy_column} is "
                    f"{row[decoy_column]!r}, not 0/1 or true/false"
                )
            key = key_of(
                row["rule_code"],
                row["subject_type"],
                row["subject_key"],
                row["period"],
                row.get("fund_line_code", ""),
            )
            (truth.decoys if flag else truth.findings).add(key)
    return truth


ALERTS_AS_OF = """
with latest as (
    select distinct on (alert_id) alert_id, status
    from marts.alert_status_history
    where night <= %(night)s
    order by alert_id, night desc
)
select a.alert_id, a.rule_code, a.subject_type, a.subject_key,
       coalesce(a.period, ''), coalesce(a.fund_line_code, ''), latest.status
from marts.alerts as a
inner join latest on latest.alert_id = a.alert_id
"""
ALERTS_NOW = """
select alert_id, rule_code, subject_type, subject_key,
       coalesce(period, ''), coalesce(fund_line_code, ''), status
from marts.alerts
"""


def read_alerts(conn: psycopg.Connection, night: dt.date | None) -> list[Alert]:
    """marts.alerts as built, or each alert's status as of an earlier night."""
    if conn.execute("select to_regclass('marts.alerts')").fetchone()[0] is None:
        raise SunshineError("marts.alerts does not exist yet: run a night first")
    if night is None:
        rows = conn.execute(ALERTS_NOW).fetchall()
    else:
        rows = conn.execute(ALERTS_AS_OF, {"night": night}).fetchall()
    return [Alert(r[0], key_of(*r[1:6]), r[6]) for r in rows]


def counted(alert: Alert, truth: Truth) -> bool:
    if alert.status != "resolved":
        return True
    return alert.key[0] in RESOLVED_LISTED and alert.key in truth.findings | truth.decoys


def withdrawn(alert: Alert, truth: Truth) -> bool:
    return alert.key[0] in RESOLVED_LISTED and not counted(alert, truth)


def score(truth: Truth, alerts: Iterable[Alert], night: dt.date | None = None) -> Score:
    predicted: dict[str, set[Key]] = defaultdict(set)
    taken_back: dict[str, set[Key]] = defaultdict(set)
    for alert in alerts:
        if counted(alert, truth):
            predicted[alert.key[0]].add(alert.key)
        elif withdrawn(alert, truth):
            taken_back[alert.key[0]].add(alert.key)
    expected: dict[str, set[Key]] = defaultdict(set)
    for key in truth.findings:
        expected[key[0]].add(key)
    rules = sorted(set(predicted) | set(expected) | set(taken_back))
    scores = [
        RuleScore(
            rule,
            len(expected[rule]),
            len(predicted[rule]),
            len(predicted[rule] & expected[rule]),
            len(predicted[rule] - expected[rule]),
            len(expected[rule] - predicted[rule]),
            len(predicted[rule] & truth.decoys),
            len(taken_back[rule]),
        )
        for rule in rules
    ]
    overall = RuleScore(
        "all",
        sum(s.truth for s in scores),
        sum(s.alerts for s in scores),
        sum(s.true_positives for s in scores),
        sum(s.false_positives for s in scores),
        sum(s.false_negatives for s in scores),
        sum(s.decoys_flagged for s in scores),
        sum(s.withdrawn for s in scores),
    )
    return Score(night, scores, overall)


def score_warehouse(url: str, truth_file: Path, night: dt.date | None = None) -> Score:
    truth = read_truth(truth_file)
    with psycopg.connect(url) as conn:
        alerts = read_alerts(conn, night)
    return score(truth, alerts, night)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(result: Score) -> list[str]:
    """The score as a table a person reads: one line per rule, then the overall line."""
    head = (
        f"{'rule':<5} {'truth':>6} {'alerts':>6} {'tp':>5} {'fp':>5} {'fn':>5} "
        f"{'decoys':>6} {'precision':>9} {'recall':>7} {'withdrawn':>9}"
    )
    lines = [head]
    for s in [*result.rules, result.overall]:
        lines.append(
            f"{s.rule:<5} {s.truth:>6} {s.alerts:>6} {s.true_positives:>5} "
            f"{s.false_positives:>5} {s.false_negatives:>5} {s.decoys_flagged:>6} "
            f"{_ratio(s.precision):>9} {_ratio(s.recall):>7} {s.withdrawn:>9}"
        )
    return lines
