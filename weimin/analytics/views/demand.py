"""The analytics pages (大数据分析): figures from the rollups, each table downloadable as Excel and CSV."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from weimin.analytics import actions, demand, queries
from weimin.analytics.forms import DemandForm
from weimin.analytics.tables import Column, Kind, Table, display, download, wanted_download
from weimin.analytics.views.access import visible_halls
from weimin.core import clock
from weimin.core.forms import all_errors


@login_required
def demand_page(request):
    """Demand analysis: arrivals by weekday and half-hour, what brings the evening and Saturday visitors,
    sessions with too many or too few windows, and the windows Erlang C recommends."""
    halls = visible_halls(request.user, request.GET.get("hall", ""))
    district = queries.sees_district(request.user)
    now = clock.now()
    today = halls[0].local_date(now)
    form = DemandForm(request.GET, halls=halls, district=district, default_period=demand.default_period(today))
    if not form.is_valid():
        context = {"form": form, "errors": all_errors(form)}
        return render(request, "analytics/demand.html", context, status=400)
    actions.refresh_if_stale(now)
    chosen, item = form.chosen_halls(), form.chosen_item()
    first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    found = demand.demand(chosen, first, last, item)
    several = len(chosen) > 1
    tables = [
        heat_map_table(found.heat_map),
        recommendations_table(found.recommendations, several),
        sessions_table(found.sessions, several),
        drivers_table(found.drivers),
    ]
    wanted = wanted_download(request)
    if wanted:
        return download(tables, *wanted, filename=f"demand-{first}-{last}")
    context = {
        "form": form,
        "query": urlencode(form.query()),
        "scope": chosen[0].name if not several else _("Whole district"),
        "item": item,
        "first": first,
        "last": last,
        "demand": found,
        "tables": {table.name: table for table in tables},
        "heat_map_option": heat_map_option(found.heat_map),
        "target": queries.wait_target(),
        "target_share": round(100 * found.recommendations[0].target_share) if found.recommendations else None,
    }
    return render(request, "analytics/demand.html", context)


def heat_map_table(heat: demand.HeatMap) -> Table:
    columns = [Column("weekday", _("Weekday"), Kind.TEXT)]
    columns += [Column(f"s{slot}", demand.slot_label(slot), Kind.NUMBER) for slot in heat.slots]
    rows = [
        {"weekday": queries.WEEKDAYS[day]} | {f"s{slot}": heat.cells.get((day, slot)) for slot in heat.slots}
        for day in heat.weekdays()
    ]
    note = _("Tickets issued in each half-hour, on average per open day of that weekday.")
    return Table("arrivals", _("Arrivals by weekday and half-hour"), columns, rows, note)


def heat_map_option(heat: demand.HeatMap) -> dict:
    """The ECharts heat map: weekdays as rows, half-hours as columns, darker for more arrivals. Its
    ``media`` part thins the labels on a phone."""
    slots, weekdays = list(heat.slots), heat.weekdays()
    data = [
        # The name is what the tooltip shows: weekday, half-hour and the mean, as in the table.
        {
            "name": f"{queries.WEEKDAYS[day]} {demand.slot_label(slot)}  {display(heat.cells[day, slot], Kind.NUMBER)}",
            "value": [x, y, round(heat.cells[day, slot], 2)],
        }
        for y, day in enumerate(weekdays)
        for x, slot in enumerate(slots)
        if (day, slot) in heat.cells
    ]
    return {
        "baseOption": {
            # charts.js draws it on the canvas: an HTML tooltip carries style attributes, which the CSP blocks.
            "tooltip": {"position": "top", "formatter": "{a}\n{b}"},
            "grid": {"left": 44, "right": 12, "top": 10, "bottom": 78},
            "xAxis": {
                "type": "category",
                "data": [demand.slot_label(slot) for slot in slots],
                "splitArea": {"show": True},
                "axisLabel": {"interval": 1},
            },
            "yAxis": {"type": "category", "data": [queries.WEEKDAYS[day] for day in weekdays], "inverse": True},
            "visualMap": {
                "min": 0,
                "max": max(round(heat.peak, 1), 1),
                "calculable": True,
                "orient": "horizontal",
                "left": "center",
                "bottom": 0,
                "itemHeight": 160,
                "text": [_("more"), _("fewer")],
                "inRange": {"color": ["#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"]},
            },
            "series": [
                {
                    "name": _("Tickets per open day"),
                    "type": "heatmap",
                    "data": data,
                    "emphasis": {"itemStyle": {"borderColor": "#333", "borderWidth": 1}},
                }
            ],
        },
        "media": [
            {
                "query": {"maxWidth": 600},
                "option": {"grid": {"left": 36, "right": 18}, "xAxis": {"axisLabel": {"interval": 3}}},
            }
        ],
    }


def recommendations_table(found: list[demand.Recommendation], several: bool) -> Table:
    columns = _hall_column(several) + [
        Column("session", _("Session"), Kind.TEXT),
        Column("rate", _("Visitors an hour"), Kind.MINUTES),
        Column("open", _("Windows open"), Kind.MINUTES),
        Column("service", _("Mean service (min)"), Kind.MINUTES),
        Column("needed", _("Windows needed")),
        Column("change", _("Window-hours a week"), Kind.MINUTES),
        Column("text", _("Recommendation"), Kind.TEXT),
    ]
    rows = [
        {
            "hall": r.session.hall.name,
            "session": r.session.kind.label,
            "rate": r.arrivals_per_hour,
            "open": r.windows_open,
            "service": r.mean_service_minutes,
            "needed": r.windows_needed,
            "change": r.window_hours_per_week,
            "text": r.sentence(),
        }
        for r in found
    ]
    note = _(
        "Windows needed: the fewest that Erlang C says would call the target share of visitors within the "
        "wait target; window-hours a week: the change times the session's open hours a week (the ranking)."
    )
    return Table("recommendations", _("Recommendations"), columns, rows, note)


def sessions_table(uses: list[demand.SessionUse], several: bool) -> Table:
    columns = _hall_column(several) + [
        Column("session", _("Session"), Kind.TEXT),
        Column("days", _("Open days")),
        Column("open_hours", _("Open hours"), Kind.MINUTES),
        Column("arrivals", _("Tickets issued")),
        Column("held_hours", _("Window-hours held"), Kind.MINUTES),
        Column("per_window_hour", _("Visitors per window-hour"), Kind.NUMBER),
        Column("median", _("Hall median"), Kind.NUMBER),
        Column("use", _("Use"), Kind.TEXT),
        Column("mean_wait", _("Mean wait (min)"), Kind.MINUTES),
    ]
    rows = [
        {
            "hall": u.hall.name,
            "session": u.kind.label,
            "days": u.days,
            "open_hours": u.open_hours,
            "arrivals": u.arrivals,
            "held_hours": u.held_hours,
            "per_window_hour": u.per_window_hour,
            "median": u.median,
            "use": str(demand.USE_LABELS[u.use]),
            "mean_wait": u.totals.mean_wait_minutes(),
        }
        for u in uses
    ]
    note = _(
        "Morning: half-hours before 12:00; afternoon: from 12:00 until the evening hour; evening: after it; "
        "Saturday: a weekend day that is not a make-up working day. Under-used below %(under)s × the hall's "
        "median, over-used above %(over)s × it."
    ) % {"under": _number(settings.WEIMIN_ANALYTICS_UNDER_USED), "over": _number(settings.WEIMIN_ANALYTICS_OVER_USED)}
    return Table("sessions", _("Sessions: visitors per open window-hour"), columns, rows, note)


def drivers_table(found: list[demand.Driver]) -> Table:
    columns = [
        Column("item", _("Item"), Kind.TEXT),
        Column("visits", _("Visits")),
        Column("evening", _("Evening visits")),
        Column("evening_of_item", _("Evening share of the item"), Kind.SHARE),
        Column("evening_of_all", _("Share of all evening visits"), Kind.SHARE),
        Column("saturday", _("Saturday visits")),
        Column("saturday_of_item", _("Saturday share of the item"), Kind.SHARE),
        Column("saturday_of_all", _("Share of all Saturday visits"), Kind.SHARE),
    ]
    rows = [
        {
            "item": d.label,
            "visits": d.visits,
            "evening": d.evening,
            "evening_of_item": d.evening_of_item,
            "evening_of_all": d.evening_of_all,
            "saturday": d.saturday,
            "saturday_of_item": d.saturday_of_item,
            "saturday_of_all": d.saturday_of_all,
        }
        for d in found
    ]
    note = _("Items with evening or Saturday visits, those bringing the most first.")
    return Table("drivers", _("Items driving evening and Saturday demand"), columns, rows, note)


def _hall_column(several: bool) -> list[Column]:
    return [Column("hall", _("Hall"), Kind.TEXT)] if several else []


def _number(value: float) -> str:
    return f"{value:g}"
