"""GX validation results as rows in the warehouse, so quality can be browsed.

One row per expectation per validated batch: `ops.quality_results`. A rerun of a
night replaces that night's rows for the suite, so the table says what the data of
that night looks like now, not how often it was checked.

GX also keeps each validation result and its Data Docs page as files under
`gx/uncommitted/`; they quote failing values (identity numbers, accounts), so they are
written under umask 077 and kept at 0600 (folders 0700), like the quarantine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from sunshine.schema_lock import hold_schema_lock

DDL = """
create schema if not exists ops;
create table if not exists ops.quality_results (
    run_id text not null,
    checkpoint text not null,
    suite text not null,
    data_asset text not null,
    night date not null,
    expectation text not null,
    column_name text,
    kwargs jsonb not null,
    severity text not null,
    success boolean not null,
    observed_value text,
    element_count bigint,
    unexpected_count bigint,
    unexpected_percent numeric,
    partial_unexpected jsonb,
    validated_at timestamptz not null default now()
);
create index if not exists quality_results_night on ops.quality_results (night, suite);
-- The table validated (raw.<system>__<object> or marts.<name>) and what the check means.
alter table ops.quality_results add column if not exists object text;
alter table ops.quality_results add column if not exists description text;
"""


def result_files(project_root: Path) -> Path:
    """Where a file context keeps its validation results and Data Docs."""
    return project_root / "gx" / "uncommitted"


def make_private(folder: Path) -> None:
    """Folders 0700, files 0600 below `folder`; links are not followed."""
    if not folder.is_dir() or folder.is_symlink():
        return
    folder.chmod(0o700)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(0o700)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(0o600)


@contextlib.contextmanager
def private_results(project_root: Path) -> Iterator[None]:
    """Write GX's result files under umask 077, then tighten any written before it."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)
        make_private(result_files(project_root))


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    data_asset: str
    expectation: str
    description: str | None
    column_name: str | None
    kwargs: dict[str, Any]
    severity: str
    success: bool
    observed_value: str | None
    element_count: int | None
    unexpected_count: int | None
    unexpected_percent: float | None
    partial_unexpected: list[Any] | None


def _severity(config) -> str:
    severity = getattr(config, "severity", None)
    return str(getattr(severity, "value", severity) or "critical")


def _error(result) -> str | None:
    """The message of an expectation that could not be evaluated (its query failed)."""
    info = result.exception_info or {}
    found = [info, *(v for v in info.values() if isinstance(v, dict))]
    for entry in found:
        if entry.get("raised_exception"):
            message = str(entry.get("exception_message") or "unknown").strip().splitlines()
            return f"error: {message[0][:300] if message else 'unknown'}"
    return None


def outcomes_from(checkpoint_result) -> list[ExpectationOutcome]:
    """Flatten a CheckpointResult into one outcome per expectation.

    A query expectation names its column in `meta`; the number of rows its query
    returned is its unexpected count.
    """
    outcomes = []
    for validation in checkpoint_result.run_results.values():
        suite = validation.suite_name
        asset = (
            (validation.meta or {}).get("active_batch_definition", {}).get("data_asset_name", "")
        )
        for result in validation.results:
            config = result.expectation_config
            kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
            detail = result.result or {}
            observed = _error(result) or detail.get("observed_value")
            unexpected = detail.get("unexpected_count")
            if "unexpected_rows_query" in kwargs and isinstance(observed, int):
                unexpected = observed
            outcomes.append(
                ExpectationOutcome(
                    suite=suite,
                    data_asset=asset,
                    expectation=config.type,
                    description=config.description,
                    column_name=kwargs.get("column") or (config.meta or {}).get("column"),
                    kwargs=kwargs,
                    severity=_severity(config),
                    success=bool(result.success),
                    observed_value=None if observed is None else json.dumps(observed, default=str),
                    element_count=detail.get("element_count"),
                    unexpected_count=unexpected,
                    unexpected_percent=detail.get("unexpected_percent"),
                    partial_unexpected=detail.get("partial_unexpected_list"),
                )
            )
    return outcomes


def store(
    conn: psycopg.Connection,
    *,
    run_id: str,
    checkpoint: str,
    night: dt.date,
    outcomes: list[ExpectationOutcome],
) -> None:
    hold_schema_lock(conn)
    conn.execute(DDL)
    for suite in {o.suite for o in outcomes}:
        conn.execute(
            "delete from ops.quality_results where suite = %s and night = %s", (suite, night)
        )
    with conn.cursor() as cur:
        cur.executemany(
            """insert into ops.quality_results
                   (run_id, checkpoint, suite, data_asset, object, night, expectation,
                    description, column_name, kwargs, severity, success, observed_value,
                    element_count, unexpected_count, unexpected_percent, partial_unexpected)
               values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
            [
                (
                    run_id,
                    checkpoint,
                    o.suite,
                    o.data_asset,
                    o.data_asset,
                    night,
                    o.expectation,
                    o.description,
                    o.column_name,
                    json.dumps(o.kwargs, default=str),
                    o.severity,
                    o.success,
                    o.observed_value,
                    o.element_count,
                    o.unexpected_count,
                    o.unexpected_percent,
                    None
                    if o.partial_unexpected is None
                    else json.dumps(o.partial_unexpected, default=str),
                )
                for o in outcomes
            ],
        )
