"""Table charts: rows as they are, or one row per group with its figures."""

from __future__ import annotations

from sunshine.superset.assets.model import Chart, Dataset
from sunshine.superset.assets.query import (
    check,
    described,
    make_chart,
    saved_query,
    where_filters,
)


def table(
    key: str,
    title: str,
    dataset: Dataset,
    columns: list[str],
    *,
    order_by: tuple[str, bool] | None = None,
    where: tuple[str, ...] = (),
    row_limit: int = 10000,
    page_length: int = 20,
    description: str = "",
    formats: dict[str, str] | None = None,
    cell_bars: bool = False,
    server_pagination: bool = False,
) -> Chart:
    """Rows as they are (no grouping), searchable, paged in the browser (or, for tables
    of many rows, page by page from the server)."""
    check(dataset, columns, [])
    orderby = [[order_by[0], order_by[1]]] if order_by else []
    params = {
        "query_mode": "raw",
        "all_columns": columns,
        "order_by_cols": [f'["{name}", {str(asc).lower()}]' for name, asc in orderby],
        "groupby": [],
        "adhoc_filters": where_filters(where),
        "row_limit": row_limit,
        "server_pagination": server_pagination,
        "server_page_length": page_length,
        "page_length": page_length,
        "order_desc": True,
        "include_search": True,
        "show_cell_bars": cell_bars,
        "color_pn": True,
        "allow_rearrange_columns": False,
        "allow_render_html": False,
        "table_timestamp_format": "%Y-%m-%d",
        "column_config": {name: {"d3NumberFormat": f} for name, f in (formats or {}).items()},
        "conditional_formatting": [],
    }
    query = saved_query(columns, None, orderby, row_limit, where)
    order = f", ordered by {order_by[0]}{'' if order_by[1] else ' descending'}" if order_by else ""
    return make_chart(
        key,
        title,
        description,
        dataset,
        "table",
        params,
        query,
        f"Table of rows{order}{described(where)}.",
    )


def summary_table(
    key: str,
    title: str,
    dataset: Dataset,
    groupby: list[str],
    metrics: list[str],
    *,
    where: tuple[str, ...] = (),
    row_limit: int = 1000,
    page_length: int = 20,
    description: str = "",
) -> Chart:
    """One row per combination of `groupby`, with the metrics, largest first."""
    check(dataset, groupby, metrics)
    params = {
        "query_mode": "aggregate",
        "groupby": groupby,
        "metrics": metrics,
        "all_columns": [],
        "percent_metrics": [],
        "timeseries_limit_metric": metrics[0],
        "order_desc": True,
        "adhoc_filters": where_filters(where),
        "row_limit": row_limit,
        "server_pagination": False,
        "server_page_length": 10,
        "page_length": page_length,
        "include_search": True,
        "show_cell_bars": True,
        "color_pn": True,
        "allow_rearrange_columns": False,
        "allow_render_html": False,
        "show_totals": False,
        "table_timestamp_format": "%Y-%m-%d",
        "conditional_formatting": [],
    }
    query = saved_query(groupby, metrics, [[metrics[0], False]], row_limit, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "table",
        params,
        query,
        f"Table: {', '.join(metrics)} per {', '.join(groupby)}{described(where)}.",
    )
