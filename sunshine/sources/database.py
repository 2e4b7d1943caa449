"""Reading a table of a database system, whole or by its `updated_at` window.

Any SQLAlchemy URL works; rows are streamed with a server-side cursor so a large
table never sits in memory. Values are rendered as text in one way for every
database, because raw keeps what was delivered and staging does the typing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from sunshine.config import sqlalchemy_url
from sunshine.contracts.model import SourceObject
from sunshine.errors import SunshineError
from sunshine.sources.registry import SourceConfig

FETCH_ROWS = 10_000


@dataclass(frozen=True)
class TableWindow:
    """Rows with lower < updated_at < upper; no lower bound reads from the start."""

    lower: dt.datetime | None
    upper: dt.datetime | None


def engine_for(config: SourceConfig) -> sa.Engine:
    url = config.require("url")
    if config.get("database"):
        url = (
            sa.engine.make_url(url)
            .set(database=config.get("database"))
            .render_as_string(hide_password=False)
        )
    if url.startswith(("postgresql://", "postgres://")):
        url = sqlalchemy_url(url, "psycopg")
    return sa.create_engine(url, pool_pre_ping=True)


def as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return str(value)


def check_columns(engine: sa.Engine, schema: str | None, obj: SourceObject) -> None:
    """Fail with the table and the missing columns before reading a single row."""
    inspector = sa.inspect(engine)
    where = f"{schema}.{obj.name}" if schema else obj.name
    if not inspector.has_table(obj.name, schema=schema):
        raise SunshineError(f"table {where} is missing at the source")
    present = {column["name"] for column in inspector.get_columns(obj.name, schema=schema)}
    missing = [name for name in obj.field_names if name not in present]
    if missing:
        raise SunshineError(f"table {where} lacks contract columns: {', '.join(missing)}")


def read_table(
    engine: sa.Engine, schema: str | None, obj: SourceObject, window: TableWindow
) -> Iterator[tuple[str | None, ...]]:
    """Stream the object's contract columns in key order, as text."""
    table = sa.table(obj.name, *(sa.column(name) for name in obj.field_names), schema=schema)
    query = sa.select(*(table.c[name] for name in obj.field_names)).order_by(
        *(table.c[name] for name in obj.key)
    )
    if obj.incremental_column:
        stamp = table.c[obj.incremental_column]
        if window.lower is not None:
            query = query.where(stamp > window.lower)
        if window.upper is not None:
            query = query.where(stamp < window.upper)
    with engine.connect().execution_options(stream_results=True, yield_per=FETCH_ROWS) as conn:
        for row in conn.execute(query):
            yield tuple(as_text(value) for value in row)


def max_stamp(
    engine: sa.Engine, schema: str | None, obj: SourceObject, window: TableWindow
) -> dt.datetime | None:
    """The latest `updated_at` inside the window: the next night's watermark."""
    if not obj.incremental_column:
        return None
    table = sa.table(obj.name, sa.column(obj.incremental_column), schema=schema)
    stamp = table.c[obj.incremental_column]
    query = sa.select(sa.func.max(stamp))
    if window.lower is not None:
        query = query.where(stamp > window.lower)
    if window.upper is not None:
        query = query.where(stamp < window.upper)
    with engine.connect() as conn:
        return conn.execute(query).scalar()
