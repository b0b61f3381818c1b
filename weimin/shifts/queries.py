"""Reading shifts: what a clerk has in hand and who could take it, extended sessions, missed logistics
tasks, the 补休 balance. Who holds which window is ``Duty.objects`` (models.DutyQuerySet)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum

from weimin.cases import queries as case_queries
from weimin.cases.models import Case
from weimin.cases.rules import HELD_STATUSES
from weimin.halls.models import Hall, Window
from weimin.shifts.models import ChecklistItem, CompTimeEntry, Duty
from weimin.tickets import queue
from weimin.tickets.models import Ticket


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
    for duty in Duty.objects.filter(user=user, started_at__lt=end).exclude(ended_at__lte=start):
        total += min(duty.ended_at or end, end) - max(duty.started_at, start)
    return int(total.total_seconds() // 60)


def balance(user) -> int:
    return CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("minutes"))["total"] or 0


def in_hand(user, window: Window) -> tuple[Ticket | None, list[Ticket], list[Case]]:
    """What the clerk at ``window`` is responsible for: the ticket at it, fast-lane tickets sent to it,
    and the cases they own."""
    return queue.ticket_at_window(window), queue.sent_to(window), case_queries.held_by(user, window.hall)


def on_duty_colleagues(user, window: Window):
    """People signed in at another window of the same hall."""
    return (
        get_user_model()
        .objects.filter(duties__ended_at__isnull=True, duties__window__hall=window.hall)
        .exclude(pk=user.pk)
    )


def propose_successor(user, window: Window, item_ids: set[int]):
    """The colleague on duty whose skills cover most of the items, then the one with fewest cases."""
    return (
        on_duty_colleagues(user, window)
        .annotate(
            covered=Count("staff_profile__skills", filter=Q(staff_profile__skills__in=item_ids), distinct=True),
            owned=Count("cases", filter=Q(cases__status__in=HELD_STATUSES), distinct=True),
        )
        .order_by("-covered", "owned", "username")
        .first()
    )
