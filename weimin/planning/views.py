"""The planning pages (排班), mounted at /planning/: a hall's week — plan it (in the background, with a live
status and a stop), the roster as a grid of staff × days with its coverage chart, edit a shift (the labour
rules re-checked on the spot), approve, export to Excel; who is rostered now and not signed in."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts import queries as staff_queries
from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, halls_where, may
from weimin.analytics.queries import WEEKDAYS
from weimin.analytics.tables import Column, Kind, Table, download, wanted_download
from weimin.core import clock
from weimin.core.errors import DomainError, InvalidInput
from weimin.halls.lookups import hall_or_404
from weimin.halls.models import Hall, ItemCategory
from weimin.planning import actions, queries
from weimin.planning.models import Roster, RosterStatus, RunStatus
from weimin.planning.plan import PlanningError, iso_week, monday_of


def _hall(request, code: str) -> Hall:
    hall = hall_or_404(code[:40])
    if not may(request.user, Action.PLANNING_READ, hall):
        raise PermissionDenied(_("Planning is for the hall's manager and the district office."))
    return hall


def _week(request, hall: Hall) -> date:
    """``?week=2017-W50``, by default the week after this one (planned ahead)."""
    text = request.GET.get("week", "")[:10]
    if text:
        try:
            return monday_of(text)
        except PlanningError as error:
            raise InvalidInput(str(error), field="week") from None
    today = hall.local_date(clock.now())
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def _week_page(hall: Hall, week: str, roster: Roster | None = None) -> str:
    """The hall's planning page for ``week`` (and one of its rosters)."""
    return f"{reverse('planning:hall', args=[hall.code])}?week={week}" + (f"&roster={roster.pk}" if roster else "")


def _roster(hall: Hall, roster_id: int) -> Roster:
    roster = queries.roster_of(hall, roster_id)
    if roster is None:
        raise Http404(roster_id)
    return roster


@login_required
def home(request):
    halls = list(halls_where(request.user, Action.PLANNING_READ).order_by("position", "code"))
    if not halls:
        raise PermissionDenied(_("Planning is for the hall's manager and the district office."))
    return redirect("planning:hall", code=halls[0].code)


def _grid(roster: Roster, monday: date) -> tuple[list[date], list[dict]]:
    """The roster as rows of staff with their shift each day (or None), by name."""
    days = [monday + timedelta(days=n) for n in range(7)]
    rows: dict[int, dict] = {}
    for shift in queries.shifts_of(roster):
        row = rows.setdefault(shift.user_id, {"user": shift.user, "name": person_name(shift.user), "days": {}})
        row["days"][shift.day] = shift
    for profile in staff_queries.window_staff(roster.hall):
        rows.setdefault(profile.user_id, {"user": profile.user, "name": str(profile), "days": {}})
    ordered = sorted(rows.values(), key=lambda r: r["name"])
    for row in ordered:
        row["cells"] = [(day, row["days"].get(day)) for day in days]
    return days, ordered


def roster_table(roster: Roster, days: list[date], rows: list[dict]) -> Table:
    columns = [Column("name", _("Staff"), Kind.TEXT)]
    columns += [Column(day.isoformat(), f"{WEEKDAYS[day.weekday()]} {day:%m-%d}", Kind.TEXT) for day in days]
    staff = {s["staff"]: s for s in roster.plan.get("staff", [])}
    columns += [Column("planned_hours", _("Planned hours"), Kind.MINUTES),
                Column("overtime_hours", _("Overtime hours"), Kind.MINUTES)]  # fmt: skip
    table_rows = []
    for row in rows:
        cells = {"name": row["name"]}
        for day, shift in row["cells"]:
            cells[day.isoformat()] = f"{shift.start:%H:%M}–{shift.end:%H:%M}" if shift else _("off")
        cells["planned_hours"] = staff.get(row["name"], {}).get("planned_hours")
        cells["overtime_hours"] = staff.get(row["name"], {}).get("overtime_hours")
        table_rows.append(cells)
    title = _("Roster %(week)s") % {"week": iso_week(roster.week_start)}
    return Table("roster", title, columns, table_rows)


def coverage_chart(roster: Roster) -> dict:
    """Required and rostered windows per half-hour over the week, and the predicted share within target."""
    intervals = roster.plan.get("intervals", [])
    labels = [f"{WEEKDAYS[date.fromisoformat(i['start'][:10]).weekday()]} {i['start'][11:16]}" for i in intervals]
    share = [None if i["predicted_share_within_target"] is None else round(100 * i["predicted_share_within_target"])
             for i in intervals]  # fmt: skip
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 40, "top": 36, "bottom": 60},
        "dataZoom": [{"type": "slider", "bottom": 8}],
        "xAxis": {"type": "category", "data": labels},
        "yAxis": [
            {"type": "value", "name": _("Windows"), "minInterval": 1},
            {"type": "value", "name": "%", "max": 100, "min": 0},
        ],
        "series": [
            {"name": _("Required windows"), "type": "bar", "data": [i["required_windows"] for i in intervals]},
            {"name": _("Rostered windows"), "type": "bar", "data": [i["rostered_windows"] for i in intervals]},
            {
                "name": _("Predicted called within target (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": share,
                "connectNulls": False,
            },
        ],  # fmt: skip
    }


@login_required
def hall_week(request, code: str):
    hall = _hall(request, code)
    try:
        monday = _week(request, hall)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("planning:hall", code=hall.code)
    now = clock.now()
    actions.expire_stale_runs(hall, now)
    rosters = queries.rosters_of(hall, monday)
    chosen = request.GET.get("roster", "")[:12]
    roster = next((r for r in rosters if str(r.pk) == chosen), rosters[0] if rosters else None)
    context = {
        "hall": hall,
        "monday": monday,
        "week": iso_week(monday),
        "previous": iso_week(monday - timedelta(days=7)),
        "next": iso_week(monday + timedelta(days=7)),
        "rosters": rosters,
        "roster": roster,
        "run": queries.latest_run(hall),
        "may_plan": may(request.user, Action.PLANNING_PLAN, hall),
        "may_approve": may(request.user, Action.PLANNING_APPROVE, hall),
        "absent_now": queries.rostered_not_signed_in(hall, now),
    }
    if roster is not None:
        days, rows = _grid(roster, monday)
        table = roster_table(roster, days, rows)
        wanted = wanted_download(request)
        if wanted:
            return download([table], *wanted, filename=f"roster-{hall.code}-{iso_week(monday)}")
        names = dict(ItemCategory.objects.values_list("code", "name"))
        context |= {
            "additional": [
                (names.get(g, g), n) for g, n in roster.plan.get("shortfall", {}).get("additional_staff", {}).items()
            ],
            "days": [(day, WEEKDAYS[day.weekday()]) for day in days],
            "rows": rows,
            "chart": coverage_chart(roster),
            "editable": roster.status == RosterStatus.DRAFT and context["may_plan"],
            "query": f"week={iso_week(monday)}&roster={roster.pk}",
        }
    return render(request, "planning/hall.html", context)


@login_required
def run_status(request, code: str):
    """The live status of the hall's planning run (HTMX polls it while it runs)."""
    hall = _hall(request, code)
    actions.expire_stale_runs(hall, clock.now())
    run = queries.latest_run(hall)
    if request.GET.get("polling") and (run is None or run.status != RunStatus.RUNNING):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the run ended: the whole page shows its roster
        return response
    context = {"hall": hall, "run": run, "may_plan": may(request.user, Action.PLANNING_PLAN, hall)}
    return render(request, "planning/_run.html", context)


def _in_background(run) -> None:
    def work():
        try:
            actions.run_planning(run)
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"planning-{run.pk}", daemon=True).start()


@login_required
@require_POST
def plan(request, code: str):
    hall = _hall(request, code)
    week = request.POST.get("week", "")[:10]
    try:
        free = request.POST.get("free_starts") == "1"
        run = actions.start_planning(request.user, hall, monday_of(week), clock.now(), free_starts=free)
    except (DomainError, PlanningError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        _in_background(run)
    return redirect(_week_page(hall, week))


@login_required
@require_POST
def stop(request, code: str, run_id: int):
    hall = _hall(request, code)
    run = queries.run_of(hall, run_id)
    if run is None:
        raise Http404(run_id)
    actions.stop_planning(request.user, run, clock.now())
    return redirect(_week_page(hall, iso_week(run.week_start)))


def _time(text: str, field: str) -> time | None:
    text = text.strip()[:5]
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Write the time as HH:MM, e.g. 09:00."), field=field) from None


@login_required
@require_POST
def edit_shift(request, code: str, roster_id: int):
    hall = _hall(request, code)
    roster = _roster(hall, roster_id)
    try:
        user_id, day_text = request.POST.get("staff", "")[:12], request.POST.get("day", "")[:10]
        user = get_user_model().objects.filter(pk=int(user_id)).first() if user_id.isdigit() else None
        if user is None:
            raise InvalidInput(_("Choose a person of the roster."), field="staff")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise InvalidInput(_("The day is not in the roster's week."), field="day") from None
        off = request.POST.get("off") == "1"
        start = None if off else _time(request.POST.get("start", ""), "start")
        end = None if off else _time(request.POST.get("end", ""), "end")
        if not off and start is None:
            raise InvalidInput(_("Give the shift's start, or choose a day off."), field="start")
        brk = request.POST.get("break_minutes", "0")[:4]
        break_minutes = int(brk) if brk.isdigit() else -1
        actions.edit_shift(request.user, roster, user, day, clock.now(), start=start, end=end,
                           break_minutes=0 if off else break_minutes)  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Shift saved; the labour rules hold."))
    return redirect(_week_page(hall, iso_week(roster.week_start), roster))


@login_required
@require_POST
def approve(request, code: str, roster_id: int):
    hall = _hall(request, code)
    roster = _roster(hall, roster_id)
    try:
        actions.approve(request.user, roster, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Roster approved: it is the week's duty plan."))
    return redirect(_week_page(hall, iso_week(roster.week_start), roster))
