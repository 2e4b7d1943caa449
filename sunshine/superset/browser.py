"""Opening dashboards in headless Chromium, as a person would: for the tests and bench/.

Debian's Chromium (scripts/ensure-browser.sh installs it; Playwright cannot download
its own here). Superset mounts a chart only when it scrolls into view, so "every chart
rendered" is measured with a window as tall as the dashboard.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from sunshine.superset.credentials import Credentials

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1440, "height": 900}
# Chart states a person would see as broken.
ERROR_SELECTORS = ".alert-danger, .ant-alert-error, [data-test='error-message']"
TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class DashboardView:
    slug: str
    seconds_first_screen: float  # until the charts of the first 1440x900 screen rendered
    seconds_all_charts: float  # until every chart rendered
    charts: int
    errors: list[str]
    text: str  # the page's visible text
    chart_text: str  # the charts' visible text (no titles, notes or filters)


def launch(playwright):
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure-browser.sh)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def log_in(page, base_url: str, credentials: Credentials) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#username", credentials.user)
    page.fill("#password", credentials.password)
    page.click("[data-test='login-button']")
    page.wait_for_url(
        re.compile(r"/superset/welcome/"), timeout=TIMEOUT_MS, wait_until="domcontentloaded"
    )


def _wait_rendered(page) -> None:
    from playwright.sync_api import expect

    page.wait_for_selector(".dashboard-chart", timeout=TIMEOUT_MS)
    expect(page.locator(".dashboard-chart .loading")).to_have_count(0, timeout=TIMEOUT_MS)


def open_dashboard(page, base_url: str, slug: str, screenshot: Path | None = None) -> DashboardView:
    """Open a dashboard at laptop size, then tall enough for every chart; time both."""
    page.set_viewport_size(LAPTOP)
    started = time.monotonic()
    page.goto(f"{base_url}/superset/dashboard/{slug}/", timeout=TIMEOUT_MS)
    _wait_rendered(page)
    first_screen = time.monotonic() - started
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": LAPTOP["width"], "height": max(height, LAPTOP["height"])})
    page.wait_for_timeout(300)  # let the newly visible charts start loading
    _wait_rendered(page)
    all_charts = time.monotonic() - started
    page.wait_for_timeout(1000)  # let the charts' animations finish
    if screenshot is not None:
        page.screenshot(path=str(screenshot))
    view = DashboardView(
        slug=slug,
        seconds_first_screen=first_screen,
        seconds_all_charts=all_charts,
        charts=page.locator(".dashboard-chart").count(),
        errors=page.locator(ERROR_SELECTORS).all_inner_texts(),
        text=page.inner_text("body"),
        chart_text="\n".join(page.locator(".dashboard-chart").all_inner_texts()),
    )
    page.set_viewport_size(LAPTOP)
    return view
