"""What every chart kind shares: its fixed filters, its saved query, its checks.

The saved query is what the chart's own buildQuery would send, minus the browser-side
post-processing (pivots, ranks): the data API answers with the plain grouped rows.
"""

from __future__ import annotations

from typing import Any

from sunshine.superset.assets.model import Chart, Dataset

COLOR_SCHEME = "supersetColors"


def where_filters(filters: tuple[str, ...]) -> list[dict[str, Any]]:
    """Fixed SQL conditions of a chart, as the explore view's custom SQL filters."""
    return [
        {
            "clause": "WHERE",
            "expressionType": "SQL",
            "sqlExpression": condition,
            "subject": None,
            "operator": None,
            "comparator": None,
            "filterOptionName": f"filter_{index}",
            "isExtra": False,
            "isNew": False,
        }
        for index, condition in enumerate(filters)
    ]


def saved_query(
    columns: list[Any],
    metrics: list[str] | None,
    orderby: list[list[Any]],
    row_limit: int,
    where: tuple[str, ...],
    series_columns: list[str] | None = None,
) -> dict[str, Any]:
    query: dict[str, Any] = {"columns": columns}
    if metrics is not None:
        query["metrics"] = metrics
    query.update(
        {
            "orderby": orderby,
            "filters": [],
            "extras": {
                "having": "",
                "where": " AND ".join(f"({condition})" for condition in where),
            },
            "applied_time_extras": {},
            "annotation_layers": [],
            "row_limit": row_limit,
            "series_columns": series_columns or [],
            "series_limit": 0,
            "order_desc": True,
            "url_params": {},
            "custom_params": {},
            "custom_form_data": {},
            "post_processing": [],
        }
    )
    return query


def check(dataset: Dataset, columns: list[str], metrics: list[str]) -> None:
    for name in columns:
        dataset.column(name)
    for name in metrics:
        dataset.metric(name)


def make_chart(key, title, description, dataset, viz_type, params, query, comment) -> Chart:
    params = {"viz_type": viz_type, **params, "extra_form_data": {}}
    return Chart(key, title, description, dataset, viz_type, params, query, comment)


def described(where: tuple[str, ...]) -> str:
    return f", where {' and '.join(where)}" if where else ""
