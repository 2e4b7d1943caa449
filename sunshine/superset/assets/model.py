"""What the dashboards are made of: databases, datasets, charts, dashboards, filters.

Plain descriptions, rendered to Superset's export-bundle YAML by `render.py`. Every
asset has a stable uuid derived from its key (uuid5), so a regenerated bundle matches
what a Superset already imported; the assets that existed before the generator keep
the uuid they were first exported with (`uuid=` given explicitly).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

NAMESPACE = uuidlib.UUID("5f0c2a52-8a9e-4f0b-9d57-3a1c2e6b7d40")


def stable_uuid(kind: str, key: str) -> str:
    return str(uuidlib.uuid5(NAMESPACE, f"sunshine:{kind}:{key}"))


@dataclass(frozen=True)
class Database:
    """A Superset "database": one connection to the warehouse."""

    key: str  # file name
    name: str
    comment: str
    uuid: str
    # Personal data: connected as the commission's login; Superset's connection mutator
    # (superset_config.py) swaps in the auditor's login for everyone else.
    personal: bool = False


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # bilingual verbose name
    type: str = "TEXT"
    groupby: bool = True
    is_dttm: bool = False
    expression: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    expression: str
    d3format: str | None = ",.2f"
    description: str | None = None


@dataclass(frozen=True)
class Dataset:
    key: str  # Superset's table_name: the mart's name, or a name for a virtual dataset
    database: Database
    description: str
    columns: tuple[Column, ...]
    metrics: tuple[Metric, ...]
    schema: str | None = None  # physical datasets: schema and table_name
    sql: str | None = None  # virtual datasets
    # The column row-level security by district filters on (None: not filtered).
    district_column: str | None = "district_code"
    comment: str = ""
    uuid: str | None = None

    @property
    def uid(self) -> str:
        return self.uuid or stable_uuid("dataset", self.key)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"dataset {self.key} has no column {name}")

    def metric(self, name: str) -> Metric:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(f"dataset {self.key} has no metric {name}")


@dataclass(frozen=True)
class Chart:
    key: str  # file name and uuid seed
    title: str
    description: str
    dataset: Dataset
    viz_type: str
    params: dict[str, Any]
    query: dict[str, Any]  # the one query of its saved query_context
    comment: str = ""
    uuid: str | None = None

    @property
    def uid(self) -> str:
        return self.uuid or stable_uuid("chart", self.key)


@dataclass(frozen=True)
class Markdown:
    key: str
    text: str


@dataclass(frozen=True)
class Cell:
    """A chart or a text on the dashboard grid: width in twelfths, height in grid units
    (8 px)."""

    item: Chart | Markdown
    width: int
    height: int


def kpi_row(*charts: Chart, height: int = 18) -> tuple[Cell, ...]:
    """Big numbers side by side across the whole width."""
    return tuple(Cell(chart, 12 // len(charts), height) for chart in charts)


def note_row(markdown: Markdown, height: int = 10) -> tuple[Cell, ...]:
    """A few lines of text across the whole width: what the dashboard shows."""
    return (Cell(markdown, 12, height),)


@dataclass(frozen=True)
class Filter:
    """A native filter: a drop-down of one column's values, applied by column name to
    every chart whose dataset has that column (Superset ignores it for the others)."""

    key: str
    name: str
    dataset: Dataset
    column: str
    description: str = ""
    multi: bool = True
    search_all: bool = False  # ask the server while typing (columns with many values)


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    file: str
    comment: str
    rows: tuple[tuple[Cell, ...], ...]
    filters: tuple[Filter, ...] = ()
    label_colors: dict[str, str] = field(default_factory=dict)
    cross_filters: bool = False
    uuid: str | None = None

    @property
    def uid(self) -> str:
        return self.uuid or stable_uuid("dashboard", self.slug)

    @property
    def charts(self) -> list[Chart]:
        return [cell.item for row in self.rows for cell in row if isinstance(cell.item, Chart)]
