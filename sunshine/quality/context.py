"""The GX file context under `expectations/gx`, and how it is (re)built from code.

The context is committed (without `uncommitted/`): suites, validation definitions and
checkpoints are files a reviewer can read. `configure_context` rebuilds them from
`suites.py` (`python -m sunshine.quality configure`); a nightly run only reads them.
The warehouse connection string stays an environment reference,
`${SUNSHINE_GX_WAREHOUSE_URL}`, set by `gx_environment`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sunshine.config import sqlalchemy_url
from sunshine.paths import EXPECTATIONS_DIR
from sunshine.settings import env_name

DATASOURCE = "sunshine_warehouse"
URL_VARIABLE = env_name("gx_warehouse_url")
BATCH_BY_NIGHT = "by_night"
BATCH_WHOLE = "whole_table"
NIGHT_COLUMN = "_night"


def gx_environment(url: str) -> None:
    os.environ[URL_VARIABLE] = sqlalchemy_url(url, "psycopg")


def get_context(project_root: Path = EXPECTATIONS_DIR):
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(project_root))


def checkpoint_name(table: str, schema: str = "raw") -> str:
    """One checkpoint per validated table: a night validates the objects that landed rows."""
    return f"{schema}.{table}"


@contextmanager
def _offline() -> Iterator[None]:
    """Describe tables without reaching them.

    GX probes a table when an asset is added. The context is configuration, written
    from code: it must not depend on which warehouse the writer has at hand, nor wait
    for dbt to have built a mart; the nightly run checks a table exists before
    validating it.
    """
    from great_expectations.datasource.fluent.sql_datasource import SQLDatasource, TableAsset

    probes = {cls: cls.__dict__["test_connection"] for cls in (SQLDatasource, TableAsset)}
    for cls in probes:
        cls.test_connection = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        for cls, probe in probes.items():
            cls.test_connection = probe  # type: ignore[method-assign]


def _datasource(context):
    """The warehouse datasource, kept when it exists so its assets keep their ids."""
    try:
        return context.data_sources.get(DATASOURCE)
    except KeyError:
        return context.data_sources.add_postgres(
            name=DATASOURCE, connection_string=f"${{{URL_VARIABLE}}}"
        )


def _asset(datasource, schema: str, table: str):
    name = checkpoint_name(table, schema)
    asset = next((a for a in datasource.assets if a.name == name), None)
    if asset is None:
        asset = datasource.add_table_asset(name=name, table_name=table, schema_name=schema)
    return asset


def _batch_definition(asset, by_night: bool):
    """A night's rows (by year, month and day of `_night`), or the whole table."""
    from great_expectations.core.partitioners import ColumnPartitionerDaily

    name = BATCH_BY_NIGHT if by_night else BATCH_WHOLE
    partitioner = ColumnPartitionerDaily(column_name=NIGHT_COLUMN) if by_night else None
    batch = next((b for b in asset.batch_definitions if b.name == name), None)
    if batch is not None and batch.partitioner == partitioner:
        return batch
    if batch is not None:
        asset.delete_batch_definition(name)
    if by_night:
        # Not add_batch_definition(partitioner=...): GX then writes the partitioner without
        # its method, and reads it back as a partition on the column's value.
        return asset.add_batch_definition_daily(
            name=name, column=NIGHT_COLUMN, validate_batchable=False
        )
    return asset.add_batch_definition_whole_table(name=name)


def _unchanged(expectation) -> str:
    config = expectation.configuration.to_json_dict()
    config.pop("id", None)
    return json.dumps(config, sort_keys=True, default=str)


def _keep_ids(context, suite) -> None:
    """Give unchanged expectations their stored ids: a rebuild then changes no file
    whose checks did not change, and a review shows only what did."""
    try:
        stored = context.suites.get(suite.name)
    except Exception:  # not stored yet (GX raises its own not-found error)
        return
    suite.id = stored.id
    ids = {_unchanged(e): e.id for e in stored.expectations}
    for expectation in suite.expectations:
        expectation.id = ids.get(_unchanged(expectation))


def _checkpoint(context, asset, suite, by_night: bool) -> str:
    import great_expectations as gx

    batch = _batch_definition(asset, by_night)
    _keep_ids(context, suite)
    suite = context.suites.add_or_update(suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{asset.name}.{batch.name}", data=batch, suite=suite)
    )
    # Data Docs are built once per check task after its checkpoints, not per object.
    context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=asset.name,
            validation_definitions=[validation],
            result_format={"result_format": "SUMMARY"},
        )
    )
    return asset.name


def configure_context(project_root: Path = EXPECTATIONS_DIR) -> list[str]:
    """(Re)create the datasource, assets, suites, validations and checkpoints."""
    from sunshine.quality.suites import FEEDS, MARTS

    context = get_context(project_root)
    made = []
    with _offline():
        datasource = _datasource(context)
        for objects in FEEDS.values():
            for table, configure in objects.items():
                asset = _asset(datasource, "raw", table)
                made.append(_checkpoint(context, asset, configure(), by_night=True))
        for mart, configure in MARTS.items():
            asset = _asset(datasource, "marts", mart)
            made.append(_checkpoint(context, asset, configure(), by_night=False))
    return made
