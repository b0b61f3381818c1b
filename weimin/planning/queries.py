"""What planning's pages and other apps read: a hall's rosters, a clerk's shifts, who is rostered now."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from weimin.halls.models import Hall
from weimin.planning.models import PlanningRun, Roster, RosterShift, RosterStatus, RunStatus
from weimin.shifts import queries as shift_queries


def rosters_of(hall: Hall, monday: date) -> list[Roster]:
    """The week's rosters, the approved one first, then drafts newest first."""
    rosters = Roster.objects.filter(hall=hall, week_start=monday).exclude(status=RosterStatus.SUPERSEDED)
    return sorted(rosters, key=lambda r: (r.status != RosterStatus.APPROVED, -r.planned_at.timestamp()))


def roster_of(hall: Hall, pk: int) -> Roster | None:
    return Roster.objects.filter(hall=hall, pk=pk).first()


def shifts_of(roster: Roster) -> list[RosterShift]:
    return list(roster.shifts.select_related("user__staff_profile"))


def running(hall: Hall) -> PlanningRun | None:
    """The hall's plan being computed now, if any."""
    return PlanningRun.objects.filter(hall=hall, status=RunStatus.RUNNING).first()


def latest_run(hall: Hall) -> PlanningRun | None:
    return PlanningRun.objects.filter(hall=hall).first()


def my_shifts(user, first: date, last: date) -> list[RosterShift]:
    """``user``'s shifts on [first, last] in approved rosters (the duty plan), by day."""
    return list(
        RosterShift.objects.filter(user=user, day__range=(first, last), roster__status=RosterStatus.APPROVED)
        .select_related("roster__hall")
        .order_by("day", "start")
    )


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def rostered_not_signed_in(hall: Hall, now: datetime) -> list[RosterShift]:
    """Approved shifts in progress at the hall now whose person holds no window: the manager's call list."""
    local = now.astimezone(hall.tz)
    shifts = RosterShift.objects.filter(
        roster__hall=hall, roster__status=RosterStatus.APPROVED, day=local.date(),
        start__lte=local.time(), end__gt=local.time(),
    ).select_related("user__staff_profile")  # fmt: skip
    on_duty = shift_queries.on_duty_users(hall)
    return [s for s in shifts if s.user_id not in on_duty]


def roster_for_day(hall: Hall, day: date) -> Roster | None:
    """The roster that plans ``day``: the approved one of its week, else the newest draft."""
    found = rosters_of(hall, week_of(day)[0])
    return found[0] if found else None


def shifts_on(roster: Roster, day: date) -> list[RosterShift]:
    return list(roster.shifts.filter(day=day))


def run_of(hall: Hall, pk: int) -> PlanningRun | None:
    return PlanningRun.objects.filter(hall=hall, pk=pk).first()
