"""Seconds each dashboard takes to load in headless Chromium, per audience.

    .venv/bin/python bench/superset_load.py [--runs 3] [--out bench/results/superset_load.json]

Measures the Superset of the current SUNSHINE_HOME against its warehouse (or
SUNSHINE_WAREHOUSE_URL), which must hold a modelled night, e.g. the county profile:

    sunshine simulate --profile county --seed 20261103 --start 2026-11-03 --nights 3 \\
        --out $SUNSHINE_HOME/city
    sunshine nightly --date 2026-11-05 --sources $SUNSHINE_HOME/city/sources.yaml

It imports the dashboards, serves Superset on a free port, and opens every dashboard
as the auditor and as the commission: one load to warm the server, then `--runs`
timed loads. Two figures per load: until the charts of the first 1440x900 screen have
rendered (what a person waits for), and until every chart has (a window as tall as the
dashboard). The mart sizes are printed with them, since they decide the times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import psycopg

from sunshine.config import warehouse_url
from sunshine.superset import free_port, import_assets, serve
from sunshine.superset.assets import DASHBOARDS
from sunshine.superset.browser import launch, log_in, open_dashboard
from sunshine.superset.credentials import auditor_credentials, commission_credentials

MARTS = ("household_ledger", "alerts", "fund_trace", "disbursement_delays", "village_summary")


def mart_rows(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            mart: conn.execute(f"select count(*) from marts.{mart}").fetchone()[0] for mart in MARTS
        }


def measure(base_url: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for role, credentials in (
                ("auditor", auditor_credentials()),
                ("commission", commission_credentials()),
            ):
                page = browser.new_page()
                log_in(page, base_url, credentials)
                for dashboard in DASHBOARDS:
                    open_dashboard(page, base_url, dashboard.slug)  # warm-up
                    views = [open_dashboard(page, base_url, dashboard.slug) for _ in range(runs)]
                    first = [v.seconds_first_screen for v in views]
                    every = [v.seconds_all_charts for v in views]
                    results.append(
                        {
                            "dashboard": dashboard.slug,
                            "role": role,
                            "charts": views[-1].charts,
                            "errors": len(views[-1].errors),
                            "first_screen_median_s": round(statistics.median(first), 2),
                            "all_charts_median_s": round(statistics.median(every), 2),
                            "all_charts_max_s": round(max(every), 2),
                        }
                    )
                    print(json.dumps(results[-1], ensure_ascii=False), flush=True)
                page.close()
        finally:
            browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/superset_load.json"))
    args = parser.parse_args()

    url = warehouse_url()
    sizes = mart_rows(url)
    print(f"mart rows: {sizes}", flush=True)
    print(import_assets(url), flush=True)
    with serve(port=free_port()) as server:
        results = measure(server.url, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"mart_rows": sizes, "runs": args.runs, "loads": results}, indent=2) + "\n"
    )
    print(f"wrote {args.out}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
