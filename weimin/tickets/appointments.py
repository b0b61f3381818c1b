"""Appointments (预约办理): bookable slots within opening hours, evenings and Saturdays included."""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from weimin.core import attempts
from weimin.core.errors import NotFound
from weimin.core.identity import fold_typed
from weimin.core.inputs import resident_id
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.tickets.choices import AppointmentKind, AppointmentStatus
from weimin.tickets.models import Appointment, secret_hash

LIVE = [AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN]


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def slot_capacity(hall: Hall, item: ServiceItem) -> int:
    """Appointments per slot: the share of what the item's windows can serve in a slot."""
    windows = Window.objects.filter(hall=hall, active=True, items=item).count()
    per_window = settings.WEIMIN_APPOINTMENT_SLOT_MINUTES / item.handling_minutes
    return max(1, math.floor(windows * per_window * settings.WEIMIN_APPOINTMENT_SHARE)) if windows else 0


def slots(hall: Hall, item: ServiceItem, day: date, now: datetime) -> list[Slot]:
    """The day's slots that start after ``now`` and before each session's ticket cut-off."""
    if not item.appointment_allowed:
        return []
    capacity = slot_capacity(hall, item)
    if not capacity:
        return []
    length = timedelta(minutes=settings.WEIMIN_APPOINTMENT_SLOT_MINUTES)
    starts = []
    for session in HallCalendar(hall).day(day).sessions:
        start = session.start
        while start < session.last_ticket:
            starts.append((start, min(start + length, session.end)))
            start += length
    first = datetime.combine(day, time.min, tzinfo=starts[0][0].tzinfo) if starts else now
    booked = dict(
        Appointment.objects.filter(
            hall=hall,
            item=item,
            kind=AppointmentKind.SLOT,
            status__in=LIVE,
            slot_start__gte=first,
            slot_start__lt=first + timedelta(days=1),
        )
        .values_list("slot_start")
        .annotate(n=Count("id"))
    )
    return [Slot(s, e, capacity, booked.get(s, 0)) for s, e in starts if s > now]


def bookable_days(hall: Hall, now: datetime) -> list[date]:
    """The days a booking may be for: today and the next WEIMIN_APPOINTMENT_BOOKING_DAYS on which the
    hall opens (its hours and calendar decide: no Sunday unless it opens; in a year nobody published,
    its weekly hours, marked provisional)."""
    calendar, today = HallCalendar(hall), hall.local_date(now)
    days = []
    for n in range(settings.WEIMIN_APPOINTMENT_BOOKING_DAYS + 1):
        day = today + timedelta(days=n)
        if calendar.day(day).open:
            days.append(day)
    return days


def first_day_with_free_slots(hall: Hall, item: ServiceItem, days: list[date], now: datetime) -> date | None:
    """Where the booking form opens: the first of ``days`` with a free slot for ``item``."""
    return next((day for day in days if any(s.free for s in slots(hall, item, day, now))), None)


# --- a visitor's own booking ---

# One answer for an unknown reference and a wrong secret: it must not tell that a booking exists.
NO_MATCH = gettext_lazy("No appointment matches that reference and code or ID number.")


def appointment_by_token(token: str) -> Appointment | None:
    """The booking its visitor's link opens (/a/<token>/), or None."""
    if not token:
        return None
    return Appointment.objects.select_related("hall", "item").filter(token_hash=secret_hash(token)).first()


def appointment_for_visitor(
    reference: str, *, token: str = "", id_number: str = "", address: str | None, now: datetime, hall=None
) -> Appointment:
    """The booking with this reference, opened by its token (the booking page's link, its QR code) or
    the applicant's whole ID number — the reference alone opens nothing (24 random bits); the token
    alone (the QR code scanned at the kiosk) opens its booking. An unknown reference and a wrong
    secret get the same NotFound; failures are counted per reference and per address as for cases
    (WEIMIN_LOOKUP_*), wrong tokens per address only. Call outside a transaction."""
    reference = fold_typed(reference or "")[:32]
    per_reference, per_address = attempts.lookup_counters("appointment", reference, address)
    attempts.check((per_reference if id_number else []) + per_address, now)
    id_hash = secret_hash(resident_id(id_number, timezone.localdate(now)).number) if id_number else ""
    found = Appointment.objects.select_related("hall", "item")
    found = found.filter(reference=reference) if reference else found.filter(token_hash=secret_hash(token))
    appointment = (found.filter(hall=hall) if hall is not None else found).first()
    opened = appointment is not None and (
        (bool(token) and appointment.token_matches(token))
        or (bool(id_hash) and hmac.compare_digest(id_hash, appointment.id_hash))
    )
    if not opened:
        if id_hash:
            attempts.fail(per_reference + per_address, now)
        elif token:
            attempts.fail(per_address, now)
        raise NotFound(NO_MATCH)
    if id_hash:
        attempts.forget(per_reference)
    return appointment
