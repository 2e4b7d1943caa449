"""The policy parameters as dbt seeds, written from the contract encoding.

dbt reads thresholds from tables, never from literals in SQL; these CSV files are those
tables. They are generated from `sunshine.contracts` (which a test checks against the
interface documents) and committed, so a clone builds without running Python first; a
test fails when the committed files and the encoding disagree.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from sunshine.contracts.policy import CATEGORIES, SUPERVISION
from sunshine.paths import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def policy_categories_csv() -> str:
    fields = [f.name for f in dataclasses.fields(next(iter(CATEGORIES.values())))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["category", *fields[1:]])
    for category in CATEGORIES.values():
        writer.writerow(_text(getattr(category, f)) for f in fields)
    return out.getvalue()


def policy_supervision_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["parameter", "value", "meaning"])
    writer.writerow(
        [
            "department_response_days",
            SUPERVISION.department_response_days,
            "days a department has to dispose an alert",
        ]
    )
    writer.writerow(
        [
            "escalate_after_overdue_days",
            SUPERVISION.escalate_after_overdue_days,
            "days overdue before an alert goes to the commission's re-supervision queue",
        ]
    )
    for severity, days in SUPERVISION.severity_by_delay_days.items():
        writer.writerow(
            [f"delay_days_{severity}", days, f"first day past a deadline that is {severity}"]
        )
    return out.getvalue()


SEEDS = {
    "policy_categories.csv": policy_categories_csv,
    "policy_supervision.csv": policy_supervision_csv,
}


def write_seeds(folder: Path = SEEDS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in SEEDS.items():
        path = folder / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_seeds():
        print(path)
