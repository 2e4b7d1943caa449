"""dbt's documentation: `dbt docs generate` on a warehouse with staging built, every
model described with its grain, and the exposures matching the Superset dashboards.

The warehouse is a database of its own on the session's server, with every raw table the
contracts define (empty: the catalog needs relations, not rows). Only staging is built
and catalogued: intermediate models and marts need policy seeds and each other, and the
masked views read their mart's columns when compiled.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg
import pytest
import yaml

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS
from sunshine.dbt import run_dbt
from sunshine.load import raw
from sunshine.paths import DBT_PROJECT_DIR, PROJECT_ROOT

pytestmark = pytest.mark.slow

GRAIN = re.compile(r"\bgrain\b|\bone row per\b", re.IGNORECASE)
ASSETS = PROJECT_ROOT / "superset_assets"
DASHBOARD_URL = re.compile(r"^http://localhost:8088/superset/dashboard/([a-z0-9-]+)/$")
OWNER = "Sunshine data team"
# A relation a dataset's SQL reads: `from schema.table` / `join schema.table`, where the
# schema may be Superset Jinja choosing marts or their masked views by the user's roles.
READS = re.compile(r"\b(?:from|join)\s+(\{\{.*?\}\}|\w+)\.(\w+)", re.IGNORECASE)
PERSONAL_DATA_SCHEMAS = ("marts", "marts_masked")


@pytest.fixture(scope="module")
def docs(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """manifest.json and catalog.json of `dbt docs generate` after staging was built."""
    work = tmp_path_factory.mktemp("dbt_docs")
    database = "docs_check"
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {database} with (force)")
        conn.execute(f"create database {database}")
    url = with_database(warehouse_url, database)
    with psycopg.connect(url) as conn:
        for code, system in SYSTEMS.items():
            for obj in system.objects:
                raw.ensure_raw_table(conn, code, obj)
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    run_dbt(["run", "--select", "staging", *paths], url, quiet=True)
    run_dbt(["docs", "generate", "--select", "staging", *paths], url, quiet=True)
    return {
        name: json.loads((work / "target" / f"{name}.json").read_text())
        for name in ("manifest", "catalog")
    }


def nodes(manifest: dict, *kinds: str) -> dict[str, dict]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in kinds and node["package_name"] == "sunshine"
    }


def test_catalog_lists_every_staging_model_and_its_documented_columns(docs: dict) -> None:
    manifest, catalog = docs["manifest"], docs["catalog"]
    staging = {
        uid
        for uid, node in nodes(manifest, "model").items()
        if node["original_file_path"].startswith("models/staging/")
    }
    assert len(staging) >= sum(len(s.objects) for s in SYSTEMS.values())
    assert set(catalog["nodes"]) == staging
    undocumented, missing = [], []
    for uid in sorted(staging):
        built = {name.lower() for name in catalog["nodes"][uid]["columns"]}
        node = manifest["nodes"][uid]
        if not node["description"].strip():
            undocumented.append(node["name"])
        # A column the YAML documents must exist in the built view.
        missing += [f"{node['name']}.{c}" for c in node["columns"] if c.lower() not in built]
    assert not undocumented, f"staging models without a description: {undocumented}"
    assert not missing, f"documented columns the warehouse does not have: {missing}"


def test_every_model_file_is_in_the_manifest_with_a_description(docs: dict) -> None:
    models = nodes(docs["manifest"], "model")
    files = {
        str(path.relative_to(DBT_PROJECT_DIR))
        for path in (DBT_PROJECT_DIR / "models").rglob("*.sql")
    }
    assert files == {node["original_file_path"] for node in models.values()}
    undescribed = sorted(
        node["original_file_path"] for node in models.values() if not node["description"].strip()
    )
    assert not undescribed, f"models without a YAML description: {undescribed}"


def test_every_model_and_snapshot_states_its_grain(docs: dict) -> None:
    documented = nodes(docs["manifest"], "model", "snapshot")
    assert any(node["resource_type"] == "snapshot" for node in documented.values())
    no_grain = sorted(
        f"{node['original_file_path']}: {node['description'][:70]!r}"
        for node in documented.values()
        if not GRAIN.search(node["description"])
    )
    assert not no_grain, (
        "descriptions that do not state the grain ('grain' or 'one row per'):\n"
        + "\n".join(no_grain)
    )


def dashboard_reads(manifest: dict) -> dict[str, set[str]]:
    """Per dashboard slug, the dbt models and sources its charts' datasets read."""
    relations: dict[tuple[str, str], str] = {}
    for uid, node in nodes(manifest, "model").items():
        relations[(node["schema"], node["alias"])] = uid
    for uid, source in manifest["sources"].items():
        relations[(source["schema"], source["identifier"])] = uid
    datasets: dict[str, set[str]] = {}
    for path in ASSETS.glob("datasets/*/*.yaml"):
        dataset = yaml.safe_load(path.read_text())
        read = {(dataset["schema"], dataset["table_name"])} if dataset.get("schema") else set()
        for schema, table in READS.findall(dataset.get("sql") or ""):
            schemas = PERSONAL_DATA_SCHEMAS if schema.startswith("{{") else (schema,)
            read |= {(s, table) for s in schemas}
        datasets[dataset["uuid"]] = {relations[r] for r in read if r in relations}
    chart_dataset = {
        chart["uuid"]: chart["dataset_uuid"]
        for chart in map(yaml.safe_load, map(Path.read_text, ASSETS.glob("charts/*.yaml")))
    }
    reads = {}
    for path in ASSETS.glob("dashboards/*.yaml"):
        dashboard = yaml.safe_load(path.read_text())
        charts = [
            item["meta"]["uuid"]
            for item in dashboard["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
        ]
        reads[dashboard["slug"]] = set().union(*(datasets[chart_dataset[c]] for c in charts))
    return reads


def test_exposures_name_the_dashboards_and_what_they_read(docs: dict) -> None:
    manifest = docs["manifest"]
    reads = dashboard_reads(manifest)
    assert "budget-overview" in reads
    exposures = {}
    for exposure in manifest["exposures"].values():
        match = DASHBOARD_URL.match(exposure["url"] or "")
        assert match, f"{exposure['name']}: url {exposure['url']!r} is no dashboard url"
        assert (exposure["type"], exposure["owner"]["name"]) == ("dashboard", OWNER)
        exposures[match.group(1)] = set(exposure["depends_on"]["nodes"])
    assert set(exposures) <= set(reads), "exposures for dashboards superset_assets lacks"
    # Every dashboard that reads a dbt model or source is an exposure depending on exactly
    # what it reads.
    expected = {slug: read for slug, read in reads.items() if read}
    assert exposures == expected
