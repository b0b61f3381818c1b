"""ECharts options for the analytics pages, built from the same figures as the tables beside them.

A page passes an option to its template as JSON data (``{{ option|json_script:"chart-…" }}``) and
``static/weimin/charts.js`` draws it: no inline script under the CSP. Shares are drawn as percentages.
"""

from __future__ import annotations

from weimin.analytics.tables import Kind

# Weimin's red first, then colours that stay apart on a projector and for the colour-blind.
PALETTE = ["#b71c1c", "#0b57d0", "#1b7f3a", "#e0701a", "#6a1b9a", "#00838f"]
FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def plotted(value, kind: str):
    """A figure as the chart draws it: shares in percent, minutes and means to one decimal."""
    if value is None:
        return None
    if kind == Kind.SHARE:
        return round(value * 100, 1)
    return round(value, 1) if isinstance(value, float) else value


def _suffix(kind: str) -> str:
    return "%" if kind == Kind.SHARE else ""


def _base(font_size: int) -> dict:
    return {
        "animation": False,  # a wall screen reloads every minute: no replay, and screenshots show the figures
        "color": PALETTE,
        "textStyle": {"fontFamily": FONT, "fontSize": font_size},
        "tooltip": {"trigger": "axis"},
    }


def ranking(labels: list[str], values: list, kind: str, name: str, *, font_size: int = 13) -> dict:
    """Horizontal bars, the first label on top (the ranking's best)."""
    return {
        **_base(font_size),
        "grid": {"left": 8, "right": 56, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "axisLabel": {"formatter": "{value}" + _suffix(kind), "fontSize": font_size}},
        "yAxis": {"type": "category", "inverse": True, "data": labels, "axisLabel": {"fontSize": font_size}},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [plotted(v, kind) for v in values],
                "label": {"show": True, "position": "right", "formatter": "{c}" + _suffix(kind), "fontSize": font_size},
            }
        ],
    }


def bars(labels: list[str], series: list[tuple[str, list, str]], *, font_size: int = 13) -> dict:
    """Vertical bars along a category axis (items, hours, weekdays); ``series`` is (name, values, kind)."""
    return _along(labels, series, "bar", font_size)


def trend(labels: list[str], series: list[tuple[str, list, str]], *, font_size: int = 13) -> dict:
    """Lines along time (days, weeks, months); a second kind of figure gets its own axis on the right."""
    return _along(labels, series, "line", font_size)


def _along(labels, series, chart_type, font_size) -> dict:
    kinds = list(dict.fromkeys(kind for _, _, kind in series))
    axes = [
        {"type": "value", "axisLabel": {"formatter": "{value}" + _suffix(kind), "fontSize": font_size}}
        for kind in kinds[:2]
    ]
    return {
        **_base(font_size),
        "legend": {"top": 0, "textStyle": {"fontSize": font_size}},
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"fontSize": font_size}},
        "yAxis": axes,
        "series": [
            {
                "name": name,
                "type": chart_type,
                "yAxisIndex": min(kinds.index(kind), 1),
                "data": [plotted(v, kind) for v in values],
                **({"symbolSize": 6} if chart_type == "line" else {}),
            }
            for name, values, kind in series
        ],
    }
