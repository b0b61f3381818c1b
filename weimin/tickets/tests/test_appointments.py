from datetime import date

import pytest
from django.test import override_settings

from weimin.conftest import local
from weimin.core import clock
from weimin.core.errors import InvalidInput, Refused
from weimin.tickets import actions, appointments
from weimin.tickets.models import Appointment

pytestmark = pytest.mark.django_db

ADULT = "34052419800101001X"


def book(hall, item, start, **overrides):
    fields = {"name": "黄女士", "id_number": ADULT, "phone": "13800138000", **overrides}
    return actions.book_appointment(hall, item, local(start), clock.now(), **fields)


def test_slots_cover_evenings_and_saturdays_with_capacity(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    friday = appointments.slots(hall, item, date(2017, 12, 8), clock.now())
    starts = [f"{s.start:%H:%M}" for s in friday]
    assert starts[0] == "10:30" and "18:30" in starts and starts[-1] == "18:30"  # none after the 19:00 cut-off
    assert "12:00" not in starts and "11:30" not in starts  # lunch break; 11:30 is past the morning cut-off
    assert all(s.capacity == 1 for s in friday)  # one window, 30-minute item, half offered for booking
    saturday = appointments.slots(hall, item, date(2017, 12, 9), clock.now())
    assert [f"{s.start:%H:%M}" for s in saturday] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]
    assert appointments.slots(hall, item, date(2017, 12, 10), clock.now()) == []  # Sunday


def test_book_fills_a_slot_and_cancel_frees_it(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    booking = book(hall, item, "2017-12-08 18:30")
    assert booking.appointment.id_masked == "340524********001X"
    with pytest.raises(Refused, match="约满"):
        book(hall, item, "2017-12-08 18:30", id_number="11010519491231002X")
    actions.cancel_appointment(booking.appointment, clock.now())
    book(hall, item, "2017-12-08 18:30", id_number="11010519491231002X")


@pytest.mark.parametrize(
    ("start", "overrides", "field"),
    [
        ("2017-12-08 18:45", {}, "slot_start"),  # not a slot start
        ("2017-12-08 19:30", {}, "slot_start"),  # after closing
        ("2017-12-10 10:00", {}, "slot_start"),  # Sunday
        ("2017-12-08 18:30", {"name": " "}, "name"),
        ("2017-12-08 18:30", {"id_number": "340524198001010013"}, "id_number"),
        ("2017-12-08 18:30", {"phone": ""}, "phone"),
    ],
)
def test_booking_errors_name_the_field(hall, window, item, freeze, start, overrides, field):
    freeze("2017-12-08 10:00")
    with pytest.raises((InvalidInput, Refused)) as error:
        book(hall, item, start, **overrides)
    assert error.value.field == field
    assert not Appointment.objects.exists()


def test_check_in_within_the_window_gives_a_priority_ticket(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    booking = book(hall, item, "2017-12-08 18:30")
    freeze("2017-12-08 17:50")
    with pytest.raises(Refused, match="18:00"):
        actions.check_in_appointment(booking.appointment, clock.now())
    freeze("2017-12-08 18:40")
    issued = actions.check_in_appointment(booking.appointment, clock.now())
    assert issued.ticket.priority == "appointment" and issued.ticket.source == "appointment"
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == "checked_in" and booking.appointment.ticket == issued.ticket
    with pytest.raises(Refused):
        actions.check_in_appointment(booking.appointment, clock.now())


def test_check_in_is_honoured_after_the_ticket_cut_off(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    booking = book(hall, item, "2017-12-08 18:30")
    freeze("2017-12-08 19:10")  # walk-ins are refused now (cut-off 19:00)…
    with pytest.raises(Refused, match="19:00"):
        actions.issue_ticket(hall, item, clock.now())
    with pytest.raises(Refused, match="18:00"):  # …and this visitor is 40 minutes late for the slot
        actions.check_in_appointment(booking.appointment, clock.now())
    with override_settings(WEIMIN_APPOINTMENT_CHECKIN_LATE_MINUTES=45):
        issued = actions.check_in_appointment(booking.appointment, clock.now())
    assert issued.ticket.status == "waiting"  # an appointment is honoured after the walk-in cut-off


def test_missed_appointments_are_recorded(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    booking = book(hall, item, "2017-12-08 14:00")
    freeze("2017-12-08 14:10")
    assert actions.mark_missed_appointments(clock.now()) == 0
    freeze("2017-12-08 14:16")
    assert actions.mark_missed_appointments(clock.now()) == 1
    booking.appointment.refresh_from_db()
    assert booking.appointment.status == "missed"
