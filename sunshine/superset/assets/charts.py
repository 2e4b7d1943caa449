"""Chart kinds: each returns a Chart with the form data the browser renders from and the
saved query the data API (GET /api/v1/chart/{id}/data/) runs. Tables are in tables.py.
"""

from __future__ import annotations

from sunshine.superset.assets.model import Chart, Dataset
from sunshine.superset.assets.query import (
    COLOR_SCHEME,
    check,
    described,
    make_chart,
    saved_query,
    where_filters,
)


def big_number(
    key: str,
    title: str,
    dataset: Dataset,
    metric: str,
    *,
    subheader: str = "",
    where: tuple[str, ...] = (),
    number_format: str = "SMART_NUMBER",
    description: str = "",
) -> Chart:
    """One figure (大数字) with a line of text under it."""
    check(dataset, [], [metric])
    params = {
        "metric": metric,
        "adhoc_filters": where_filters(where),
        "subheader": subheader,
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "y_axis_format": number_format,
        "time_format": "smart_date",
        "force_timestamp_formatting": False,
    }
    query = saved_query([], [metric], [], 1, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "big_number_total",
        params,
        query,
        f"Big number: {metric}{described(where)}.",
    )


def _axes(x_title: str, y_title: str) -> dict:
    """Tooltip and axis settings the bar and line charts share (ECharts timeseries)."""
    return {
        "rich_tooltip": True,
        "tooltipTimeFormat": "smart_date",
        "y_axis_format": "SMART_NUMBER",
        "x_axis_title": x_title,
        "x_axis_title_margin": 30 if x_title else 15,
        "y_axis_title": y_title,
        "y_axis_title_margin": 50 if y_title else 15,
        "y_axis_title_position": "Left",
        "truncateYAxis": False,
        "y_axis_bounds": [None, None],
        "zoomable": False,
    }


def bar(
    key: str,
    title: str,
    dataset: Dataset,
    x: str,
    metric: str,
    *,
    series: str | None = None,
    horizontal: bool = False,
    where: tuple[str, ...] = (),
    x_title: str = "",
    y_title: str = "",
    row_limit: int = 1000,
    description: str = "",
    sort_by_value: bool = True,
) -> Chart:
    """Bars per value of `x`, stacked by `series` when given, largest first."""
    groupby = [series] if series else []
    check(dataset, [x, *groupby], [metric])
    params = {
        "x_axis": x,
        "metrics": [metric],
        "groupby": groupby,
        "adhoc_filters": where_filters(where),
        "row_limit": row_limit,
        "order_desc": True,
        "orientation": "horizontal" if horizontal else "vertical",
        "stack": "Stack" if series else None,
        "color_scheme": COLOR_SCHEME,
        "show_legend": bool(series),
        "legendType": "scroll",
        "legendOrientation": "top",
        "show_value": not series,
        "only_total": True,
        **_axes(x_title, y_title),
        "xAxisLabelRotation": 0 if horizontal else 45,
        "show_empty_columns": True,
        "comparison_type": "values",
        "annotation_layers": [],
    }
    if sort_by_value and series:
        params.update({"x_axis_sort_series": "sum", "x_axis_sort_series_ascending": False})
    elif sort_by_value:
        params.update({"x_axis_sort": metric, "x_axis_sort_asc": False})
    else:
        params.update({"x_axis_sort": x, "x_axis_sort_asc": True})
    orderby = [[metric, False]] if sort_by_value else [[x, True]]
    query = saved_query([x, *groupby], [metric], orderby, row_limit, where, groupby)
    kind = "horizontal bars" if horizontal else "bars"
    comment = f"{kind.capitalize()}: {metric} per {x}" + (
        f", stacked by {series}" if series else ""
    )
    return make_chart(
        key,
        title,
        description,
        dataset,
        "echarts_timeseries_bar",
        params,
        query,
        comment + described(where) + ".",
    )


def line(
    key: str,
    title: str,
    dataset: Dataset,
    x: str,
    metric: str,
    *,
    series: str | None = None,
    where: tuple[str, ...] = (),
    x_title: str = "",
    y_title: str = "",
    row_limit: int = 5000,
    description: str = "",
    area: bool = False,
) -> Chart:
    """A trend over an ordered text axis (a period YYYYMM, a night), one line per series."""
    groupby = [series] if series else []
    check(dataset, [x, *groupby], [metric])
    viz_type = "echarts_area" if area else "echarts_timeseries_line"
    params = {
        "x_axis": x,
        "x_axis_sort": x,
        "x_axis_sort_asc": True,
        "metrics": [metric],
        "groupby": groupby,
        "adhoc_filters": where_filters(where),
        "row_limit": row_limit,
        "order_desc": True,
        "color_scheme": COLOR_SCHEME,
        "seriesType": "line",
        "markerEnabled": True,
        "markerSize": 6,
        "show_legend": bool(series),
        "legendType": "scroll",
        "legendOrientation": "top",
        **_axes(x_title, y_title),
        "show_empty_columns": True,
        "comparison_type": "values",
        "annotation_layers": [],
    }
    if area:
        params.update({"stack": "Stack", "opacity": 0.6})
    query = saved_query([x, *groupby], [metric], [[x, True]], row_limit, where, groupby)
    comment = f"Trend: {metric} per {x}" + (f", one line per {series}" if series else "")
    return make_chart(
        key, title, description, dataset, viz_type, params, query, comment + described(where) + "."
    )


def pie(
    key: str,
    title: str,
    dataset: Dataset,
    by: str,
    metric: str,
    *,
    where: tuple[str, ...] = (),
    description: str = "",
) -> Chart:
    """Shares of `metric` per value of `by` (a ring)."""
    check(dataset, [by], [metric])
    params = {
        "groupby": [by],
        "metric": metric,
        "adhoc_filters": where_filters(where),
        "row_limit": 100,
        "sort_by_metric": True,
        "color_scheme": COLOR_SCHEME,
        "show_labels_threshold": 5,
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "label_type": "key_value",
        "number_format": "SMART_NUMBER",
        "date_format": "smart_date",
        "show_labels": True,
        "labels_outside": True,
        "outerRadius": 70,
        "donut": True,
        "innerRadius": 40,
    }
    query = saved_query([by], [metric], [[metric, False]], 100, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "pie",
        params,
        query,
        f"Ring: {metric} per {by}{described(where)}.",
    )


def sankey(
    key: str,
    title: str,
    dataset: Dataset,
    source: str,
    target: str,
    metric: str,
    *,
    where: tuple[str, ...] = (),
    description: str = "",
    row_limit: int = 10000,
) -> Chart:
    """Flows from `source` to `target` nodes, as wide as `metric`."""
    check(dataset, [source, target], [metric])
    params = {
        "source": source,
        "target": target,
        "metric": metric,
        "adhoc_filters": where_filters(where),
        "row_limit": row_limit,
        "color_scheme": COLOR_SCHEME,
    }
    query = saved_query([source, target], [metric], [[metric, False]], row_limit, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "sankey_v2",
        params,
        query,
        f"Sankey: {metric} from {source} to {target}{described(where)}.",
    )


def treemap(
    key: str,
    title: str,
    dataset: Dataset,
    levels: list[str],
    metric: str,
    *,
    where: tuple[str, ...] = (),
    description: str = "",
) -> Chart:
    """Nested rectangles per `levels` (outer first), as large as `metric`."""
    check(dataset, levels, [metric])
    params = {
        "groupby": levels,
        "metric": metric,
        "adhoc_filters": where_filters(where),
        "row_limit": 10000,
        "color_scheme": COLOR_SCHEME,
        "show_labels": True,
        "show_upper_labels": True,
        "label_type": "key_value",
        "number_format": "SMART_NUMBER",
        "date_format": "smart_date",
    }
    query = saved_query(levels, [metric], [[metric, False]], 10000, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "treemap_v2",
        params,
        query,
        f"Treemap: {metric} per {' > '.join(levels)}{described(where)}.",
    )


def heatmap(
    key: str,
    title: str,
    dataset: Dataset,
    x: str,
    y: str,
    metric: str,
    *,
    where: tuple[str, ...] = (),
    description: str = "",
) -> Chart:
    """A grid of `x` by `y` values, each cell coloured by `metric`."""
    check(dataset, [x, y], [metric])
    params = {
        "x_axis": x,
        "groupby": y,
        "metric": metric,
        "adhoc_filters": where_filters(where),
        "row_limit": 10000,
        "linear_color_scheme": "superset_seq_1",
        "normalize_across": "heatmap",
        "legend_type": "continuous",
        "show_legend": True,
        "show_values": False,
        "show_percentage": False,
        "sort_x_axis": "alpha_asc",
        "sort_y_axis": "alpha_asc",
        "xscale_interval": -1,
        "yscale_interval": -1,
        "left_margin": "auto",
        "bottom_margin": "auto",
        "value_bounds": [None, None],
        "y_axis_format": "SMART_NUMBER",
        "x_axis_time_format": "smart_date",
    }
    query = saved_query([x, y], [metric], [[x, True]], 10000, where)
    return make_chart(
        key,
        title,
        description,
        dataset,
        "heatmap_v2",
        params,
        query,
        f"Heat map: {metric} per {x} and {y}{described(where)}.",
    )
