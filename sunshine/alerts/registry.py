"""The rule registry (seeds rule_registry and rule_parameters) as docs/alert_rules.md.

`python -m sunshine.alerts.registry` rewrites the page; tests/test_alerts_registry.py fails
when the page and the seeds disagree.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from sunshine.paths import DBT_PROJECT_DIR, PROJECT_ROOT

SEEDS = DBT_PROJECT_DIR / "seeds"
DOC = PROJECT_ROOT / "docs" / "alert_rules.md"
GROUPS = {
    "timeliness": "Timeliness 时效",
    "eligibility": "Eligibility 资格",
    "duplication": "Duplication 重复",
    "amount": "Amount 标准",
    "conflict": "Conflict of interest 优亲厚友",
    "budget": "Budget against payment 对账",
    "collective": "Rural collective 三资",
    "statistics": "Statistics 统计",
}

HEADER = """# Alert rules

Generated from the seeds `rule_registry` and `rule_parameters`
(`python -m sunshine.alerts.registry`); the same rows are `marts.alert_rules`, with the
model that implements each rule. The rules themselves: `shared/rules.md`; the contract a
rule model keeps: `dbt_project/models/intermediate/alerts/README.md`; the loop an alert
goes through: `docs/supervision.md`.

Numbers rules.md gives and fund_lines.yaml does not (seed `rule_parameters`, read by the
models through the macro `rule_parameter`):

| rule | parameter | value | unit | meaning | source |
|---|---|---|---|---|---|
"""


def read_csv(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def render() -> str:
    parameters = read_csv("rule_parameters.csv")
    lines = [HEADER.rstrip("\n")]
    for p in parameters:
        lines.append(
            f"| {p['rule_code']} | {p['parameter']} | {p['value']} | {p['unit']} "
            f"| {p['meaning']} | {p['source']} |"
        )
    by_group: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rule in read_csv("rule_registry.csv"):
        by_group[rule["rule_group"]].append(rule)
    for group, title in GROUPS.items():
        lines += ["", f"## {title}"]
        for r in by_group.pop(group, []):
            lines += [
                "",
                f"### {r['rule_code']} {r['name_en']} {r['name_zh']}",
                "",
                f"- **Checks:** {r['checks']}.",
                f"- **Leaves out:** {r['exclusions']}.",
                f"- **Parameters:** {r['parameters']}.",
                f"- **Subject:** {r['subject_types']}; **severity:** {r['severity_rule']}.",
                f"- **Owner without a fund line:** {r['default_owner_zh']}.",
            ]
    if by_group:
        raise ValueError(f"rule groups without a title: {', '.join(sorted(by_group))}")
    return "\n".join(lines) + "\n"


def write(path: Path = DOC) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
