"""Reading the queue: what waits where, who is ahead, how long, what the display shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from weimin.halls.models import Hall, ServiceItem, Window
from weimin.shifts.models import Duty
from weimin.tickets import rules
from weimin.tickets.models import Ticket, TicketEvent
from weimin.tickets.rules import AT_WINDOW_STATUSES, Event, Status

QUEUE_ORDER = ("-front", "queued_at", "id")


def waiting(hall: Hall, business_date: date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(hall=hall, business_date=business_date, status=Status.WAITING)


def waiting_for_window(window: Window, business_date: date) -> QuerySet[Ticket]:
    """Tickets this window may call: its items' tickets, and tickets transferred to it by name."""
    return waiting(window.hall, business_date).filter(
        Q(target_window=window) | Q(target_window__isnull=True, item__in=window.items.all())
    )


def ticket_at_window(window: Window) -> Ticket | None:
    return Ticket.objects.filter(window=window, status__in=AT_WINDOW_STATUSES).first()


def staffed_windows(hall: Hall) -> QuerySet[Window]:
    return Window.objects.filter(hall=hall, active=True, duties__ended_at__isnull=True).distinct()


def windows_serving(item: ServiceItem, hall: Hall) -> int:
    """Windows serving the item now; when nobody is signed in, the windows that could."""
    staffed = staffed_windows(hall).filter(items=item).count()
    return staffed or Window.objects.filter(hall=hall, active=True, items=item).count()


@dataclass(frozen=True)
class Position:
    ahead: int
    estimated_wait_minutes: int


def position(ticket: Ticket) -> Position:
    """People who will be called before this ticket by the windows serving its item.

    An estimate: transferred tickets go first; a priority ticket waits behind earlier priority tickets,
    a normal one behind every earlier ticket (the lanes alternate).
    """
    if ticket.status != Status.WAITING:
        return Position(0, 0)
    candidates = waiting(ticket.hall, ticket.business_date).exclude(pk=ticket.pk)
    if ticket.target_window_id:
        candidates = candidates.filter(target_window_id=ticket.target_window_id)
    else:
        candidates = candidates.filter(item__windows__in=ticket.item.windows.filter(hall=ticket.hall)).distinct()
    before_me = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)
    if ticket.front:
        earlier = Q(front=True) & before_me
    elif ticket.is_priority:
        earlier = Q(front=True) | (~Q(priority="") & before_me)
    else:
        earlier = Q(front=True) | before_me
    ahead = candidates.filter(earlier).count()
    minutes = rules.estimated_wait_minutes(
        ahead, ticket.item.handling_minutes, windows_serving(ticket.item, ticket.hall)
    )
    return Position(ahead, minutes)


def waiting_counts(hall: Hall, business_date: date) -> list[dict]:
    """Waiting tickets per item, with the item's category (for the display and the API)."""
    rows = (
        waiting(hall, business_date)
        .values("item__code", "item__name", "item__category__ticket_prefix", "item__category__name")
        .annotate(waiting=Count("id"))
        .order_by("item__category__ticket_prefix", "item__code")
    )
    return [
        {
            "item": r["item__code"],
            "name": r["item__name"],
            "prefix": r["item__category__ticket_prefix"],
            "category": r["item__category__name"],
            "waiting": r["waiting"],
        }
        for r in rows
    ]


def waiting_by_category(hall: Hall, business_date: date) -> list[dict]:
    totals: dict[str, dict] = {}
    for row in waiting_counts(hall, business_date):
        entry = totals.setdefault(row["prefix"], {"prefix": row["prefix"], "category": row["category"], "waiting": 0})
        entry["waiting"] += row["waiting"]
    return list(totals.values())


def recent_calls(hall: Hall, business_date: date, after_id: int = 0, limit: int = 8) -> list[TicketEvent]:
    """Calls and recalls for the hall display, newest first."""
    return list(
        TicketEvent.objects.filter(
            ticket__hall=hall,
            ticket__business_date=business_date,
            kind__in=[Event.CALLED, Event.RECALLED],
            id__gt=after_id,
        )
        .select_related("ticket", "window")
        .order_by("-id")[:limit]
    )


def recent_priority_calls(window: Window, limit: int) -> list[bool]:
    """Whether each of the window's last calls (newest first) was a priority ticket."""
    priorities = (
        TicketEvent.objects.filter(window=window, kind=Event.CALLED)
        .order_by("-at", "-id")
        .values_list("ticket__priority", flat=True)[:limit]
    )
    return [bool(p) for p in priorities]


def holders_of(windows) -> dict[int, Duty]:
    """The open duty of each of these windows that someone holds, by window id."""
    return {d.window_id: d for d in Duty.objects.open().filter(window__in=windows).select_related("user")}
