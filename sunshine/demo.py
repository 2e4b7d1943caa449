"""`sunshine demo`: from a fresh clone to dashboards showing one Airflow-run night.

It sets up, starts the embedded warehouse (unless SUNSHINE_WAREHOUSE_URL names one),
simulates a small city's ten systems up to the night, runs that night through Airflow
(extraction of every system, quality checks, dbt), imports the dashboards and serves
Superset until Ctrl-C, which stops what the demo started.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from sunshine.config import WAREHOUSE_URL_ENV, configured_warehouse_url
from sunshine.errors import SunshineError

DEMO_PROFILE = "small"
DEMO_SEED = 1
DEMO_NIGHTS = 3  # simulated nights up to the demo's night; the demo runs the last one


def run_demo(night: dt.date, port: int, say: Callable[[str], None] = print) -> None:
    from sunshine.orchestrate.runner import run_night
    from sunshine.paths import sources_dir
    from sunshine.ports import port_in_use
    from sunshine.setup import set_up
    from sunshine.simulate import simulate
    from sunshine.superset import admin_credentials, import_assets, serve
    from sunshine.superset.assets import DASHBOARDS
    from sunshine.superset.credentials import auditor_credentials, commission_credentials
    from sunshine.superset.server import run_in_foreground
    from sunshine.warehouse import EmbeddedWarehouse

    # Fail before minutes of work, not after them.
    if port_in_use("127.0.0.1", port):
        raise SunshineError(
            f"port {port} is in use: run `sunshine demo --port N` with a free port, "
            "or stop what listens there"
        )
    began = time.monotonic()
    set_up(say)

    warehouse = None
    url = configured_warehouse_url()
    if url:
        say(f"warehouse: {WAREHOUSE_URL_ENV} is set, using that server")
    else:
        embedded = EmbeddedWarehouse()
        warehouse = None if embedded.status().running else embedded
        url = embedded.start()
        say(f"warehouse: embedded PostgreSQL on 127.0.0.1:{embedded.status().port}")
    try:
        summary = simulate(
            DEMO_PROFILE,
            DEMO_SEED,
            night - dt.timedelta(days=DEMO_NIGHTS - 1),
            DEMO_NIGHTS,
            sources_dir(),
            url,
            say=lambda _line: None,
        )
        say(
            f"sources: a simulated city of {summary.residents:,} residents, "
            f"{summary.source_rows:,} rows in ten systems ({summary.elapsed_seconds:.0f} s)"
        )
        sources = sources_dir() / "sources.yaml"
        night_began = time.monotonic()
        run_night(night, sources_file=sources, url=url, say=say)
        say(f"night {night} ran through Airflow in {time.monotonic() - night_began:.0f} s")
        say(f"superset: {import_assets(url)}")
        server = serve(host="127.0.0.1", port=port)
        say("")
        say(f"Sunshine is ready after {time.monotonic() - began:.0f} s:")
        for dashboard in DASHBOARDS:
            say(f"  {server.url}/superset/dashboard/{dashboard.slug}/  {dashboard.title}")
        for who, credentials in (
            ("admin", admin_credentials()),
            ("auditor, personal data masked", auditor_credentials()),
            ("commission, personal data whole", commission_credentials()),
        ):
            say(f"  user {credentials.user} / {credentials.password} ({who})")
        say("Ctrl-C stops Superset" + (" and the warehouse." if warehouse else "."))
        run_in_foreground(server)
    finally:
        if warehouse is not None:
            warehouse.stop()
            say("warehouse stopped")
