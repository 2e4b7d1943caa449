"""The GX file context under `expectations/gx`, and how it is (re)built from code.

The context is committed (without `uncommitted/`): suites, validation definitions and
checkpoints are files a reviewer can read. `configure_context` rebuilds them from
`suites.py`; a nightly run only reads them. The warehouse connection string stays an
environment reference, `${SUNSHINE_GX_WAREHOUSE_URL}`, set by `gx_environment`.
"""

from __future__ import annotations

import os
from pathlib import Path

from sunshine.config import sqlalchemy_url
from sunshine.paths import EXPECTATIONS_DIR

DATASOURCE = "sunshine_warehouse"
URL_VARIABLE = "SUNSHINE_GX_WAREHOUSE_URL"
BATCH_BY_NIGHT = "by_night"


def gx_environment(url: str) -> None:
    os.environ[URL_VARIABLE] = sqlalchemy_url(url, "psycopg")


def get_context(project_root: Path = EXPECTATIONS_DIR):
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(project_root))


def checkpoint_name(table: str) -> str:
    """One checkpoint per raw object: a night validates the objects that landed rows."""
    return f"raw.{table}"


def configure_context(project_root: Path = EXPECTATIONS_DIR) -> list[str]:
    """(Re)create the datasource, assets, suites, validations and checkpoints."""
    import great_expectations as gx

    from sunshine.quality.suites import FEEDS

    context = get_context(project_root)
    datasource = context.data_sources.add_or_update_postgres(
        name=DATASOURCE, connection_string=f"${{{URL_VARIABLE}}}"
    )
    made = []
    for objects in FEEDS.values():
        for table, configure in objects.items():
            name = f"raw.{table}"
            asset = next((a for a in datasource.assets if a.name == name), None)
            if asset is None:
                asset = datasource.add_table_asset(name=name, table_name=table, schema_name="raw")
            batch = next((b for b in asset.batch_definitions if b.name == BATCH_BY_NIGHT), None)
            if batch is None:
                batch = asset.add_batch_definition_daily(
                    name=BATCH_BY_NIGHT, column="_night", validate_batchable=False
                )
            suite = context.suites.add_or_update(configure())
            validation = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=f"{name}.{BATCH_BY_NIGHT}", data=batch, suite=suite)
            )
            # Data Docs are built once per feed after its checkpoints, not per object.
            context.checkpoints.add_or_update(
                gx.Checkpoint(
                    name=checkpoint_name(table),
                    validation_definitions=[validation],
                    result_format={"result_format": "SUMMARY"},
                )
            )
            made.append(name)
    return made
