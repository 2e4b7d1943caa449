"""The union of the rule models: every rule model is in it, and dbt knows it.

dbt learns a model's dependencies while parsing, when `graph` is still empty, so
int_alert_findings declares each rule model in a `-- depends_on` line and unions the
models tagged alert_rule it finds in `graph` when it compiles. These tests read the
parsed manifest (every tagged model a parent, every one checked by alert_rule_shape) and
show that a new rule model without its line stops the build with the line to add.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_alerts_loop import dbt, project_dir

pytestmark = pytest.mark.slow


def manifest(project: Path, url: str, work: Path) -> dict:
    dbt(["parse"], url, work, project)
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("alerts_union")
    return manifest(project_dir(), warehouse_url, work)


def rule_models(nodes: dict) -> set[str]:
    return {
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "model" and "alert_rule" in node["tags"]
    }


def test_every_rule_model_feeds_the_findings(parsed: dict) -> None:
    nodes = parsed["nodes"]
    rules = rule_models(nodes)
    codes = {nodes[uid]["name"].split("__")[0].removeprefix("int_rule_") for uid in rules}
    assert len(rules) == len(codes) == 28
    findings = nodes["model.sunshine.int_alert_findings"]
    assert rules <= set(findings["depends_on"]["nodes"])


def test_every_rule_model_is_checked_for_the_contract(parsed: dict) -> None:
    nodes = parsed["nodes"]
    checked = {
        node["attached_node"]
        for node in nodes.values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "alert_rule_shape"
    }
    assert rule_models(nodes) <= checked


def test_a_rule_model_without_its_line_stops_the_build(
    warehouse_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    copy = tmp_path_factory.mktemp("alerts_union_probe") / "dbt_project"
    shutil.copytree(project_dir(), copy, ignore=shutil.ignore_patterns("target", "logs"))
    probe = copy / "models" / "intermediate" / "alerts" / "rules" / "int_rule_z99__probe.sql"
    probe.write_text("{{ config(tags=['alert_rule']) }}\nselect 1 as rule_code\n", encoding="utf-8")
    work = copy.parent / "work"
    with pytest.raises(AssertionError) as failed:
        dbt(["compile", "--select", "int_alert_findings"], warehouse_url, work, copy)
    assert "-- depends_on: {{ ref('int_rule_z99__probe') }}" in str(failed.value)
