from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from weimin.accounts.auth import BearerToken, optional_staff
from weimin.accounts.permissions import Action, may
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted
from weimin.core.limits import client_address
from weimin.core.prepared import PreparedQuery
from weimin.core.text import Day, Id, Text
from weimin.core.visitors import visitor_token
from weimin.halls import reference
from weimin.halls.lookups import hall_or_404, item_or_404, known_window_or_404, window_or_404
from weimin.shifts.models import Duty
from weimin.tickets import actions, appointments, queue
from weimin.tickets.limits import BookingsPerAddress, RemoteTicketsPerAddress, TicketsPerAddress
from weimin.tickets.models import Appointment, Ticket
from weimin.tickets.schemas import (
    AppointmentBookedOut,
    AppointmentIn,
    AppointmentOut,
    QueueOut,
    RemoteTicketIn,
    SlotOut,
    TicketIn,
    TicketIssuedOut,
    TicketOut,
    TransferIn,
    VisitorSecretIn,
    WindowOut,
)

router = Router(tags=["queue"])
staff = BearerToken()


_TICKET = PreparedQuery(lambda ticket_id: Ticket.objects.filter(pk=ticket_id), ticket_id=Ticket._meta.pk)


def ticket_or_404(ticket_id: int) -> Ticket:
    found = _TICKET.objects(ticket_id=ticket_id)
    if not found:
        raise Http404(_("No ticket with id %(id)s.") % {"id": ticket_id})
    return found[0]


def ticket_out(ticket: Ticket, *, just_issued: bool = False) -> dict:
    where = queue.position(ticket, just_issued=just_issued)
    # Hall, item and window come from the per-process reference cache: no joins on the hot path.
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "hall": reference.halls_by_id()[ticket.hall_id].code,
        "item": reference.items_by_id()[ticket.item_id].code,
        "status": ticket.status,
        "priority": ticket.priority,
        "ahead": where.ahead,
        "estimated_wait_minutes": where.estimated_wait_minutes,
        "window": reference.window_numbers().get(ticket.window_id),
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
    }


def issued_out(issued: actions.IssuedTicket) -> dict:
    """A ticket just issued, with the visitor's token and page (shown once)."""
    return {**ticket_out(issued.ticket, just_issued=True), "token": issued.token, "url": f"/t/{issued.token}/"}


def visitor_or_staff(request, ticket_or_appointment, hall, token: str | None, action: Action = Action.TICKET_READ):
    """A visitor's token opens only its own record; staff whose standing allows ``action`` (docs/permissions.md)
    act on the visitor's behalf."""
    user = optional_staff(request)
    if user is not None and may(user, action, hall):
        return
    if not ticket_or_appointment.token_matches(token or ""):
        raise NotPermitted(_("The token does not open this record."), field="token")


@router.post("/halls/{code}/tickets", response={201: TicketIssuedOut}, throttle=[TicketsPerAddress()])
def take_ticket(request, code: Text(40), payload: TicketIn):
    """取号: a visitor takes a number for an item (the kiosk and phones use this)."""
    hall = hall_or_404(code)
    item = item_or_404(payload.item) if payload.item else None
    if item is None:
        raise InvalidInput(_("Choose an item."), field="item")
    issued = actions.issue_ticket(
        hall,
        item,
        clock.now(),
        id_number=payload.id_number or "",
        phone=payload.phone or "",
        priority=payload.priority or "",
        source="api",
    )
    return Status(201, issued_out(issued))


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_ticket(request, ticket_id: Id()):
    """The ticket: its visitor (the token in the X-Visitor-Token header) or staff of the hall."""
    ticket = ticket_or_404(ticket_id)
    visitor_or_staff(request, ticket, reference.halls_by_id()[ticket.hall_id], visitor_token(request))
    return ticket_out(ticket)


@router.post("/tickets/{ticket_id}/cancel", response=TicketOut)
def cancel_ticket(request, ticket_id: Id(), payload: VisitorSecretIn = None):
    """The visitor gives up the number (the token in the X-Visitor-Token header or the body)."""
    token = visitor_token(request, payload.token if payload else "")
    ticket = ticket_or_404(ticket_id)
    hall = reference.halls_by_id()[ticket.hall_id]
    visitor_or_staff(request, ticket, hall, token, Action.TICKET_CANCEL_FOR_VISITOR)
    return ticket_out(actions.cancel_ticket(ticket, clock.now()))


@router.post("/windows/{window_id}/call-next", response={200: TicketOut, 204: None}, auth=staff)
def call_next(request, window_id: Id()):
    """叫号: the next visitor for this window, or 204 when nobody waits."""
    ticket = actions.call_next(request.auth, known_window_or_404(window_id), clock.now())
    return Status(200, ticket_out(ticket)) if ticket else Status(204, None)


@router.post("/tickets/{ticket_id}/transfer", response=TicketOut, auth=staff)
def transfer(request, ticket_id: Id(), payload: TransferIn):
    """Send the visitor to another item or window, to the front, keeping issue time and priority."""
    item = item_or_404(payload.item) if payload.item else None
    window = window_or_404(payload.window) if payload.window else None
    return ticket_out(actions.transfer(request.auth, ticket_or_404(ticket_id), clock.now(), item=item, window=window))


def _staff_ticket_route(name: str, action) -> None:
    """One explicit path per action (no catch-all ``{action}``), so no router's order matters."""

    def act(request, ticket_id: Id()):
        # Each of these actions reads the ticket itself, locked (``actions._locked``): given only its id, a
        # clerk's key costs no read before that one.
        try:
            return ticket_out(action(request.auth, Ticket(pk=ticket_id), clock.now()))
        except Ticket.DoesNotExist:
            raise Http404(_("No ticket with id %(id)s.") % {"id": ticket_id}) from None

    act.__doc__ = action.__doc__
    router.post(
        f"/tickets/{{ticket_id}}/{name}",
        response=TicketOut,
        auth=staff,
        operation_id=f"ticket_{name.replace('-', '_')}",
        url_name=f"ticket-{name}",
    )(act)


for _name, _action in actions.STAFF_TICKET_ACTIONS.items():
    _staff_ticket_route(_name, _action)


@router.get("/halls/{code}/queue", response=QueueOut)
def hall_queue(request, code: Text(40)):
    """Waiting tickets per item today."""
    hall = hall_or_404(code)
    today = hall.local_date(clock.now())
    items = queue.waiting_counts(hall, today)
    return {"date": today, "waiting": sum(i["waiting"] for i in items), "items": items}


@router.get("/halls/{code}/windows", response=list[WindowOut])
def hall_windows(request, code: Text(40)):
    """The hall's windows and whether each is staffed; who holds it only for the hall's staff."""
    hall = hall_or_404(code)
    holders = {window_id: d.user.get_username() for window_id, d in Duty.objects.holders_of(hall.windows.all()).items()}
    viewer = optional_staff(request) or request.user
    names_shown = may(viewer, Action.TICKET_READ, hall)
    return [
        {
            "id": w.pk,
            "number": w.number,
            "label": w.label,
            "active": w.active,
            "items": [i.code for i in w.items.all()],
            "staffed": w.pk in holders,
            "on_duty": holders.get(w.pk) if names_shown else None,
        }
        for w in hall.windows.prefetch_related("items")
    ]


@router.get("/halls/{code}/appointment-slots", response=list[SlotOut])
def appointment_slots(request, code: Text(40), item: Text(40), day: Day() = Query(..., alias="date")):
    hall, service_item = hall_or_404(code), item_or_404(item)
    found = appointments.slots(hall, service_item, day, clock.now())
    return [{"start": s.start, "end": s.end, "capacity": s.capacity, "free": s.free} for s in found]


def appointment_or_404(reference: str) -> Appointment:
    appointment = Appointment.objects.select_related("hall", "item").filter(reference=reference).first()
    if appointment is None:
        raise Http404(_("No appointment %(reference)s.") % {"reference": reference})
    return appointment


def appointment_out(appointment: Appointment) -> dict:
    return {
        "reference": appointment.reference,
        "kind": appointment.kind,
        "hall": appointment.hall.code,
        "item": appointment.item.code,
        "slot_start": appointment.slot_start,
        "slot_end": appointment.slot_end,
        "status": appointment.status,
        "ticket": appointment.ticket_id,
    }


@router.post("/halls/{code}/appointments", response={201: AppointmentBookedOut}, throttle=[BookingsPerAddress()])
def book_appointment(request, code: Text(40), payload: AppointmentIn):
    """预约: book a slot with name, ID number and phone."""
    booking = actions.book_appointment(
        hall_or_404(code),
        item_or_404(payload.item),
        payload.slot_start,
        clock.now(),
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
    )
    return Status(201, {**appointment_out(booking.appointment), "token": booking.token})


@router.post("/halls/{code}/remote-tickets", response={201: AppointmentBookedOut}, throttle=[RemoteTicketsPerAddress()])
def take_remote_ticket(request, code: Text(40), payload: RemoteTicketIn):
    """远程取号: today's number on the phone, where the hall allows it (409 elsewhere). Not in the queue
    until checked in at the kiosk (or ``POST /appointments/{reference}/check-in`` with the token): then
    a normal ticket queued from that instant. Lapses at the day's ticket cut-off."""
    taken = actions.take_remote_ticket(
        hall_or_404(code), item_or_404(payload.item), clock.now(), id_number=payload.id_number, phone=payload.phone
    )
    return Status(201, {**appointment_out(taken.appointment), "token": taken.token})


def appointment_for(request, reference: str, action: Action, *, token: str = "", id_number: str = "") -> Appointment:
    """Staff whose standing allows ``action``, or the visitor with the booking's token (X-Visitor-Token
    header or body) or, to check in, the applicant's whole ID number (body). An unknown reference and a
    wrong secret get the same 404; failures are limited (appointments.appointment_for_visitor)."""
    user = optional_staff(request)
    if user is not None:
        found = Appointment.objects.select_related("hall", "item").filter(reference=reference).first()
        if found is not None and may(user, action, found.hall):
            return found
    return appointments.appointment_for_visitor(
        reference, token=visitor_token(request, token), id_number=id_number, address=client_address(request),
        now=clock.now(),
    )  # fmt: skip


@router.get("/appointments/{reference}", response=AppointmentOut)
def get_appointment(request, reference: Text(16)):
    """The booking: its visitor (the token in the X-Visitor-Token header) or staff of the hall."""
    return appointment_out(appointment_for(request, reference, Action.TICKET_READ))


@router.post("/appointments/{reference}/cancel", response=AppointmentOut)
def cancel_appointment(request, reference: Text(16), payload: VisitorSecretIn = None):
    token = payload.token if payload else ""
    appointment = appointment_for(request, reference, Action.APPOINTMENT_FOR_VISITOR, token=token)
    return appointment_out(actions.cancel_appointment(appointment, clock.now()))


@router.post("/appointments/{reference}/check-in", response={201: TicketIssuedOut})
def check_in(request, reference: Text(16), payload: VisitorSecretIn = None):
    """Arrival at the hall: the appointment becomes a priority ticket. The reference alone opens
    nothing: the booking's token (its link's QR code) or the applicant's whole ID number with it."""
    secret = payload or VisitorSecretIn()
    appointment = appointment_for(
        request, reference, Action.APPOINTMENT_FOR_VISITOR, token=secret.token, id_number=secret.id_number
    )
    issued = actions.check_in_appointment(appointment, clock.now())
    return Status(201, issued_out(issued))
