"""Queue invariants, checked from the tables alone (the event log is the source of truth)."""

from collections import defaultdict

from django.db.models import Count

from weimin.core import clock
from weimin.core.integrity import replay_problems
from weimin.tickets import rules
from weimin.tickets.models import Ticket, TicketEvent


def problems():
    yield from duplicate_numbers()
    yield from event_sequences()
    yield from windows_holding_two_tickets()
    yield from called_tickets_accounted_for()


def duplicate_numbers():
    duplicates = Ticket.objects.values("hall__code", "business_date", "number").annotate(n=Count("id")).filter(n__gt=1)
    for d in duplicates:
        yield {
            "check": "ticket_number_unique",
            "detail": f"{d['hall__code']} {d['business_date']} {d['number']} issued {d['n']} times",
        }


def event_sequences():
    """Replaying each ticket's events through the life cycle is legal and ends in its status."""
    events = defaultdict(list)
    for ticket_id, kind in TicketEvent.objects.order_by("ticket_id", "at", "id").values_list("ticket_id", "kind"):
        events[ticket_id].append(rules.Event(kind))
    tickets = Ticket.objects.values_list("id", "number", "status")
    yield from replay_problems("ticket_event_sequence", "ticket", tickets, events, rules.replay)


def windows_holding_two_tickets():
    held = (
        Ticket.objects.filter(status__in=rules.AT_WINDOW_STATUSES)
        .values("window_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for h in held:
        yield {"check": "one_ticket_per_window", "detail": f"window {h['window_id']} holds {h['n']} tickets"}


def called_tickets_accounted_for():
    """A ticket at a window was called there; a past day's tickets left open are overdue work (one
    entry per hall and day), until `weimin close-day` runs."""
    now = clock.now()
    left_open = defaultdict(int)
    for ticket in Ticket.objects.filter(status__in=rules.OPEN_STATUSES).select_related("hall", "window"):
        if ticket.status in rules.AT_WINDOW_STATUSES:
            last_call = (
                TicketEvent.objects.filter(ticket=ticket, kind=rules.Event.CALLED).order_by("-at", "-id").first()
            )
            if ticket.window is None or last_call is None or last_call.window_id != ticket.window_id:
                yield {
                    "check": "called_ticket_accounted_for",
                    "ticket": ticket.pk,
                    "detail": f"{ticket.number} is {ticket.status} but not at the window that called it",
                }
        if ticket.business_date < ticket.hall.local_date(now):
            left_open[ticket.hall.code, ticket.business_date] += 1
    for (hall, day), count in sorted(left_open.items()):
        yield {
            "check": "past_day_closed",
            "overdue": True,
            "detail": f"{hall} {day}: {count} tickets still open (weimin close-day has not run since)",
        }
