"""What every chart kind shares: its fixed filters, its saved query, its checks.

The saved query is what the chart's own buildQuery would send, minus the browser-side
post-processing (pivots, ranks): the data API answers with the plain grouped rows.
"""

from __future__ import annotations

from typing import Any

from sunshine.superset.assets.model import Chart, Dataset

COLOR_SCHEME = "supersetColors"


def simple_filter(condition: str) -> dict[str, Any]:
    """A fixed condition as a simple filter on a column (`col`, `op`, `val`).

    Charts carry no SQL of their own: Superset refuses custom SQL to everyone but
    Admin (superset_config.py), so the auditor's dashboards use simple filters.
    """
    words = condition.split()
    if len(words) == 2 and words[0].upper() == "NOT":
        return {"col": words[1], "op": "IS FALSE"}
    if len(words) == 4 and [w.upper() for w in words[1:]] == ["IS", "NOT", "NULL"]:
        return {"col": words[0], "op": "IS NOT NULL"}
    if len(words) == 3 and words[1] == "=" and words[2][:1] == words[2][-1:] == "'":
        return {"col": words[0], "op": "==", "val": words[2][1:-1]}
    raise ValueError(f"fixed filter {condition!r}: not NOT col, col IS NOT NULL or col = 'x'")


def where_filters(filters: tuple[str, ...]) -> list[dict[str, Any]]:
    """Fixed conditions of a chart, as the explore view's simple filters."""
    return [
        {
            "clause": "WHERE",
            "expressionType": "SIMPLE",
            "subject": simple["col"],
            "operator": simple["op"],
            "operatorId": simple["op"].replace(" ", "_").replace("==", "EQUALS"),
            "comparator": simple.get("val"),
            "filterOptionName": f"filter_{index}",
            "isExtra": False,
            "isNew": False,
        }
        for index, simple in enumerate(map(simple_filter, filters))
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
            "filters": [simple_filter(condition) for condition in where],
            "extras": {"having": "", "where": ""},
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
