"""Planning's state changes (排班): each one a transactional function, authorised by the matrix, used by the
pages, the API and the commands alike.

A week is planned in the background (``start_planning`` records a ``PlanningRun``; ``run_planning`` does the
work, reporting progress to the run's row so that any server process can show it, and stops when the
manager asks, keeping the best roster so far). The result is a draft ``Roster``; the manager edits its
shifts — each edit re-checked against the labour rules by ``labour.check_roster``, independently of the
solver — and approves it as the week's duty plan.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.accounts.permissions import Action, authorize
from weimin.core import clock
from weimin.core.errors import InvalidInput, Refused
from weimin.halls.models import Hall
from weimin.planning import inputs, labour, plan
from weimin.planning.models import PlanningRun, Roster, RosterShift, RosterStatus, RunStatus

STOP_POLL_SECONDS = 1.0  # how often a running plan looks for the manager's stop


def start_planning(actor, hall: Hall, monday: date, now: datetime, *, free_starts: bool = False) -> PlanningRun:
    """Record that the hall's week is being planned (with the hall's shift patterns, or shifts starting freely);
    one run at a time per hall."""
    authorize(actor, Action.PLANNING_PLAN, hall)
    if monday.weekday() != 0:
        raise InvalidInput(_("Choose a week by its Monday."), field="week")
    with transaction.atomic():
        Hall.objects.select_for_update().filter(pk=hall.pk).first()  # two starts at once: one waits and sees the other
        expire_stale_runs(hall, now)
        if PlanningRun.objects.filter(hall=hall, status=RunStatus.RUNNING).exists():
            raise Refused(_("A week of this hall is being planned already."), field="week")
        return PlanningRun.objects.create(
            hall=hall, week_start=monday, free_starts=free_starts, started_at=now, heartbeat_at=now, started_by=actor
        )


STALE_RUN = gettext_lazy("The planning process stopped answering (a server restart?): plan the week again.")


@transaction.atomic
def expire_stale_runs(hall: Hall, now: datetime) -> int:
    """End as failed the hall's runs whose process died (``PlanningRun.is_stale``), so that they no longer
    block a new run; a run that was only slow and finishes after all still saves its roster."""
    stale = [run.pk for run in PlanningRun.objects.filter(hall=hall, status=RunStatus.RUNNING) if run.is_stale(now)]
    return PlanningRun.objects.filter(pk__in=stale).update(status=RunStatus.FAILED, error=str(STALE_RUN),
                                                            finished_at=now)  # fmt: skip


def run_planning(run: PlanningRun, *, time_limit: float | None = None) -> PlanningRun:
    """Plan the run's week and save the draft roster; progress goes to the run's row, a stop requested there
    ends the solver's search with the best roster so far. Errors end the run as failed, with the reason.

    The solver calls back from its own threads; only one watcher thread talks to the database meanwhile,
    once a second: it writes the latest progress and looks for the manager's stop."""
    stop, done = threading.Event(), threading.Event()
    latest: dict[str, str] = {}

    def watch() -> None:
        try:
            while not done.wait(STOP_POLL_SECONDS):
                try:
                    beat = {"heartbeat_at": clock.now(), "progress": latest.get("text", "")[:200]}
                    PlanningRun.objects.filter(pk=run.pk).update(**beat)
                    if PlanningRun.objects.filter(pk=run.pk, stop_requested=True).exists():
                        stop.set()
                except DatabaseError:
                    pass  # a busy SQLite file: the live status is best effort, the plan goes on
        except RuntimeError:
            pass  # a test's database gone
        finally:
            connection.close()  # this thread's own connection

    def progress(found) -> None:
        figures = {"gap": f"{found.gap:.1%}", "seconds": f"{found.seconds:.0f}"}
        latest["text"] = _("Roster found: gap %(gap)s, %(seconds)s s") % figures

    if PlanningRun.objects.filter(pk=run.pk, stop_requested=True).exists():
        stop.set()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        planned = plan.plan_week(run.hall, run.week_start, run.started_at, time_limit=time_limit,
                                 on_progress=progress, stop=stop, free=run.free_starts)  # fmt: skip
    except plan.PlanningError as error:
        done.set()
        watcher.join(timeout=2 * STOP_POLL_SECONDS)
        PlanningRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(error)[:300],
                                                     finished_at=clock.now())  # fmt: skip
    else:
        done.set()
        watcher.join(timeout=2 * STOP_POLL_SECONDS)  # not longer: its last query may wait on a busy database
        roster = save_plan(run.started_by, planned, run.started_at)
        PlanningRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, roster=roster, finished_at=clock.now())
    finally:
        done.set()
    run.refresh_from_db()
    return run


def stop_planning(actor, run: PlanningRun, now: datetime) -> PlanningRun:
    """Ask a running plan to stop and keep the best roster found so far."""
    authorize(actor, Action.PLANNING_PLAN, run.hall)
    PlanningRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(stop_requested=True)
    run.refresh_from_db()
    return run


@transaction.atomic
def save_plan(actor, planned: plan.WeekPlan, now: datetime) -> Roster:
    """The plan as a draft roster: its figures (``WeekPlan.as_json``) and one row per shift."""
    roster = Roster.objects.create(
        hall=planned.hall, week_start=planned.monday, planned_at=now, planned_by=actor, plan=planned.as_json()
    )
    RosterShift.objects.bulk_create(
        RosterShift(
            roster=roster,
            user=planned.users[s.staff],
            day=s.day,
            start=s.start,
            end=s.end,
            break_minutes=s.break_minutes,
            break_start=_break_start(s),
            pattern=s.pattern,
        )
        for s in planned.roster.shifts
    )
    return roster


def _break_start(shift) -> time | None:
    """Where the solver put the shift's break: its first half-hour not worked."""
    if not shift.break_minutes:
        return None
    worked = {moment for moment, _group in shift.cover}
    moment = datetime.combine(shift.day, shift.start)
    while moment.time() < shift.end:
        if moment.time() not in worked:
            return moment.time()
        moment += timedelta(minutes=30)
    return None


RULE_LABELS = {
    "one_shift_a_day": gettext_lazy("at most one shift a day"),
    "daily_overtime": gettext_lazy("at most %(regular)s regular and %(overtime)s overtime hours a day"),
    "monthly_overtime": gettext_lazy("at most %(month)s overtime hours a month, this month's included"),
    "rest_day": gettext_lazy("at least %(rest)s full rest day(s) a week"),
    "rest_between_shifts": gettext_lazy("at least %(gap)s hours' rest between shifts"),
    "skill": gettext_lazy("only the items the person is trained for"),
    "leave": gettext_lazy("no shift on a day of leave"),
    "unavailable": gettext_lazy("no shift while the person is unavailable"),
}


def describe(violation: labour.Violation, rules: labour.LabourRules) -> str:
    """A broken labour rule in the manager's words."""
    figures = {
        "regular": rules.regular_minutes_per_day / 60,
        "overtime": rules.overtime_minutes_per_day / 60,
        "month": rules.overtime_minutes_per_month / 60,
        "rest": rules.rest_days_per_week,
        "gap": rules.min_rest_minutes / 60,
    }
    rule = str(RULE_LABELS.get(violation.rule, violation.rule)) % {k: f"{v:g}" for k, v in figures.items()}
    day = f"{violation.day:%m-%d} " if violation.day else ""
    return _("%(day)sbreaks the labour rule: %(rule)s.") % {"day": day, "rule": rule}


def _half_hour(value: time | None, field: str) -> time | None:
    if value is not None and (value.minute % 30 or value.second or value.microsecond):
        raise InvalidInput(_("Shifts start and end on the hour or half-hour."), field=field)
    return value


def edit_shift(
    actor,
    roster: Roster,
    user,
    day: date,
    now: datetime,
    *,
    start: time | None,
    end: time | None,
    break_minutes: int = 0,
) -> RosterShift | None:
    """Give ``user`` the shift ``start``–``end`` on ``day`` of a draft roster, or none (``start`` None); the
    labour rules are checked again for the whole week, and an edit that breaks one is refused naming it."""
    authorize(actor, Action.PLANNING_PLAN, roster.hall)
    if not roster.week_start <= day < roster.week_start + timedelta(days=7):
        raise InvalidInput(_("The day is not in the roster's week."), field="day")
    _half_hour(start, "start")
    _half_hour(end, "end")
    if start is not None and (end is None or end <= start):
        raise InvalidInput(_("The shift must end after it starts."), field="end")
    if not 0 <= break_minutes <= 180 or break_minutes % 30:
        raise InvalidInput(_("The break is 0 to 180 minutes, in half-hours."), field="break_minutes")
    if start is not None and break_minutes >= (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute):
        raise InvalidInput(_("The break must be shorter than the shift."), field="break_minutes")
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status != RosterStatus.DRAFT:
            raise Refused(_("Only a draft roster can be edited: plan the week again to change it."), field="roster")
        members, _users = inputs.staff_members(roster.hall, roster.week_start, now)
        member = next((m for m in members if m.id == str(user.pk)), None)
        if member is None:
            raise InvalidInput(_("The person is not on this hall's window staff."), field="staff")
        others = [s for s in roster.shifts.all() if not (s.user_id == user.pk and s.day == day)]
        week = [labour.Shift(str(s.user_id), s.day, s.start, s.end, s.break_minutes) for s in others]
        if start is not None:
            week.append(labour.Shift(member.id, day, start, end, break_minutes))
        rules = plan.labour_rules()
        working_days = plan.statutory_working_days(roster.hall, roster.week_start)
        checked = labour.check_roster(week, members, roster.week_start, rules, working_days)
        broken = [v for v in checked if v.staff == member.id]
        if broken:
            raise Refused(" ".join(describe(v, rules) for v in broken), field="start")
        RosterShift.objects.filter(roster=roster, user=user, day=day).delete()
        if start is None:
            return None
        return RosterShift.objects.create(
            roster=roster, user=user, day=day, start=start, end=end, break_minutes=break_minutes, pattern=""
        )


def approve(actor, roster: Roster, now: datetime) -> Roster:
    """Make a draft roster the week's duty plan; an earlier approved roster of the week is superseded."""
    authorize(actor, Action.PLANNING_APPROVE, roster.hall)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status != RosterStatus.DRAFT:
            raise Refused(_("Only a draft roster can be approved."), field="roster")
        Roster.objects.filter(hall=roster.hall, week_start=roster.week_start, status=RosterStatus.APPROVED).update(
            status=RosterStatus.SUPERSEDED
        )
        roster.status, roster.approved_at, roster.approved_by = RosterStatus.APPROVED, now, actor
        roster.save(update_fields=["status", "approved_at", "approved_by"])
        return roster
