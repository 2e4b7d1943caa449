"""Run one feed's checkpoint on one night's batch and keep the results."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import psycopg
from psycopg import sql

from sunshine.config import warehouse_url
from sunshine.errors import SunshineError
from sunshine.quality import results
from sunshine.quality.context import checkpoint_name, get_context, gx_environment
from sunshine.quality.suites import FEEDS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedQuality:
    feed: str
    night: dt.date
    checked: int
    failed_critical: list[str]
    failed_warning: list[str]

    @property
    def publishable(self) -> bool:
        return not self.failed_critical


def _describe(outcome: results.ExpectationOutcome) -> str:
    where = (
        f"{outcome.data_asset}.{outcome.column_name}" if outcome.column_name else outcome.data_asset
    )
    return f"{where}: {outcome.expectation} (observed {outcome.observed_value})"


def _has_rows(conn: psycopg.Connection, table: str, night: dt.date) -> bool:
    query = sql.SQL("select exists (select 1 from {} where _night = %s)").format(
        sql.Identifier("raw", table)
    )
    row = conn.execute(query, (night,)).fetchone()
    return bool(row and row[0])


def check_feed(feed: str, night: dt.date, url: str | None = None) -> FeedQuality:
    """Validate the feed's raw objects on `night`'s batch only; store and summarise.

    An object that landed no new rows that night has no batch, and is not validated
    (the load ledger says why it landed nothing).
    """
    if feed not in FEEDS:
        raise SunshineError(f"no expectations for feed '{feed}'; known feeds: {', '.join(FEEDS)}")
    url = url or warehouse_url()
    gx_environment(url)
    context = get_context()
    outcomes: list[results.ExpectationOutcome] = []
    with psycopg.connect(url) as conn:
        for table in FEEDS[feed]:
            if not _has_rows(conn, table, night):
                log.info("%s: no rows landed on %s, nothing to validate", table, night)
                continue
            try:
                checkpoint = context.checkpoints.get(checkpoint_name(table))
            except Exception as exc:
                raise SunshineError(
                    f"no GX checkpoint {checkpoint_name(table)}: run `sunshine quality configure`"
                ) from exc
            result = checkpoint.run(
                batch_parameters={"year": night.year, "month": night.month, "day": night.day}
            )
            found = results.outcomes_from(result)
            results.store(
                conn,
                run_id=str(result.run_id),
                checkpoint=checkpoint.name,
                night=night,
                outcomes=found,
            )
            conn.commit()
            outcomes += found
    if outcomes:
        context.build_data_docs()
    failed = [o for o in outcomes if not o.success]
    quality = FeedQuality(
        feed=feed,
        night=night,
        checked=len(outcomes),
        failed_critical=[_describe(o) for o in failed if o.severity == "critical"],
        failed_warning=[_describe(o) for o in failed if o.severity != "critical"],
    )
    log.info(
        "feed %s night %s: %d expectations, %d critical and %d warning failures",
        feed,
        night,
        quality.checked,
        len(quality.failed_critical),
        len(quality.failed_warning),
    )
    return quality
