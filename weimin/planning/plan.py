"""A hall's week planned end to end (排班方案): forecast → required windows → roster → simulated check.

The one pipeline behind ``weimin plan``, ``weimin simulate``, the planning page and its API, so they agree
to the digit:

1. **Forecast** (``forecast.forecast_week``) of tickets per day, half-hour and skill group (an item
   category) from the rollups of the ``WEIMIN_PLANNING_HISTORY_WEEKS`` weeks before, with the calendar's
   closures and make-up workdays and the slots already booked.
2. **Required windows** per half-hour: Erlang C (Erlang A with the recorded no-shows as visitors giving up) for
   windows serving every group, then raised until the simulated day calls
   ``WEIMIN_PLANNING_TARGET_SHARE`` of visitors within ``WEIMIN_PLANNING_TARGET_MINUTES`` in every
   half-hour (``simulation.pooled_windows_by_simulation``), each opening session simulated on its own
   (nobody is called over the lunch closure); shared out among the groups by their offered load.
3. **Roster** of the hall's window staff by CP-SAT (``roster.solve_roster``) under the labour rules
   (``WEIMIN_PLANNING_*`` settings), with the manager's shift patterns (or patterns drawn from the hall's
   hours when none are defined); when some half-hours stay short, the fewest additional staff by group
   (``roster.headcount_answer``).
4. **Predicted service level**: the day simulated again with the rostered people at their windows, each
   serving every group they are skilled in.

An open day without a single ticket recorded is read as a gap in the records (the hall did not record
that day), not as a day nobody came: it is left out of the forecast's history (``history_for``).
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from weimin.halls.hours import HallCalendar, Session
from weimin.halls.models import Hall
from weimin.planning import forecast, inputs, labour, roster, simulation
from weimin.planning.models import ShiftPattern
from weimin.planning.roster import clock_at, minute_of_day

SLOT_MINUTES = 30
SEED = 2017  # the simulations' seed: the same plan twice gives the same figures
NO_SHOW_SECONDS = 120.0  # a called visitor who does not come holds the window this long (the recalls)


class PlanningError(ValueError):
    """What keeps a week from being planned, said for the manager (no history, no staff, hall closed)."""


def labour_rules() -> labour.LabourRules:
    return labour.LabourRules(
        regular_minutes_per_day=round(settings.WEIMIN_PLANNING_REGULAR_HOURS_PER_DAY * 60),
        overtime_minutes_per_day=round(settings.WEIMIN_PLANNING_OVERTIME_HOURS_PER_DAY * 60),
        overtime_minutes_per_month=round(settings.WEIMIN_PLANNING_OVERTIME_HOURS_PER_MONTH * 60),
        rest_days_per_week=settings.WEIMIN_PLANNING_REST_DAYS_PER_WEEK,
        min_rest_minutes=round(settings.WEIMIN_PLANNING_MIN_REST_HOURS * 60),
    )


def target() -> tuple[float, int]:
    """The service level: (share, within minutes)."""
    return settings.WEIMIN_PLANNING_TARGET_SHARE, settings.WEIMIN_PLANNING_TARGET_MINUTES


def monday_of(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www`` (2017-W50)."""
    try:
        year, week = text.strip().upper().split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise PlanningError(_("Week: write it as an ISO week such as 2017-W50.")) from None


def iso_week(monday: date) -> str:
    """The ISO week a Monday begins, written ``YYYY-Www`` (``monday_of``'s inverse)."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def statutory_working_days(hall: Hall, monday: date) -> int:
    """The week's statutory working days (5; 4 with a public holiday, 6 with a make-up workday): what a
    contract's due hours are prorated by (``labour.due_minutes``)."""
    calendar = HallCalendar(hall)
    return sum(calendar.is_working_day(monday + timedelta(days=n)) for n in range(7)) or 5


@dataclass
class DaySessions:
    day: date
    sessions: tuple[Session, ...]

    @property
    def opens(self) -> time:
        return self.sessions[0].start.time()

    @property
    def closes(self) -> time:
        return self.sessions[-1].end.time()


def opening_days(hall: Hall, monday: date, hours_of: date | None = None) -> list[DaySessions]:
    """The week's open days and sessions; with ``hours_of``, under the weekly hours in force on that date."""
    calendar = HallCalendar(hall)
    days = [calendar.day(monday + timedelta(days=n), hours_of=hours_of) for n in range(7)]
    return [DaySessions(d.date, d.sessions) for d in days if d.open]


def _floor_half_hour(moment: time) -> time:
    return time(moment.hour, moment.minute // SLOT_MINUTES * SLOT_MINUTES)


def _ceil_half_hour(moment: time) -> time:
    minutes = -(-minute_of_day(moment) // SLOT_MINUTES) * SLOT_MINUTES
    return clock_at(minutes) if minutes < 24 * 60 else time(23, 30)


def free_starts(days: list[DaySessions]) -> roster.FreeShifts:
    """Shifts free to start on any step (``WEIMIN_PLANNING_FREE_START_STEP_MINUTES``, the half-hour by default)
    between the opening and the closing, from 4 to 9 hours with an hour's break over 6 hours, taken at the lunch
    closure when the shift spans it."""
    lunch = next((d.sessions[0].end.time() for d in days if len(d.sessions) > 1), None)
    return roster.FreeShifts(
        step_minutes=settings.WEIMIN_PLANNING_FREE_START_STEP_MINUTES,
        break_from=_floor_half_hour(lunch) if lunch else None,
        evening_from=time.fromisoformat(settings.WEIMIN_ANALYTICS_EVENING_FROM),
    )


def shift_patterns(hall: Hall, days: list[DaySessions]) -> tuple[roster.ShiftPattern, ...]:
    """The manager's patterns for the hall, or — when none are defined — an early and a late shift of eight
    working hours on days longer than that (the break at the lunch closure when there is one) and a shift
    covering the whole of a shorter day."""
    evening_from = time.fromisoformat(settings.WEIMIN_ANALYTICS_EVENING_FROM)
    defined = list(ShiftPattern.objects.filter(hall=hall))
    if defined:
        return tuple(
            roster.ShiftPattern(
                p.name,
                p.start,
                p.end,
                p.break_minutes,
                p.break_start,
                evening=p.end > evening_from,
                saturday="5" in p.weekdays,
                weekdays=frozenset(int(d) for d in p.weekdays),
            )  # fmt: skip
            for p in defined
        )
    patterns: dict[tuple, roster.ShiftPattern] = {}
    for day in days:
        opens, closes = _floor_half_hour(day.opens), _ceil_half_hour(day.closes)
        weekday = day.day.weekday()
        weekend = weekday >= 5
        lunch = day.sessions[0].end.time() if len(day.sessions) > 1 else None
        span = minute_of_day(closes) - minute_of_day(opens)
        if span <= 8 * 60:
            shapes = [("全天" if not weekend else "周末班", opens, closes, 0, None)]
        else:
            pause = 60
            brk = _floor_half_hour(lunch) if lunch else None
            early_end = clock_at(minute_of_day(opens) + 8 * 60 + pause)
            late_start = clock_at(minute_of_day(closes) - 8 * 60 - pause)
            shapes = [
                ("早班", opens, min(early_end, closes), pause, brk),
                ("晚班", max(late_start, opens), closes, pause, brk),
            ]
        for name, start, end, pause, brk in shapes:
            if brk is not None and not (start <= brk and minute_of_day(brk) + pause <= minute_of_day(end)):
                brk = None
            key = (name, start, end, pause, brk)
            found = patterns.get(key)
            weekdays = (found.weekdays if found else frozenset()) | {weekday}
            patterns[key] = roster.ShiftPattern(
                name, start, end, pause, brk, evening=end > evening_from, saturday=weekday == 5, weekdays=weekdays
            )
    return tuple(patterns.values())


@dataclass
class WeekPlan:
    hall: Hall
    monday: date
    days: list[DaySessions]
    forecast: forecast.WeekForecast
    requirement: dict[tuple[date, int, str], int]  # (day, slot, group) → windows
    roster: roster.Roster
    headcount: roster.HeadcountAnswer | None
    predicted: dict[tuple[date, int], float]  # (day, slot) → share within target, simulated with the roster
    staff_names: dict[str, str]
    contracted: dict[str, int] = field(default_factory=dict)  # staff id → contracted minutes a week
    users: dict[str, object] = field(default_factory=dict)  # staff id → account

    def as_json(self) -> dict:
        """The plan as ``weimin plan --format json`` prints it and the Roster row keeps it."""
        share, minutes = target()
        expected = self.forecast.by_slot()
        rostered = defaultdict(int)
        for c in self.roster.coverage:
            rostered[c.day, c.start.hour * 2 + c.start.minute // 30] += c.rostered
        required = defaultdict(int)
        for (day, slot, _group), windows in self.requirement.items():
            required[day, slot] += windows
        intervals = []
        for day in self.days:
            tz = self.hall.tz
            for slot in range(minute_of_day(_floor_half_hour(day.opens)) // 30, -(-minute_of_day(day.closes) // 30)):
                start = datetime.combine(day.day, clock_at(slot * 30), tz)
                intervals.append({
                    "start": start.isoformat(),
                    "forecast_arrivals": round(expected.get((day.day, slot), 0.0), 2),
                    "required_windows": required.get((day.day, slot), 0),
                    "rostered_windows": rostered.get((day.day, slot), 0),
                    "predicted_share_within_target": _rounded(self.predicted.get((day.day, slot))),
                })  # fmt: skip
        tz = self.hall.tz
        shifts = [
            {
                "staff": self.staff_names.get(s.staff, s.staff),
                "start": datetime.combine(s.day, s.start, tz).isoformat(),
                "end": datetime.combine(s.day, s.end, tz).isoformat(),
                "break_minutes": s.break_minutes,
                "pattern": s.pattern,
            }
            for s in sorted(self.roster.shifts, key=lambda s: (s.day, s.start, self.staff_names.get(s.staff, "")))
        ]
        staff = [
            {
                "staff": self.staff_names.get(p.staff, p.staff),
                "contracted_hours": round(self.contracted.get(p.staff, p.due_minutes) / 60, 1),
                "planned_hours": round(p.planned_minutes / 60, 1),
                "overtime_hours": round(p.overtime_minutes / 60, 1),
                "comp_time_hours": round(p.comp_time_minutes / 60, 1),
                "evening_sessions": p.evening_sessions,
                "saturday_sessions": p.saturday_sessions,
            }
            for p in sorted(self.roster.staff, key=lambda p: self.staff_names.get(p.staff, p.staff))
        ]
        solver = self.roster.solver
        headcount = self.headcount
        return {
            "hall": self.hall.code,
            "week": iso_week(self.monday),
            "service_level": {"share": share, "within_minutes": minutes},
            "intervals": intervals,
            "shifts": shifts,
            "staff": staff,
            "solver": {
                "status": solver.status,
                "objective": solver.objective,
                "bound": solver.bound,
                "gap": round(solver.gap, 4),
                "seconds": round(solver.seconds, 2),
            },
            "shortfall": {
                "staff_hours": round(self.roster.short_staff_hours, 1),
                "short_half_hours": self.roster.short_half_hours,
                # The requirement counts each category's windows apart; the simulation lets a multi-skilled
                # person serve every category they know, so the service itself may still meet the target.
                "simulated_short_half_hours": sum(1 for value in self.predicted.values() if value < share),
                "additional_staff": dict(headcount.additional_staff) if headcount else {},
                "overtime_hours": round(sum(p.overtime_minutes for p in self.roster.staff) / 60, 1),
                "comp_time_hours": round(sum(p.comp_time_minutes for p in self.roster.staff) / 60, 1),
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class HallInputs:
    """What the simulation needs of the hall, read once for a week."""

    handling: dict[str, simulation.HandlingTimes]
    priority: dict[str, float]
    no_show: float
    patience_seconds: float | None


def hall_inputs(hall: Hall, monday: date) -> HallInputs:
    first, last = monday - timedelta(weeks=8), monday - timedelta(days=1)
    return HallInputs(
        inputs.handling_times(hall, first, last),
        inputs.priority_shares(hall, first, last),
        *inputs.no_shows(hall, first, last),
    )


def history_for(hall: Hall, recorded_until: date, *, since: date, until: date | None = None):
    """The recorded arrivals from ``since`` to ``recorded_until`` and the day info from the first of them to
    ``until`` (default: two weeks after), as the forecast and its backtest read them. An open day without a
    single ticket recorded is a gap in the records, not a day nobody came: it is read as closed."""
    arrivals = inputs.arrival_counts(hall, since, recorded_until)
    if not arrivals:
        raise PlanningError(
            _("No tickets recorded at %(hall)s in the %(weeks)s weeks before the week: nothing to forecast from.")
            % {"hall": hall.name, "weeks": settings.WEIMIN_PLANNING_HISTORY_WEEKS}
        )
    recorded = {day for day, _slot, _group in arrivals}
    days = []
    for info in inputs.day_infos(hall, min(recorded), until or recorded_until + timedelta(days=14)):
        if info.open_slots and info.date <= recorded_until and info.date not in recorded:
            info = replace(info, open_slots=frozenset())
        days.append(info)
    return arrivals, days


def forecast_for(hall: Hall, monday: date, now: datetime) -> forecast.WeekForecast:
    """The week's forecast from the recorded history before it (up to yesterday when the week has begun or
    is next week)."""
    yesterday = hall.local_date(now) - timedelta(days=1)
    recorded_until = min(monday - timedelta(days=1), yesterday)
    since = recorded_until - timedelta(weeks=settings.WEIMIN_PLANNING_HISTORY_WEEKS)
    arrivals, days = history_for(hall, recorded_until, since=since, until=monday + timedelta(days=13))
    follows = settings.WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY
    try:
        return forecast.forecast_week(
            arrivals, days, monday, inputs.bookings(hall, monday),
            forecast.ForecastSettings(history_weeks=settings.WEIMIN_PLANNING_HISTORY_WEEKS,
                                      makeup_follows_weekday=follows),
            recorded_until=recorded_until,
        )  # fmt: skip
    except ValueError as error:  # the history cannot carry a forecast
        raise PlanningError(_("The forecast cannot be made: %(reason)s") % {"reason": error}) from None


def _session_day(
    hall_inputs_: HallInputs, session: Session, day: date, week_forecast: forecast.WeekForecast, windows=()
) -> simulation.HallDay:
    """One opening session as the simulation's day: its half-hours, the forecast arrivals of each group."""
    opens, closes = _floor_half_hour(session.start.time()), _ceil_half_hour(session.end.time())
    edges = simulation.slot_edges_between(minute_of_day(opens) * 60, minute_of_day(closes) * 60)
    first_slot = minute_of_day(opens) // 30
    groups = []
    for group in week_forecast.groups:
        arrivals = tuple(week_forecast.expected(day, first_slot + k, group) for k in range(len(edges) - 1))
        if sum(arrivals) > 0:
            groups.append(
                simulation.SkillGroup(
                    group, arrivals, hall_inputs_.handling[group], hall_inputs_.priority.get(group, 0.0)
                )
            )
    cut = session.last_ticket.time()
    return simulation.HallDay(
        slot_edges=edges,
        groups=tuple(groups),
        windows=tuple(windows),
        last_ticket=min(max(minute_of_day(cut) * 60 + cut.second, edges[0]), edges[-1]),
        no_show_probability=min(hall_inputs_.no_show, 0.5),
        no_show_seconds=NO_SHOW_SECONDS,
        patience_seconds=hall_inputs_.patience_seconds,
        wait_target_seconds=target()[1] * 60,
        max_priority_in_row=settings.WEIMIN_MAX_PRIORITY_IN_ROW,
    )


def required_windows(
    days: list[DaySessions], week_forecast: forecast.WeekForecast, hall_inputs_: HallInputs
) -> dict[tuple[date, int, str], int]:
    """Windows per (day, half-hour, group): the windows the session needs when every window serves every group
    (``simulation.pooled_windows_by_simulation``: Erlang C or A corrected by simulation), shared out among the
    groups by their offered load (``apportion``). A roster that staffs each group's share with people skilled in
    it staffs the pooled requirement: a clerk with several skills counts once, not once per group — windows
    dedicated to each group would ask for far more people than the hall needs."""
    share, _minutes_ = target()
    required = {}
    for day in days:
        for session in day.sessions:
            model = _session_day(hall_inputs_, session, day.day, week_forecast)
            if not model.groups:
                continue
            first_slot = int(model.slot_edges[0] // 1800)
            pooled = simulation.pooled_windows_by_simulation(
                model, share, settings.WEIMIN_PLANNING_SIMULATION_REPLICATIONS, SEED
            )
            for k, windows in enumerate(pooled):
                loads = {g.name: g.arrivals[k] * g.handling.mean() for g in model.groups}
                for group, n in apportion(windows, loads).items():
                    required[day.day, first_slot + k, group] = n
    return required


def apportion(windows: int, loads: dict[str, float]) -> dict[str, int]:
    """``windows`` shared out in proportion to each group's offered load by the largest remainder (ties to the
    group named first), leaving out groups given none; all to the first group when no load is expected."""
    total = sum(loads.values())
    if windows <= 0:
        return {}
    if total <= 0:
        return {min(loads): windows}
    quotas = {group: windows * load / total for group, load in loads.items()}
    shares = {group: math.floor(quota) for group, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda group: (-(quotas[group] - shares[group]), group))
    for group in by_remainder[: windows - sum(shares.values())]:
        shares[group] += 1
    return {group: n for group, n in sorted(shares.items()) if n}


def worked_half_hours(start: time, end: time, break_minutes: int, break_start: time | None = None) -> tuple[int, ...]:
    """The half-hours (minutes after midnight) of a shift less its break, placed at ``break_start`` or where the
    roster places it (``roster.ShiftPattern.covered``)."""
    return roster.ShiftPattern("", start, end, break_minutes, break_start).covered


def rostered_windows(
    worked: list[tuple[str, list[int]]], members: dict[str, labour.StaffMember], session: Session, groups: set[str]
) -> list[simulation.Window]:
    """Each person working in the session (staff id and the half-hours they work) as a window serving every
    group they are skilled in, staffed over those half-hours within the session."""
    start, end = minute_of_day(session.start.time()) * 60, minute_of_day(session.end.time()) * 60
    windows = []
    for staff, half_hours in worked:
        skills = frozenset(members[staff].skills) & groups
        intervals: list[tuple[float, float]] = []
        for begin in sorted(m * 60 for m in half_hours):
            if start <= begin < end:
                if intervals and intervals[-1][1] == begin:
                    intervals[-1] = (intervals[-1][0], begin + 1800)
                else:
                    intervals.append((begin, begin + 1800))
        if skills and intervals:
            windows.append(simulation.Window(staff, skills, tuple(intervals)))
    return windows


def simulate_session(
    hall_inputs_: HallInputs, session: Session, day: date, week_forecast, worked, members, replications: int
) -> simulation.SimulationResult | None:
    """The session simulated with the people working in it; None when nobody is expected."""
    model = _session_day(hall_inputs_, session, day, week_forecast)
    if not model.groups:
        return None
    windows = rostered_windows(worked, members, session, {g.name for g in model.groups})
    return simulation.simulate(replace(model, windows=tuple(windows)), replications, SEED)


def predicted_service(
    days: list[DaySessions], week_forecast, hall_inputs_: HallInputs, planned: roster.Roster, members, replications: int
) -> dict[tuple[date, int], float]:
    """The share called within the target per (day, half-hour), the day simulated with the roster."""
    predicted = {}
    for day in days:
        worked = [(s.staff, [minute_of_day(t) for t, _group in s.cover]) for s in planned.shifts if s.day == day.day]
        for session in day.sessions:
            result = simulate_session(hall_inputs_, session, day.day, week_forecast, worked, members, replications)
            if result is None:
                continue
            first_slot = int(result.slots[0].start // 1800)
            for k, figures in enumerate(result.slots):
                if figures.arrivals.mean > 0:
                    predicted[day.day, first_slot + k] = figures.share_within_target.mean
    return predicted


def plan_week(
    hall: Hall,
    monday: date,
    now: datetime,
    *,
    time_limit: float | None = None,
    on_progress: Callable[[roster.Progress], None] | None = None,
    stop: threading.Event | None = None,
    hours_of: date | None = None,
    free: bool = False,
) -> WeekPlan:
    """Forecast, required windows, roster, headcount and predicted service level of the hall's week; with
    ``hours_of``, the same week, visitors and staff under the opening hours in force on that date (the article's
    comparison: the hours before the extended service of 2017-10-23 against those after); with ``free``, shifts
    start freely (``free_starts``) instead of following the patterns."""
    if monday.weekday() != 0:
        raise PlanningError(_("Week: choose a week by its Monday."))
    days = opening_days(hall, monday, hours_of)
    if not days:
        raise PlanningError(_("%(hall)s is closed the whole week: nothing to plan.") % {"hall": hall.name})
    members, users = inputs.staff_members(hall, monday, now)
    if not members:
        raise PlanningError(_("%(hall)s has no window staff to roster.") % {"hall": hall.name})
    week_forecast = forecast_for(hall, monday, now)
    hall_inputs_ = hall_inputs(hall, monday)
    requirement = required_windows(days, week_forecast, hall_inputs_)
    week = roster.Week(
        start=monday,
        days=tuple(roster.OpeningDay(d.day, _floor_half_hour(d.opens), _ceil_half_hour(d.closes)) for d in days),
        working_days=statutory_working_days(hall, monday),
    )
    problem = roster.RosterProblem(
        week=week,
        requirement=tuple(
            roster.RequiredWindows(day, clock_at(slot * 30), group, windows)
            for (day, slot, group), windows in sorted(requirement.items())
        ),
        staff=tuple(members),
        shifts=free_starts(days) if free else shift_patterns(hall, days),
        rules=labour_rules(),
    )
    limit = settings.WEIMIN_PLANNING_TIME_LIMIT_SECONDS if time_limit is None else time_limit
    workers = settings.WEIMIN_PLANNING_SOLVER_WORKERS
    planned = roster.solve_roster(problem, time_limit_seconds=limit, num_workers=workers, on_progress=on_progress,
                                  stop=stop)  # fmt: skip
    if math.isnan(planned.solver.objective):  # stopped (or timed out) before the solver's first roster
        raise PlanningError(_("No roster was found before the search stopped: plan again and let it run longer."))
    headcount = None
    if planned.short_half_hours and not (stop and stop.is_set()):
        headcount = roster.headcount_answer(problem, time_limit_seconds=limit, num_workers=workers, today=planned,
                                            stop=stop)  # fmt: skip
    by_id = {m.id: m for m in members}
    predicted = predicted_service(days, week_forecast, hall_inputs_, planned, by_id,
                                  settings.WEIMIN_PLANNING_SIMULATION_REPLICATIONS)  # fmt: skip
    return WeekPlan(
        hall, monday, days, week_forecast, requirement, planned, headcount, predicted,
        {m.id: m.name for m in members}, {m.id: m.contracted_minutes for m in members}, users,
    )  # fmt: skip


def _estimate(value, scale: float = 1.0) -> dict | None:
    if value.mean != value.mean:  # NaN: nobody arrived in the slot
        return None
    return {
        "mean": round(value.mean * scale, 3),
        "low": round(value.low * scale, 3),
        "high": round(value.high * scale, 3),
    }


def simulate_day(hall: Hall, day: date, now: datetime, rostered, replications: int) -> dict:
    """The hall's day simulated ``replications`` times with its rostered shifts (``RosterShift``-like rows:
    ``user_id``, ``start``, ``end``, ``break_minutes``, ``break_start``): waits per half-hour with their
    confidence intervals, as ``weimin simulate --format json`` prints them."""
    monday = day - timedelta(days=day.weekday())
    sessions = next((d.sessions for d in opening_days(hall, monday) if d.day == day), ())
    if not sessions:
        raise PlanningError(_("%(hall)s is closed that day: nothing to simulate.") % {"hall": hall.name})
    week_forecast = forecast_for(hall, monday, now)
    members = {m.id: m for m in inputs.staff_members(hall, monday, now)[0]}
    worked = [
        (str(s.user_id), worked_half_hours(s.start, s.end, s.break_minutes, s.break_start))
        for s in rostered
        if str(s.user_id) in members
    ]
    share, minutes = target()
    intervals, days, read = [], [], hall_inputs(hall, monday)
    for session in sessions:
        result = simulate_session(read, session, day, week_forecast, worked, members, replications)
        if result is None:
            continue
        days.append(result.day)
        for figures in result.slots:
            start = datetime.combine(day, time(0), hall.tz) + timedelta(seconds=figures.start)
            intervals.append({
                "start": start.isoformat(),
                "arrivals": _estimate(figures.arrivals),
                "windows": round(figures.windows_staffed, 2),
                "mean_wait_minutes": _estimate(figures.mean_wait, 1 / 60),
                "p90_wait_minutes": _estimate(figures.p90_wait, 1 / 60),
                "share_within_target": _estimate(figures.share_within_target),
            })  # fmt: skip
    return {
        "hall": hall.code,
        "date": day.isoformat(),
        "replications": replications,
        "service_level": {"share": share, "within_minutes": minutes},
        "intervals": intervals,
        "sessions": [
            {
                "arrivals": _estimate(d.arrivals),
                "unserved": _estimate(d.unserved),
                "mean_wait_minutes": _estimate(d.mean_wait, 1 / 60),
                "p90_wait_minutes": _estimate(d.p90_wait, 1 / 60),
                "share_within_target": _estimate(d.share_within_target),
            }
            for d in days
        ],
    }
