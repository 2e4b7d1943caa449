"""Superset end to end: set-up, the dashboards-as-code import, chart data, a real browser.

Runs against the mart the nightly run builds (`mart_ready`), a fresh Superset under the
session's private SUNSHINE_HOME, served on a free port and stopped at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import yaml

from sunshine.paths import SUPERSET_ASSETS_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLUG = "budget-overview"
SCREENSHOT = "superset_budget_overview.png"
# Chart states a person would see as broken.
ERROR_SELECTORS = ".alert-danger, .ant-alert-error, [data-test='error-message']"
ERROR_TEXTS = ("Unexpected error", "An error occurred", "Data error", "No results")


def _mart(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def _bundle_counts() -> dict[str, int]:
    """How many assets of each kind the bundle holds."""
    kinds = ("charts", "dashboards", "databases", "datasets")
    return {k: len(list((SUPERSET_ASSETS_DIR / k).rglob("*.yaml"))) for k in kinds}


# ---------------------------------------------------------------- bundle (fast)


def test_committed_bundle_names_no_warehouse_and_renders_the_real_one(tmp_path: Path) -> None:
    from sunshine.superset import render_bundle

    database = yaml.safe_load(
        (SUPERSET_ASSETS_DIR / "databases/Sunshine_Warehouse.yaml").read_text()
    )
    assert ":XXXXXXXXXX@warehouse:5432/" in database["sqlalchemy_uri"]
    for path in SUPERSET_ASSETS_DIR.rglob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"\b(chartId|datasource_id|slice_id|id)\"?:\s*\d", text), path
        assert "127.0.0.1" not in text and "localhost" not in text, path

    url = "postgresql://sunshine:s%40cret@127.0.0.1:6543/sunshine"
    bundle = render_bundle(url, tmp_path / "bundle.zip")
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        rendered = yaml.safe_load(
            archive.read("sunshine_superset_assets/databases/Sunshine_Warehouse.yaml")
        )
    assert "sunshine_superset_assets/metadata.yaml" in names
    assert rendered["sqlalchemy_uri"] == (
        "postgresql+psycopg2://sunshine:s%40cret@127.0.0.1:6543/sunshine"
    )


# ---------------------------------------------------------------- end to end (slow)


@pytest.fixture(scope="module")
def superset_imported(mart_ready: str, sunshine_home: Path) -> dict:
    """A fresh Superset set up twice and imported twice, with timings."""
    from sunshine.paths import superset_home
    from sunshine.superset import import_assets, setup
    from sunshine.superset.bundle import import_bundle

    # Fresh even when another module of the session set one up in the same home.
    shutil.rmtree(superset_home(), ignore_errors=True)
    timings: dict[str, float] = {}
    started = time.monotonic()
    first = setup()
    timings["setup_first"] = time.monotonic() - started
    started = time.monotonic()
    second = setup()
    timings["setup_second"] = time.monotonic() - started
    # Import once pointed at a wrong port, then at the real warehouse: the charts only
    # answer later if the re-import really overwrote the database connection.
    wrong = re.sub(r":(\d+)/", ":1/", mart_ready)
    import_bundle(wrong)
    started = time.monotonic()
    summary = import_assets(mart_ready)
    timings["import"] = time.monotonic() - started
    print(f"superset timings: { {k: round(v, 1) for k, v in timings.items()} }")
    return {"first": first, "second": second, "summary": summary, "timings": timings}


@pytest.fixture(scope="module")
def superset_server(superset_imported: dict) -> Iterator:
    from sunshine.superset import free_port, serve

    port = free_port()
    assert port != 8088
    server = serve(port=port)
    try:
        yield server
    finally:
        server.stop()
    assert not server.running()


@pytest.fixture(scope="module")
def api(superset_server) -> requests.Session:
    from sunshine.superset import admin_credentials

    credentials = admin_credentials()
    response = requests.post(
        f"{superset_server.url}/api/v1/security/login",
        json={
            "username": credentials.user,
            "password": credentials.password,
            "provider": "db",
            "refresh": False,
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return session


@pytest.mark.slow
def test_setup_and_import_into_a_fresh_superset(superset_imported: dict, sunshine_home) -> None:
    from sunshine.paths import superset_home

    assert superset_home().is_relative_to(sunshine_home)
    assert superset_imported["first"] is True
    assert superset_imported["second"] is False, "second setup() should find nothing to do"
    assert superset_imported["timings"]["setup_second"] < 5
    counts = _bundle_counts()
    assert superset_imported["summary"].startswith(
        f"imported {counts['charts']} charts, {counts['dashboards']} dashboards, "
        f"{counts['databases']} databases, {counts['datasets']} datasets; users: "
    ), superset_imported["summary"]
    for secret in ("secret_key", "admin_password", "auditor_password", "auditor_db_password"):
        mode = stat.S_IMODE(os.stat(superset_home() / secret).st_mode)
        assert mode == 0o600, f"{secret} has mode {oct(mode)}"


@pytest.mark.slow
def test_dashboard_charts_answer_with_the_marts_rows(
    superset_server, api: requests.Session, mart_ready: str
) -> None:
    base = superset_server.url
    # Two imports left one of each asset: matched by uuid, overwritten.
    for kind, expected in _bundle_counts().items():
        kind = kind.removesuffix("s")
        count = api.get(f"{base}/api/v1/{kind}/", timeout=30).json()["count"]
        assert count == expected, f"{count} {kind}s after two imports"

    dashboard = api.get(f"{base}/api/v1/dashboard/{SLUG}", timeout=30)
    assert dashboard.status_code == 200, dashboard.text
    assert dashboard.json()["result"]["dashboard_title"] == "预算指标总览 Budget indicators"
    charts = api.get(f"{base}/api/v1/dashboard/{SLUG}/charts", timeout=30).json()["result"]
    by_type = {chart["form_data"]["viz_type"]: chart for chart in charts}
    assert set(by_type) == {"table", "echarts_timeseries_bar"}

    data = {}
    for viz_type, chart in by_type.items():
        response = api.get(f"{base}/api/v1/chart/{chart['id']}/data/", timeout=60)
        assert response.status_code == 200, f"{chart['slice_name']}: {response.text[:500]}"
        result = response.json()["result"][0]
        assert result["status"] == "success", result.get("error")
        assert result["data"], f"{chart['slice_name']} returned no rows"
        data[viz_type] = result["data"]

    mart_rows = _mart(
        mart_ready,
        "select fund_line_code, coalesce(district_name || ' ' || district_code, district_code), "
        "fiscal_year, budgeted_amount from marts.fund_line_budgets",
    )
    table = data["table"]
    assert len(table) == len(mart_rows)
    # The table shows the district's name beside its code ("name code"), as the mart holds them.
    assert {(r["fund_line_code"], r["district_label"], r["fiscal_year"]) for r in table} == {
        row[:3] for row in mart_rows
    }
    total = sum(row[3] for row in mart_rows)
    table_total = sum(Decimal(str(r["budgeted_amount"])) for r in table)
    assert table_total == total
    amounts = [r["budgeted_amount"] for r in table]
    assert amounts == sorted(amounts, reverse=True), "largest budget first"

    departments = dict(
        _mart(
            mart_ready,
            "select department_name, sum(budgeted_amount) from marts.fund_line_budgets "
            "group by department_name",
        )
    )
    bars = {
        r["department_name"]: Decimal(str(r["budgeted_total"]))
        for r in data["echarts_timeseries_bar"]
    }
    assert bars == departments


@pytest.mark.slow
def test_dashboard_renders_in_chromium(
    superset_server, mart_ready: str, artifacts_dir: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the test command's set-up installs the Debian "
            "`chromium` package (apt-get install chromium)"
        )
    from playwright.sync_api import expect, sync_playwright

    from sunshine.superset import admin_credentials

    credentials = admin_credentials()
    ((top_fund_line,),) = _mart(
        mart_ready,
        "select fund_line_name from marts.fund_line_budgets "
        "order by budgeted_amount desc, fund_line_code limit 1",
    )
    base = superset_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{base}/login/")
            page.fill("#username", credentials.user)
            page.fill("#password", credentials.password)
            page.click("[data-test='login-button']")
            page.wait_for_url(re.compile(r"/superset/welcome/"))

            page.goto(f"{base}/superset/dashboard/{SLUG}/")
            expect(page.locator(".dashboard-chart")).to_have_count(2)
            table = page.locator(".superset-chart-table")
            expect(table.locator("tbody tr").first).to_be_visible()
            expect(table).to_contain_text(top_fund_line)
            bars = page.locator(".echarts_timeseries_bar").locator("canvas, svg").first
            expect(bars).to_be_visible()
            expect(page.locator(".dashboard-chart .loading")).to_have_count(0)
            page.wait_for_timeout(1000)  # let the bar chart's animation finish
            page.screenshot(path=str(artifacts_dir / SCREENSHOT), full_page=True)

            expect(page.locator(ERROR_SELECTORS)).to_have_count(0)
            body = page.inner_text("body")
            for text in ERROR_TEXTS:
                assert text not in body, f"the dashboard shows {text!r}"
            assert "预算指标总览 Budget indicators" in body
        finally:
            browser.close()
