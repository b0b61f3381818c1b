"""The analytics pages (大数据分析): the district dashboard (also as a wall screen), a hall's dashboard
with its live floor, and the report of any breakdown. Every table is a ``tables.Table`` and downloads
as Excel or CSV with the page's very figures; every page explains the measures it shows (口径说明)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.analytics import actions, charts, measures, periods, queries, rules
from weimin.analytics.measures import KEY_MEASURES, column
from weimin.analytics.queries import By, Group
from weimin.analytics.tables import Column, Kind, Table, display, download, wanted_download
from weimin.analytics.views.access import hall_or_403, visible_halls
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.halls.models import Hall
from weimin.tickets import queue

# The big numbers on top of the dashboards.
HEADLINE = ("visits", "cases", "mean_wait_minutes", "under_target_share", "evening_share", "bad_rating_share")
# A hall's tables by item, window and clerk.
HALL_COLUMNS = (
    "visits", "cases", "mean_wait_minutes", "median_wait_minutes", "p90_wait_minutes", "under_target_share",
    "mean_service_minutes", "utilisation", "bad_rating_share", "no_show",
)  # fmt: skip
# The report's table: the key measures and the cases' decisions.
REPORT_COLUMNS = (
    "visits", "issued", "no_show", "cases", "accepted", "accepted_on_promise", "corrections", "refused",
    "mean_wait_minutes", "median_wait_minutes", "p90_wait_minutes", "under_target_share", "mean_service_minutes",
    "on_time_share", "ratings", "mean_rating", "bad_rating_share", "utilisation", "evening_share", "saturday_share",
)  # fmt: skip
DIMENSIONS = {
    By.HALL: gettext_lazy("Hall"),
    By.ITEM: gettext_lazy("Item"),
    By.CATEGORY: gettext_lazy("Category"),
    By.WINDOW: gettext_lazy("Window"),
    By.STAFF: gettext_lazy("Clerk"),
    By.HOUR: gettext_lazy("Hour of day"),
    By.WEEKDAY: gettext_lazy("Weekday"),
    By.DAY: gettext_lazy("Day"),
    By.WEEK: gettext_lazy("Week"),
    By.MONTH: gettext_lazy("Month"),
}
# The trend tables' figures.
TREND_COLUMNS = ("visits", "cases", "mean_wait_minutes", "under_target_share", "evening_share")
OVER_TIME = (By.DAY, By.WEEK, By.MONTH)
TREND_WEEKS = 8


def _query(request) -> str:
    """The page's query string without a download's parameters (the tables' download links add theirs)."""
    params = request.GET.copy()
    for name in ("download", "format"):
        params.pop(name, None)
    return params.urlencode()


def _refreshed_now() -> datetime:
    now = clock.now()
    actions.refresh_if_stale(now)
    return now


def _period(request, today) -> tuple[periods.Period, dict[str, str]]:
    """The period asked for, or the default one with the error naming the field at fault."""
    try:
        return periods.from_query(request.GET, today), {}
    except InvalidInput as error:
        return periods.preset_period(periods.Preset.LAST_30, today), {error.field: error.message}


def _choice(request, name: str, allowed, default: str, errors: dict, message: str) -> str:
    value = request.GET.get(name, "")[:40]
    if not value:
        return default
    if value not in allowed:
        errors[name] = message
        return default
    return value


def _headline(figures: dict) -> list[dict]:
    return [
        {"key": key, "label": measures.label(key), "value": display(figures[key], measures.MEASURES[key].kind)}
        for key in HEADLINE
    ]


def _measure_options(keys) -> list[tuple[str, str]]:
    return [(key, measures.label(key)) for key in keys]


def _period_context(request, period: periods.Period, errors: dict, today) -> dict:
    """The period chooser: the presets as links (the one matching the period marked), the dates typed."""
    params = request.GET.copy()
    for name in ("period", "from", "to", "download", "format"):
        params.pop(name, None)
    kept = params.urlencode()
    presets = []
    for preset, name in periods.PRESETS.items():
        if preset == periods.Preset.CUSTOM:
            continue
        other = periods.preset_period(preset, today)
        current = (other.first, other.last) == (period.first, period.last)
        presets.append({"href": f"?{kept}&period={preset}" if kept else f"?period={preset}", "name": name,
                        "current": current})  # fmt: skip
    return {
        "period": period,
        "presets": presets,
        "period_errors": [errors[name] for name in ("period", "from", "to") if name in errors],
        "other_errors": [message for name, message in errors.items() if name not in ("period", "from", "to")],
        "from_error": "from" in errors,
        "to_error": "to" in errors,
    }


def _file_name(scope: str, period: periods.Period) -> str:
    return f"{scope}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"


def _render(request, template: str, context: dict, tables: list[Table], file_name: str):
    wanted = wanted_download(request)
    if wanted is not None:
        return download(tables, *wanted, file_name)
    return render(request, template, {**context, "query": _query(request), "tables": tables})


# The district dashboard ------------------------------------------------------------------------


@login_required
def district_dashboard(request):
    """The halls side by side, ranked by a chosen measure, with the district's trend and total; ``?wall=1``
    is the wall screen: big numbers and charts only, reloaded every minute."""
    halls = visible_halls(request.user)
    whole_district = queries.sees_district(request.user)
    if len(halls) == 1 and not whole_district:
        return redirect("analytics:hall", code=halls[0].code)
    now = _refreshed_now()
    today = halls[0].local_date(now)
    period, errors = _period(request, today)
    rank_by = _choice(request, "rank", KEY_MEASURES, "visits", errors, _("Rank by one of the measures offered."))
    trend_by = _choice(
        request, "trend", (By.DAY, By.WEEK), By.DAY if period.days <= 62 else By.WEEK, errors,
        _("The trend is by day or by week."),
    )  # fmt: skip
    by_hall = {group.key: group for group in queries.breakdown(halls, period.first, period.last, By.HALL)}
    figures_of = {hall.pk: by_hall[hall.pk].figures if hall.pk in by_hall else queries.figures(rules.Totals())
                  for hall in halls}  # fmt: skip
    total = sum((group.totals for group in by_hall.values()), rules.Totals())
    ranking = measures.ranked([(hall, figures_of[hall.pk][rank_by]) for hall in halls], rank_by)
    scope = _("District") if whole_district else _("My halls")
    halls_table = Table(
        "halls",
        _("Halls ranked by %(measure)s") % {"measure": measures.label(rank_by)},
        [Column("rank", _("Rank")), Column("hall", _("Hall"), Kind.TEXT), *(column(key) for key in KEY_MEASURES)],
        [{"rank": place, "hall": hall.name, **figures_of[hall.pk]} for place, (hall, _v) in enumerate(ranking, 1)]
        + [{"rank": None, "hall": _("%(scope)s total") % {"scope": scope}, **queries.figures(total)}],
        _("The total row counts every hall's records together, so its counts are the halls' sums."),
    )
    trend = _over_time(halls, period.first, period.last, trend_by)
    trend_table = _trend_table(trend, trend_by)
    wall = request.GET.get("wall") == "1"
    font = 22 if wall else 13
    context = {
        "scope": scope,
        "wall": wall,
        "halls": halls,
        "headline": _headline(queries.figures(total)),
        "rank_by": rank_by,
        "rank_label": measures.label(rank_by),
        "rank_options": _measure_options(KEY_MEASURES),
        "better_lower": measures.MEASURES[rank_by].better == measures.Better.LOWER,
        "trend_by": trend_by,
        "ranking_chart": charts.ranking(
            [hall.name for hall, _v in ranking],
            [value for _h, value in ranking],
            measures.MEASURES[rank_by].kind,
            measures.label(rank_by),
            font_size=font,
        ),  # fmt: skip
        "trend_chart": _trend_chart(trend, font),
        "definitions": measures.definitions((*KEY_MEASURES, *TREND_COLUMNS)),
        "refreshed_at": now,
        **_period_context(request, period, errors, today),
    }
    tables = [halls_table, trend_table]
    return _render(request, "analytics/district.html", context, tables, _file_name("district", period))


def _over_time(halls, first, last, by: str) -> list[Group]:
    """The breakdown by day, week or month with every one of the period, empty ones included (a line
    that skipped them would hide a closed week)."""
    found = {group.key: group for group in queries.breakdown(halls, first, last, by)}
    key = {By.DAY: first, By.WEEK: queries.week_start(first), By.MONTH: first.replace(day=1)}[by]
    groups = []
    while key <= last:
        groups.append(found.get(key) or Group(key, queries.time_label(by, key), rules.Totals()))
        if by == By.MONTH:
            key = (key + timedelta(days=32)).replace(day=1)
        else:
            key += timedelta(days=1 if by == By.DAY else 7)
    return groups


def _trend_chart(groups: list[Group], font: int) -> dict:
    return charts.trend(
        [group.label for group in groups],
        [
            (measures.label("visits"), [g.figures["visits"] for g in groups], Kind.COUNT),
            (measures.label("cases"), [g.figures["cases"] for g in groups], Kind.COUNT),
            (measures.label("mean_wait_minutes"), [g.figures["mean_wait_minutes"] for g in groups], Kind.MINUTES),
        ],
        font_size=font,
    )


def _trend_table(groups: list[Group], by: str) -> Table:
    return Table(
        "trend",
        _("Trend by %(dimension)s") % {"dimension": DIMENSIONS[by]},
        [Column("period", str(DIMENSIONS[by]), Kind.TEXT), *(column(key) for key in TREND_COLUMNS)],
        [{"period": group.label, **group.figures} for group in groups],
    )


# A hall's dashboard -----------------------------------------------------------------------------


def _live(hall: Hall, now: datetime) -> dict:
    """The floor now (from the queue) and today so far (counted live from the records)."""
    floor = queue.floor(hall, hall.local_date(now))
    longest = None
    if floor.oldest_issued_at is not None:
        longest = max(int((now - floor.oldest_issued_at).total_seconds() // 60), 0)
    today = queries.figures(queries.today_so_far(hall, now))
    return {
        "hall": hall,
        "now": now,
        "floor": floor,
        "longest_wait": longest,
        "today": [
            {"label": measures.label(key), "value": display(today[key], measures.MEASURES[key].kind)}
            for key in ("visits", "mean_wait_minutes", "under_target_share")
        ],
    }


@login_required
def hall_dashboard(request, code):
    """A hall's dashboard: the live floor (refreshed every 30 s), the last weeks' trend, the day's hours,
    and the period's figures by item, window and clerk."""
    hall = hall_or_403(request.user, code)
    now = _refreshed_now()
    today = hall.local_date(now)
    period, errors = _period(request, today)
    weeks = _over_time([hall], queries.week_start(today) - timedelta(weeks=TREND_WEEKS - 1), today, By.WEEK)
    hours = queries.breakdown([hall], period.first, period.last, By.HOUR)
    tables = [
        _hall_table(hall, period, By.ITEM, _("By item")),
        _hall_table(hall, period, By.WINDOW, _("By window")),
        _hall_table(hall, period, By.STAFF, _("By clerk")),
        _trend_table(weeks, By.WEEK),
    ]
    context = {
        **_live(hall, now),
        "weeks_chart": _trend_chart(weeks, 13),
        "hours_chart": charts.bars(
            [group.label for group in hours],
            [
                (measures.label("issued"), [g.figures["issued"] for g in hours], Kind.COUNT),
                (measures.label("mean_wait_minutes"), [g.figures["mean_wait_minutes"] for g in hours], Kind.MINUTES),
            ],
        ),
        "definitions": measures.definitions(("issued", *HALL_COLUMNS, *TREND_COLUMNS)),
        "trend_weeks": TREND_WEEKS,
        "year_report": f"{reverse('analytics:report')}?by=month&hall={hall.code}"
        f"&from={today - timedelta(days=364)}&to={today}",
        **_period_context(request, period, errors, today),
    }
    return _render(request, "analytics/hall.html", context, tables, _file_name(hall.code, period))


def _hall_table(hall: Hall, period: periods.Period, by: str, title: str) -> Table:
    groups = queries.breakdown([hall], period.first, period.last, by)
    return Table(
        by,
        title,
        [Column("label", str(DIMENSIONS[by]), Kind.TEXT), *(column(key) for key in HALL_COLUMNS)],
        [{"label": group.label, **group.figures} for group in groups],
    )


@login_required
def hall_live(request, code):
    """The live floor alone, for the dashboard's HTMX refresh."""
    hall = hall_or_403(request.user, code)
    return render(request, "analytics/_live.html", _live(hall, clock.now()))


# The report --------------------------------------------------------------------------------------


@login_required
def report(request):
    """Any breakdown of a hall's (or the district's) figures over a period, as chart and table: e.g. a
    hall's year by month."""
    allowed = visible_halls(request.user)
    whole_district = queries.sees_district(request.user)
    code = request.GET.get("hall", "")[:40]
    halls = [hall_or_403(request.user, code)] if code else allowed
    now = _refreshed_now()
    today = halls[0].local_date(now)
    period, errors = _period(request, today)
    by = _choice(request, "by", By.ALL, By.MONTH, errors, _("Group by one of the dimensions offered."))
    shown = _choice(request, "measure", REPORT_COLUMNS, "visits", errors, _("Chart one of the measures offered."))
    if by in OVER_TIME:
        groups = _over_time(halls, period.first, period.last, by)
    else:
        groups = queries.breakdown(halls, period.first, period.last, by)
    total = queries.total(halls, period.first, period.last)
    scope = halls[0].name if code else (_("District") if whole_district else _("My halls"))
    table = Table(
        "report",
        _("%(scope)s by %(dimension)s") % {"scope": scope, "dimension": DIMENSIONS[by]},
        [Column("label", str(DIMENSIONS[by]), Kind.TEXT), *(column(key) for key in REPORT_COLUMNS)],
        [{"label": group.label, **group.figures} for group in groups]
        + [{"label": _("Total"), **queries.figures(total)}],
        _("The total counts every record of the period once; a ticket never called has no window or clerk, so "
          "those rows may add up to less."),
    )  # fmt: skip
    kind = measures.MEASURES[shown].kind
    labels, values = [group.label for group in groups], [group.figures[shown] for group in groups]
    if by in OVER_TIME:
        chart = charts.trend(labels, [(measures.label(shown), values, kind)])
    elif by in (By.HOUR, By.WEEKDAY):
        chart = charts.bars(labels, [(measures.label(shown), values, kind)])
    else:
        chart = charts.ranking(labels, values, kind, measures.label(shown))
    context = {
        "scope": scope,
        "hall_code": code,
        "halls": allowed,
        "whole_district": whole_district,
        "by": by,
        "dimensions": list(DIMENSIONS.items()),
        "shown": shown,
        "measure_options": _measure_options(REPORT_COLUMNS),
        "chart": chart,
        "chart_size": "long" if len(groups) > 30 else ("tall" if len(groups) > 12 and by not in OVER_TIME else ""),
        "definitions": measures.definitions(REPORT_COLUMNS),
        **_period_context(request, period, errors, today),
    }
    return _render(request, "analytics/report.html", context, [table], _file_name(code or "district", period))
