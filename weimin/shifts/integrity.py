"""The ownership invariant: every open ticket and case has exactly one owner who is present, or sits in a queue."""

from weimin.cases.models import Case
from weimin.cases.rules import HELD_STATUSES
from weimin.shifts.models import Duty
from weimin.tickets.models import Ticket
from weimin.tickets.rules import AT_WINDOW_STATUSES, Status


def problems():
    held_windows = set(Duty.objects.open().values_list("window_id", flat=True))
    present = set(Duty.objects.open().values_list("user_id", "window__hall_id"))
    for ticket in Ticket.objects.filter(status__in=AT_WINDOW_STATUSES).exclude(window_id__in=held_windows):
        yield {
            "check": "owner_present",
            "ticket": ticket.pk,
            "detail": f"{ticket.number} is at window {ticket.window_id}, which nobody holds",
        }
    stranded = Ticket.objects.filter(status=Status.WAITING, target_window__isnull=False).exclude(
        target_window_id__in=held_windows
    )
    for ticket in stranded:
        yield {
            "check": "owner_present",
            "ticket": ticket.pk,
            "detail": f"{ticket.number} waits for window {ticket.target_window_id}, which nobody holds",
        }
    for case in Case.objects.filter(status__in=HELD_STATUSES, clerk__isnull=False):
        if (case.clerk_id, case.hall_id) not in present:
            yield {
                "check": "owner_present",
                "case": case.number,
                "detail": f"case {case.number} is owned by user {case.clerk_id}, who is not on duty",
            }
