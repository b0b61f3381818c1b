"""Appointments (预约办理): bookable slots within opening hours, evenings and Saturdays included."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count

from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.tickets.choices import AppointmentStatus
from weimin.tickets.models import Appointment

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
            hall=hall, item=item, status__in=LIVE, slot_start__gte=first, slot_start__lt=first + timedelta(days=1)
        )
        .values_list("slot_start")
        .annotate(n=Count("id"))
    )
    return [Slot(s, e, capacity, booked.get(s, 0)) for s, e in starts if s > now]
