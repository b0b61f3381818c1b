"""Reading shifts: extended sessions, missed logistics tasks, the 补休 balance."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Sum

from weimin.halls.models import Hall
from weimin.shifts.models import ChecklistItem, CompTimeEntry, Duty


def is_extended(session) -> bool:
    hours, minutes = map(int, settings.WEIMIN_EXTENDED_SESSION_ENDS_AFTER.split(":"))
    local_end = session.end
    return local_end.timetz().replace(tzinfo=None) > time(hours, minutes) or session.start.weekday() >= 5


def missed(hall: Hall, now: datetime):
    """Tasks of finished extended sessions that nobody ticked: the manager sees them."""
    return ChecklistItem.objects.filter(
        checklist__hall=hall, checklist__session_end__lt=now, done_at__isnull=True
    ).select_related("checklist", "assignee")


def worked_minutes(user, start: datetime, end: datetime) -> int:
    total = timedelta(0)
    for duty in Duty.objects.filter(user=user, simulated=False, started_at__lt=end).exclude(ended_at__lte=start):
        total += min(duty.ended_at or end, end) - max(duty.started_at, start)
    return int(total.total_seconds() // 60)


def balance(user) -> int:
    return CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("minutes"))["total"] or 0
