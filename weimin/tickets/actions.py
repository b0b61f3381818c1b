"""Every change to the queue: one transactional function each, used by the API and the pages.

Each reads no clock of its own: the caller passes ``now`` (weimin.core.clock.now(), read once).
Every change goes through ``_record``, which checks the life cycle (rules.TRANSITIONS) and writes the
event row that statistics are computed from.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, authorize, may
from weimin.core.db import serialize_on, skip_locked
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.core.inputs import phone_number, resident_id
from weimin.core.prepared import PreparedQuery, RowsAhead, save_row
from weimin.halls import reference
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.shifts.models import Duty
from weimin.tickets import appointments, changes, queue, rules
from weimin.tickets.choices import EVENT_LABELS, AppointmentKind, AppointmentStatus, Priority, TicketSource
from weimin.tickets.models import (
    Appointment,
    Ticket,
    TicketCounter,
    TicketEvent,
    issued_event,
    new_ticket,
    secret_hash,
)
from weimin.tickets.rules import Event, IllegalTransition, Status

VISITOR_PRIORITIES = {Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT}


@dataclass(frozen=True)
class IssuedTicket:
    ticket: Ticket
    token: str  # shown once: the visitor's key to their ticket page


def _record(
    ticket: Ticket,
    event: Event,
    now: datetime,
    actor=None,
    window: Window | None = None,
    listed_before: tuple[int, int | None] | None = None,
    **detail,
) -> TicketEvent:
    """The ticket's ``event``, recorded and announced. ``listed_before``: the (item, window) the ticket
    waited for before this change, when the change moved it from one to another (a transfer)."""
    before = Status(ticket.status)
    try:
        ticket.status = rules.after(before, event)
    except IllegalTransition as exc:
        raise Refused(
            _("Ticket %(number)s is %(status)s: it cannot be %(event)s.")
            % {"number": ticket.number, "status": ticket.get_status_display(), "event": EVENT_LABELS[event]},
            field="transition",
        ) from exc
    recorded = TicketEvent(
        ticket=ticket,
        hall_id=ticket.hall_id,
        business_date=ticket.business_date,
        kind=event,
        at=now,
        actor=actor,
        window=window,
        detail=detail,
    )
    window_number = window.number if window is not None else None
    # ``moved``: the ticket joined or left the waiting, so other windows' queues changed (a console shows them);
    # ``windows``: whose (the other consoles leave the news alone).
    moved = Status.WAITING in (before, ticket.status)
    about = {"ticket": ticket.pk, "number": ticket.number, "window": window_number, "moved": moved,
             "queued": queue.entry(ticket)}  # fmt: skip
    if moved:
        about["windows"] = queue.windows_listing(
            ticket.hall_id, (ticket.item_id, ticket.target_window_id), listed_before
        )
    announce(ticket.hall_id, event, saving=(ticket, recorded), **about)
    return recorded


def announce(hall_id: int, kind: str, *, saving: tuple = (), **about) -> int:
    """Tell the hall's displays, ticket pages, consoles and pads that what they show changed (the hall
    change feed, ``tickets.changes``): every ticket change goes through ``_record``, naming the ``ticket``
    and telling its place in the queue (``queued``: each process's queue snapshot moves it without a
    query, ``queue.snapshot``); other apps' actions
    call it in their own transaction for theirs (a rating given, a window signed into or out of), which
    change no ticket. The rows ``saving`` (the ticket and its event) are saved with the hall's version: on
    PostgreSQL in one statement. Delivered on commit only. Returns the hall's new version."""
    return changes.bump(hall_id, {"kind": kind, **about}, RowsAhead(*saving) if saving else None)


def _next_ticket_number(hall: Hall, business_date, prefix: str) -> int:
    """One atomic statement on both databases: concurrent issuing never shares a number."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (hall_id, business_date, prefix, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (hall_id, business_date, prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [hall.pk, business_date, prefix],
        )
        return cursor.fetchone()[0]


def _closed_refusal(calendar: HallCalendar, now: datetime, reason: str) -> Refused:
    upcoming = calendar.next_opening(now)
    if upcoming is None:
        return Refused(reason)
    when = timezone.localtime(upcoming.start, calendar.hall.tz)
    return Refused(
        _("%(reason)s The hall next opens %(when)s.") % {"reason": reason, "when": f"{when:%Y-%m-%d %H:%M}"},
        next_opening=when.isoformat(),
    )


def check_taking_tickets(hall: Hall, now: datetime, *, honour_cutoff: bool = True) -> HallCalendar:
    """Refuse unless the hall issues tickets at ``now``; the refusal says when it next opens."""
    calendar = HallCalendar(hall)
    day = calendar.day(calendar.hall.local_date(now))
    current = day.session_at(now)
    if current is not None and (not honour_cutoff or current.accepts_tickets_at(now)):
        return calendar
    if current is not None:
        reason = _("No more tickets today after %(cutoff)s (the hall closes at %(end)s).") % {
            "cutoff": f"{timezone.localtime(current.last_ticket, calendar.hall.tz):%H:%M}",
            "end": f"{timezone.localtime(current.end, calendar.hall.tz):%H:%M}",
        }
    elif not day.open and day.note:
        reason = _("The hall is closed today: %(note)s.") % {"note": day.note}
    else:
        reason = _("The hall is not open now.")
    raise _closed_refusal(calendar, now, reason)


def _validate_priority(priority: str) -> str:
    if priority and priority not in VISITOR_PRIORITIES:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(VISITOR_PRIORITIES))}, field="priority"
        )
    return priority


def _offered_item(hall: Hall, item: ServiceItem) -> ServiceItem:
    if not item.active or item.pk not in reference.topology(hall.pk).windows_of_item:
        raise InvalidInput(_("%(item)s is not handled at %(hall)s.") % {"item": item, "hall": hall}, field="item")
    return item


@transaction.atomic
def issue_ticket(
    hall: Hall,
    item: ServiceItem,
    now: datetime,
    *,
    id_number: str = "",
    phone: str = "",
    priority: str = "",
    source: str = TicketSource.KIOSK,
    actor=None,
    lane: str = "",
    target_window: Window | None = None,
) -> IssuedTicket:
    """Take a number (取号). Real name optional; an ID number limits tickets per person and day.

    ``lane`` is for weimin's own priority lanes (an appointment's check-in, a case's fast lane back to
    the clerk who asked for supplements): honoured after the walk-in cut-off and outside the limit.
    """
    _offered_item(hall, item)
    priority = lane or _validate_priority(priority)
    phone = phone_number(phone)
    calendar = check_taking_tickets(hall, now, honour_cutoff=not lane)
    business_date = calendar.hall.local_date(now)
    id_hash = id_masked = ""
    if id_number:
        person = resident_id(id_number, business_date)
        id_hash, id_masked = secret_hash(person.number), person.masked
        if not priority and person.age_on(business_date) >= settings.WEIMIN_ELDERLY_AGE:
            priority = Priority.ELDERLY
        serialize_on(f"tickets-per-person:{hall.pk}:{business_date}:{id_hash}")
        taken = Ticket.objects.filter(hall=hall, business_date=business_date, id_hash=id_hash).count()
        if taken >= settings.WEIMIN_TICKETS_PER_PERSON_PER_DAY and not lane:
            raise Refused(
                _("This ID number already has %(n)s tickets at this hall today, the most allowed.") % {"n": taken},
                field="id_number",
            )
    prefix = item.category.ticket_prefix
    sequence = _next_ticket_number(hall, business_date, prefix)
    token = secrets.token_urlsafe(18)
    ticket = new_ticket(
        hall,
        business_date,
        item,
        sequence,
        now,
        token_hash=secret_hash(token),
        priority=priority,
        source=source,
        id_hash=id_hash,
        id_masked=id_masked,
        phone=phone,
        target_window=target_window,
    )
    save_row(ticket)  # its id goes in the news: saved first
    announce(
        hall.pk,
        Event.ISSUED,
        saving=(issued_event(ticket, actor=actor),),
        ticket=ticket.pk,
        number=ticket.number,
        moved=True,
        windows=queue.windows_listing(hall.pk, (ticket.item_id, ticket.target_window_id)),
        queued=queue.entry(ticket),
    )
    return IssuedTicket(ticket, token)


def _not_held(window: Window) -> Refused:
    return Refused(_("Sign in to window %(n)s first.") % {"n": window.number}, field="window")


def _holding(user, window: Window) -> None:
    if not Duty.objects.holds(user, window):
        raise _not_held(window)


_LOCKED = PreparedQuery(
    lambda ticket_id: Ticket.objects.select_for_update(of=("self",)).filter(pk=ticket_id), ticket_id=Ticket._meta.pk
)


def _locked(ticket: Ticket) -> Ticket:
    """The ticket as it is now, locked until commit, with its hall, item and windows (reference data)."""
    found = _LOCKED.objects(ticket_id=ticket.pk)
    if not found:
        raise Ticket.DoesNotExist(f"ticket {ticket.pk}")
    return queue.with_reference(found[0])


def _at_my_window(user, ticket: Ticket) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status not in rules.AT_WINDOW_STATUSES or ticket.window is None:
        raise Refused(
            _("Ticket %(number)s is not at a window (it is %(status)s).")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            field="transition",
        )
    if not may(user, Action.TICKET_SERVE, ticket.hall, at_window=Duty.objects.holds(user, ticket.window)):
        raise NotPermitted(
            _("Ticket %(number)s is at window %(n)s, which you do not hold.")
            % {"number": ticket.number, "n": ticket.window.number}
        )
    return ticket


def _next_for_window(hall_id, window_id, business_date, prefer_priority: bool):
    """One query: transferred tickets first, then the preferred lane, each in queue order; locked."""
    preferred_lane = Case(
        When(priority="", then=Value(0 if prefer_priority else 1)), default=Value(1 if prefer_priority else 0)
    )
    candidates = queue.waiting_for(hall_id, window_id, business_date)
    return skip_locked(candidates.order_by("-front", preferred_lane.desc(), "queued_at", "id"))[:1]


_NEXT_FOR_WINDOW = PreparedQuery(
    _next_for_window,
    hall_id=Ticket._meta.get_field("hall"),
    window_id=Ticket._meta.get_field("window"),
    business_date=Ticket._meta.get_field("business_date"),
)


@transaction.atomic
def call_next(user, window: Window, now: datetime) -> Ticket | None:
    """叫号: the next ticket for this window, exactly once however many windows call at once.

    Order: tickets transferred to the front; then the priority or the normal lane by fair
    alternation; in each, the earliest queued. PostgreSQL: rows locked with SKIP LOCKED, so a
    ticket another window is taking is passed over; SQLite: the transaction is BEGIN IMMEDIATE.
    """
    standing = queue.calling_standing(user, window, settings.WEIMIN_MAX_PRIORITY_IN_ROW)
    if not standing.held:
        raise _not_held(window)
    authorize(user, Action.TICKET_CALL, window.hall, at_window=True)
    if standing.number_at_window is not None:
        raise Refused(
            _("Window %(n)s still has %(number)s: complete it, mark it no-show or transfer it first.")
            % {"n": window.number, "number": standing.number_at_window},
            field="window",
        )
    prefer_priority = rules.take_priority_next(standing.recent_priorities, settings.WEIMIN_MAX_PRIORITY_IN_ROW)
    found = _NEXT_FOR_WINDOW.objects(
        hall_id=window.hall_id,
        window_id=window.pk,
        business_date=window.hall.local_date(now),
        shape={"prefer_priority": prefer_priority},
    )
    if not found:
        return None
    ticket = found[0]
    ticket.hall, ticket.item = window.hall, reference.items_by_id()[ticket.item_id]
    ticket.window, ticket.called_by, ticket.called_at = window, user, now
    ticket.recalls, ticket.front, ticket.target_window = 0, False, None
    _record(ticket, Event.CALLED, now, actor=user, window=window)
    return ticket


@transaction.atomic
def recall(user, ticket: Ticket, now: datetime) -> Ticket:
    """Call the same ticket again; past the recall limit it becomes a no-show."""
    ticket = _at_my_window(user, ticket)
    if ticket.status != Status.CALLED:
        raise Refused(_("Ticket %(number)s is already being served.") % {"number": ticket.number}, field="transition")
    if ticket.recalls >= settings.WEIMIN_MAX_RECALLS:
        return _no_show(user, ticket, now, reason="recall_limit")
    ticket.recalls += 1
    _record(ticket, Event.RECALLED, now, actor=user, window=ticket.window, recall=ticket.recalls)
    return ticket


@transaction.atomic
def start_serving(user, ticket: Ticket, now: datetime) -> Ticket:
    """The visitor has come to the window."""
    ticket = _at_my_window(user, ticket)
    _record(ticket, Event.SERVING, now, actor=user, window=ticket.window)
    return ticket


@transaction.atomic
def complete(user, ticket: Ticket, now: datetime) -> Ticket:
    ticket = _at_my_window(user, ticket)
    window = ticket.window
    ticket.window = None
    _record(ticket, Event.COMPLETED, now, actor=user, window=window)
    return ticket


@transaction.atomic
def mark_no_show(user, ticket: Ticket, now: datetime) -> Ticket:
    return _no_show(user, _at_my_window(user, ticket), now, reason="staff")


def _no_show(user, ticket: Ticket, now: datetime, reason: str) -> Ticket:
    window = ticket.window
    ticket.window = None
    _record(ticket, Event.NO_SHOW, now, actor=user, window=window, reason=reason)
    return ticket


@transaction.atomic
def rejoin(user, ticket: Ticket, now: datetime) -> Ticket:
    """A no-show who comes back the same day rejoins with the same number, at the back of the queue."""
    ticket = _locked(ticket)
    authorize(user, Action.TICKET_REJOIN, ticket.hall)
    if ticket.business_date != ticket.hall.local_date(now):
        raise Refused(
            _("Ticket %(number)s was for another day: take a new number.") % {"number": ticket.number},
            field="transition",
        )
    check_taking_tickets(ticket.hall, now, honour_cutoff=False)
    ticket.queued_at = now
    _record(ticket, Event.REJOINED, now, actor=user)
    return ticket


@transaction.atomic
def transfer(
    user, ticket: Ticket, now: datetime, *, item: ServiceItem | None = None, window: Window | None = None
) -> Ticket:
    """Send the visitor to another item or window: to the front, keeping issue time and priority."""
    if item is None and window is None:
        raise InvalidInput(_("Name the item or the window to transfer to."), field="item")
    ticket = _locked(ticket)
    if ticket.status in rules.AT_WINDOW_STATUSES:
        ticket = _at_my_window(user, ticket)
    else:  # a waiting ticket: sent to the user's own window, or moved by the hall's manager
        sent_to_me = ticket.target_window is not None and Duty.objects.holds(user, ticket.target_window)
        authorize(user, Action.TICKET_TRANSFER_WAITING, ticket.hall, at_window=sent_to_me)
    if window is not None and (window.hall_id != ticket.hall_id or not window.active):
        raise InvalidInput(_("Window %(n)s is not an open window of this hall.") % {"n": window.number}, field="window")
    if item is not None:
        _offered_item(ticket.hall, item)
    target_item = item or ticket.item
    if window is not None and not window.items.filter(pk=target_item.pk).exists():
        raise InvalidInput(
            _("Window %(n)s does not handle %(item)s.") % {"n": window.number, "item": target_item}, field="window"
        )
    detail = {
        "from_item": ticket.item.code,
        "to_item": target_item.code,
        "to_window": window.number if window else None,
    }
    from_window = ticket.window
    waited_for = (ticket.item_id, ticket.target_window_id) if ticket.status == Status.WAITING else None
    ticket.item, ticket.target_window, ticket.front, ticket.window = target_item, window, True, None
    _record(ticket, Event.TRANSFERRED, now, actor=user, window=from_window, listed_before=waited_for, **detail)
    return ticket


@transaction.atomic
def cancel_ticket(ticket: Ticket, now: datetime) -> Ticket:
    """The visitor gives up their number (from their ticket page)."""
    ticket = _locked(ticket)
    _record(ticket, Event.CANCELLED, now)
    return ticket


# A clerk's actions on one ticket, by the name the console's buttons and the API's paths use. Each reads
# the ticket it is given afresh, locked, before anything else: the API gives only its id (``Ticket(pk=…)``).
STAFF_TICKET_ACTIONS = {
    "recall": recall,
    "serving": start_serving,
    "complete": complete,
    "no-show": mark_no_show,
    "rejoin": rejoin,
}
# Those the console applies to the ticket at its window (rejoin acts on a no-show, which is at none).
AT_WINDOW_ACTIONS = ("recall", "serving", "complete", "no-show")


# --- appointments (预约办理) ---


def _reference(now: datetime) -> str:
    return f"Y{timezone.localtime(now):%m%d}" + secrets.token_hex(3).upper()


@dataclass(frozen=True)
class Booking:
    appointment: Appointment
    token: str


@transaction.atomic
def book_appointment(
    hall: Hall, item: ServiceItem, slot_start: datetime, now: datetime, *, name: str, id_number: str, phone: str
) -> Booking:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Enter the applicant's name."), field="name")
    if not (phone or "").strip():
        raise InvalidInput(_("Enter a phone number to reach the applicant."), field="phone")
    phone = phone_number(phone)
    person = resident_id(id_number, hall.local_date(now))
    if not item.appointment_allowed:
        raise InvalidInput(_("%(item)s cannot be booked.") % {"item": item}, field="item")
    _offered_item(hall, item)
    if slot_start.tzinfo is None:
        raise InvalidInput(_("Give the slot with its time zone, e.g. 2017-12-08T18:30:00+08:00."), field="slot_start")
    day = hall.local_date(slot_start)
    if day > hall.local_date(now) + timedelta(days=settings.WEIMIN_APPOINTMENT_BOOKING_DAYS):
        raise Refused(
            _("Bookings open %(n)s days ahead.") % {"n": settings.WEIMIN_APPOINTMENT_BOOKING_DAYS}, field="slot_start"
        )
    serialize_on(f"appointment-slot:{hall.pk}:{item.pk}:{slot_start.isoformat()}")
    offered = {s.start: s for s in appointments.slots(hall, item, day, now)}
    slot = offered.get(slot_start)
    if slot is None:
        raise InvalidInput(_("No bookable slot starts at that time."), field="slot_start")
    if not slot.free:
        raise Refused(_("That slot is fully booked: choose another."), field="slot_start")
    id_hash = secret_hash(person.number)
    if Appointment.objects.filter(
        item=item, kind=AppointmentKind.SLOT, id_hash=id_hash, status=AppointmentStatus.BOOKED, slot_start__gte=now
    ).exists():
        raise Refused(_("This ID number already has a booking for this item."), field="id_number")
    serialize_on(f"appointments-per-person:{hall.pk}:{id_hash}")
    held = Appointment.objects.filter(
        hall=hall, kind=AppointmentKind.SLOT, id_hash=id_hash, status=AppointmentStatus.BOOKED, slot_start__gte=now
    ).count()
    if held >= settings.WEIMIN_BOOKINGS_PER_PERSON:
        raise Refused(
            _("This ID number already has %(n)s bookings at this hall, the most allowed: come to one first or "
              "cancel one.") % {"n": held},
            field="id_number",
        )  # fmt: skip
    return _new_booking(hall, item, person, phone, now, slot_start=slot.start, slot_end=slot.end, name=name)


@transaction.atomic
def take_remote_ticket(hall: Hall, item: ServiceItem, now: datetime, *, id_number: str, phone: str = "") -> Booking:
    """Take today's number on the phone (远程取号) where the hall allows it: a booking without a slot, valid
    until the day's ticket cut-off, limited per ID number and day. It joins the queue only when
    scanned at the kiosk (``check_in_appointment``): the queue never waits for someone still away."""
    if not hall.remote_tickets:
        raise Refused(_("%(hall)s does not give numbers on the phone: take one at its kiosk.") % {"hall": hall},
                      field="hall")  # fmt: skip
    _offered_item(hall, item)
    phone = phone_number(phone)
    calendar = check_taking_tickets(hall, now)
    business_date = calendar.hall.local_date(now)
    person = resident_id(id_number, business_date)
    id_hash = secret_hash(person.number)
    serialize_on(f"remote-tickets-per-person:{business_date}:{id_hash}")
    day_start = min(s.start for s in calendar.day(business_date).sessions)
    taken = (
        Appointment.objects.filter(kind=AppointmentKind.REMOTE, id_hash=id_hash, slot_start__gte=day_start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .count()
    )
    if taken >= settings.WEIMIN_REMOTE_TICKETS_PER_PERSON_PER_DAY:
        raise Refused(
            _("This ID number has already taken %(n)s numbers on the phone today, the most allowed.") % {"n": taken},
            field="id_number",
        )
    return _new_booking(
        hall, item, person, phone, now, kind=AppointmentKind.REMOTE, slot_start=now,
        slot_end=calendar.day(business_date).sessions[-1].last_ticket,
    )  # fmt: skip


def _new_booking(hall: Hall, item: ServiceItem, person, phone: str, now: datetime, **fields) -> Booking:
    """A booking (a slot, or a number taken on the phone) with its reference and the visitor's secret,
    whose hash alone is kept; the ID number kept as its hash and masked form."""
    token = secrets.token_urlsafe(18)
    appointment = Appointment.objects.create(
        hall=hall, item=item, reference=_reference(now), id_hash=secret_hash(person.number), id_masked=person.masked,
        phone=phone, token_hash=secret_hash(token), booked_at=now, changed_at=now, **fields,
    )  # fmt: skip
    return Booking(appointment, token)


def _locked_appointment(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update(of=("self",)).select_related("hall", "item").get(pk=appointment.pk)


@transaction.atomic
def cancel_appointment(appointment: Appointment, now: datetime) -> Appointment:
    appointment = _locked_appointment(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Refused(
            _("The appointment is %(status)s.") % {"status": appointment.get_status_display()}, field="transition"
        )
    appointment.status, appointment.changed_at = AppointmentStatus.CANCELLED, now
    appointment.save(update_fields=["status", "changed_at"])
    return appointment


def _check_in_window(appointment: Appointment) -> tuple[datetime, datetime]:
    if appointment.kind == AppointmentKind.REMOTE:
        return appointment.slot_start, appointment.slot_end
    return (
        appointment.slot_start - timedelta(minutes=settings.WEIMIN_APPOINTMENT_CHECKIN_EARLY_MINUTES),
        appointment.slot_start + timedelta(minutes=settings.WEIMIN_APPOINTMENT_CHECKIN_LATE_MINUTES),
    )


@transaction.atomic
def check_in_appointment(appointment: Appointment, now: datetime) -> IssuedTicket:
    """Arrival within the check-in window turns the appointment into a priority ticket; a number taken
    from the phone into a normal ticket queued from now (behind those already waiting, as if taken at
    the kiosk on arrival)."""
    appointment = _locked_appointment(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Refused(
            _("The appointment is %(status)s.") % {"status": appointment.get_status_display()}, field="transition"
        )
    opens, closes = _check_in_window(appointment)
    if not opens <= now <= closes:
        raise Refused(
            _("Check in between %(opens)s and %(closes)s.")
            % {"opens": f"{timezone.localtime(opens):%Y-%m-%d %H:%M}", "closes": f"{timezone.localtime(closes):%H:%M}"},
            field="transition",
        )
    remote = appointment.kind == AppointmentKind.REMOTE
    issued = issue_ticket(
        appointment.hall,
        appointment.item,
        now,
        phone=appointment.phone,
        source=TicketSource.REMOTE if remote else TicketSource.APPOINTMENT,
        lane="" if remote else Priority.APPOINTMENT,
    )
    issued.ticket.id_hash, issued.ticket.id_masked = appointment.id_hash, appointment.id_masked
    issued.ticket.save(update_fields=["id_hash", "id_masked"])
    appointment.status, appointment.changed_at, appointment.ticket = AppointmentStatus.CHECKED_IN, now, issued.ticket
    appointment.save(update_fields=["status", "changed_at", "ticket"])
    return issued


@transaction.atomic
def mark_missed_appointments(now: datetime) -> int:
    """Booked appointments whose check-in window has closed are recorded as missed (numbers taken from
    the phone lapse at the cut-off)."""
    late = timedelta(minutes=settings.WEIMIN_APPOINTMENT_CHECKIN_LATE_MINUTES)
    closed = Q(kind=AppointmentKind.SLOT, slot_start__lt=now - late) | Q(kind=AppointmentKind.REMOTE, slot_end__lt=now)
    return Appointment.objects.filter(closed, status=AppointmentStatus.BOOKED).update(
        status=AppointmentStatus.MISSED, changed_at=now
    )


# --- the end of a business day ---


def _close_reason(calendar: HallCalendar, ticket: Ticket) -> str:
    """Issued before the day's last cut-off, the visitor was owed service; after it, only a lane ticket."""
    sessions = calendar.day(ticket.business_date).sessions
    if sessions and ticket.issued_at <= sessions[-1].last_ticket:
        return "not_served_before_close"
    return "issued_after_cutoff"


@transaction.atomic
def close_past_days(now: datetime) -> int:
    """Close every ticket still open from a business day that has ended, with the reason recorded.

    Run after closing time (``weimin close-day``); the shifts issue refines what is served first.
    """
    closed = 0
    calendars: dict[int, HallCalendar] = {}
    open_tickets = Ticket.objects.select_for_update().filter(status__in=rules.OPEN_STATUSES).select_related("hall")
    for ticket in open_tickets:
        calendar = calendars.setdefault(ticket.hall_id, HallCalendar(ticket.hall))
        if ticket.business_date < calendar.hall.local_date(now):
            window = ticket.window
            ticket.window = None
            _record(ticket, Event.CLOSED, now, window=window, reason=_close_reason(calendar, ticket))
            closed += 1
    return closed
