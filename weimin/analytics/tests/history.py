"""Hand-made history for the analytics tests: served tickets built in bulk with the tickets app's own
constructor (as ``demo.simulation`` does), windows held through ``shifts.actions``."""

from datetime import datetime, timedelta
from itertools import count

from weimin.conftest import local
from weimin.shifts.actions import sign_in, sign_out
from weimin.tickets.choices import TicketSource
from weimin.tickets.models import Ticket, TicketEvent, issued_event, new_ticket, secret_hash
from weimin.tickets.rules import Event, Status

_sequence = count(1)


def served(hall, item, window, clerk, day: str, times: list[str], *, service_minutes: float, wait_minutes: float = 1):
    """Tickets of ``item`` issued on ``day`` ('2017-12-09') at each hall-local ``times`` ('09:00'), each
    called at ``window`` after ``wait_minutes`` and completed ``service_minutes`` later."""
    rows = []
    for at in times:
        issued = local(f"{day} {at}")
        called = issued + timedelta(minutes=wait_minutes)
        sequence = next(_sequence)
        ticket = new_ticket(
            hall, issued.date(), item, sequence, issued,
            token_hash=secret_hash(f"test-{hall.pk}-{sequence}"), source=TicketSource.SIMULATION,
        )  # fmt: skip
        ticket.status, ticket.called_by, ticket.called_at = Status.COMPLETED, clerk, called
        rows.append((ticket, called))
    Ticket.objects.bulk_create([ticket for ticket, _ in rows])
    events = []
    for ticket, called in rows:
        events.append(issued_event(ticket))
        done = called + timedelta(minutes=service_minutes)
        for kind, at in ((Event.CALLED, called), (Event.SERVING, called), (Event.COMPLETED, done)):
            events.append(
                TicketEvent(
                    ticket=ticket,
                    hall=hall,
                    business_date=ticket.business_date,
                    kind=kind,
                    at=at,
                    window=window,
                    actor=clerk,
                )  # fmt: skip
            )
    TicketEvent.objects.bulk_create(sorted(events, key=lambda e: e.at))


def every(start: str, minutes: int, n: int) -> list[str]:
    """``n`` times from ``start`` ('09:00'), ``minutes`` apart."""
    first = datetime.strptime(start, "%H:%M")
    return [f"{first + timedelta(minutes=minutes * k):%H:%M}" for k in range(n)]


def hold(clerk, window, day: str, *spans: tuple[str, str]) -> None:
    """``clerk`` holds ``window`` on ``day`` over each (from, to) span."""
    for start, end in spans:
        sign_in(clerk, window, local(f"{day} {start}"))
        sign_out(clerk, window, local(f"{day} {end}"))
