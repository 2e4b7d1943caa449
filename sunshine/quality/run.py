"""Run a feed's checkpoints on one night's batch, or the marts' after dbt; keep the results."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from sunshine.config import warehouse_url
from sunshine.errors import SunshineError
from sunshine.paths import EXPECTATIONS_DIR
from sunshine.quality import results
from sunshine.quality.context import checkpoint_name, get_context, gx_environment
from sunshine.quality.suites import FEEDS, MARTS

log = logging.getLogger(__name__)
MARTS_FEED = "marts"


@dataclass(frozen=True)
class FeedQuality:
    feed: str
    night: dt.date
    checked: int
    failed_critical: list[str]
    failed_warning: list[str]
    validated: tuple[str, ...] = ()

    @property
    def publishable(self) -> bool:
        return not self.failed_critical


def _describe(outcome: results.ExpectationOutcome) -> str:
    """Object, expectation and what was observed, as one line for a task's error."""
    o = outcome
    where = f"{o.data_asset}.{o.column_name}" if o.column_name else o.data_asset
    what = o.expectation + (f" ({o.description})" if o.description else "")
    seen = f"observed {o.observed_value}" if o.observed_value is not None else "observed"
    if o.unexpected_count and o.observed_value is None:
        share = f" ({o.unexpected_percent:.2f}%)" if o.unexpected_percent is not None else ""
        examples = ", ".join(map(repr, (o.partial_unexpected or [])[:3]))
        seen += f" {o.unexpected_count} unexpected{share}" + (
            f", e.g. {examples}" if examples else ""
        )
    return f"{where}: {what}, {seen}"


def _exists(conn: psycopg.Connection, schema: str, table: str) -> bool:
    row = conn.execute("select to_regclass(%s) is not null", (f'"{schema}"."{table}"',)).fetchone()
    return bool(row and row[0])


def _has_rows(conn: psycopg.Connection, table: str, night: dt.date) -> bool:
    if not _exists(conn, "raw", table):
        return False
    query = sql.SQL("select exists (select 1 from {} where _night = %s)").format(
        sql.Identifier("raw", table)
    )
    row = conn.execute(query, (night,)).fetchone()
    return bool(row and row[0])


def _run(context, conn: psycopg.Connection, name: str, night: dt.date, docs: list, **batch) -> list:
    """Run one checkpoint, store its outcomes; `docs` collects what Data Docs must render."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    try:
        checkpoint = context.checkpoints.get(name)
    except Exception as exc:
        raise SunshineError(
            f"no GX checkpoint {name}: run `python -m sunshine.quality configure`"
        ) from exc
    result = checkpoint.run(batch_parameters=batch or None)
    found = results.outcomes_from(result)
    results.store(conn, run_id=str(result.run_id), checkpoint=name, night=night, outcomes=found)
    conn.commit()
    docs += [*result.run_results, ExpectationSuiteIdentifier(name=name)]
    return found


def _build_docs(context, docs: list) -> None:
    # Only this run's pages (and the index): a full rebuild renders every result ever kept.
    if docs:
        context.build_data_docs(resource_identifiers=docs)


def _report(feed: str, night: dt.date, outcomes: list, validated: list[str]) -> FeedQuality:
    failed = [o for o in outcomes if not o.success]
    quality = FeedQuality(
        feed=feed,
        night=night,
        checked=len(outcomes),
        failed_critical=[_describe(o) for o in failed if o.severity == "critical"],
        failed_warning=[_describe(o) for o in failed if o.severity != "critical"],
        validated=tuple(validated),
    )
    log.info(
        "%s night %s: %d tables, %d expectations, %d critical and %d warning failures",
        feed,
        night,
        len(validated),
        quality.checked,
        len(quality.failed_critical),
        len(quality.failed_warning),
    )
    return quality


def check_feed(
    feed: str, night: dt.date, url: str | None = None, project_root: Path = EXPECTATIONS_DIR
) -> FeedQuality:
    """Validate the feed's raw objects on `night`'s batch only; store and summarise.

    An object that landed no new rows that night has no batch, and is not validated
    (the load ledger says why it landed nothing).
    """
    if feed not in FEEDS:
        raise SunshineError(f"no expectations for feed '{feed}'; known feeds: {', '.join(FEEDS)}")
    url = url or warehouse_url()
    gx_environment(url)
    context = get_context(project_root)
    outcomes: list[results.ExpectationOutcome] = []
    validated, docs = [], []
    with results.private_results(project_root), psycopg.connect(url) as conn:
        for table in FEEDS[feed]:
            if not _has_rows(conn, table, night):
                log.info("%s: no rows landed on %s, nothing to validate", table, night)
                continue
            batch = {"year": night.year, "month": night.month, "day": night.day}
            outcomes += _run(context, conn, checkpoint_name(table), night, docs, **batch)
            validated.append(table)
        _build_docs(context, docs)
    return _report(feed, night, outcomes, validated)


def check_marts(
    night: dt.date, url: str | None = None, project_root: Path = EXPECTATIONS_DIR
) -> FeedQuality:
    """Validate the key marts as dbt left them; results are filed under `night`.

    A mart dbt has not built on this warehouse (yet) is skipped, not failed.
    """
    url = url or warehouse_url()
    gx_environment(url)
    context = get_context(project_root)
    outcomes: list[results.ExpectationOutcome] = []
    validated, docs = [], []
    with results.private_results(project_root), psycopg.connect(url) as conn:
        for mart in MARTS:
            if not _exists(conn, "marts", mart):
                log.info("marts.%s does not exist here, nothing to validate", mart)
                continue
            outcomes += _run(context, conn, checkpoint_name(mart, "marts"), night, docs)
            validated.append(f"marts.{mart}")
        _build_docs(context, docs)
    return _report(MARTS_FEED, night, outcomes, validated)
