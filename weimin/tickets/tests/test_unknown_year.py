"""A year whose national holidays are not entered yet: halls keep their weekly schedule, marked
provisional, so the kiosk issues tickets and citizens book appointments on those days."""

import re
from datetime import datetime

import pytest

from weimin.calendars.models import CalendarYear
from weimin.conftest import SHANGHAI
from weimin.core import clock
from weimin.tickets import actions
from weimin.tickets.models import Appointment

pytestmark = pytest.mark.django_db

KIOSK = "/halls/longgang-district/kiosk/"
BOOKING = "/halls/longgang-district/appointments/"


def test_the_kiosk_issues_tickets_on_a_provisional_day(client, hall, item, window, freeze):
    freeze("2027-01-04 10:00")
    page = client.get(KIOSK).content.decode()
    assert "kiosk-button" in page and 'data-provisional="yes"' in page and "临时安排（国家节假日安排尚未公布）" in page
    response = client.post(f"{KIOSK}items/{item.code}/", {"priority": ""})
    assert response.status_code == 302 and response["Location"].startswith("/t/")
    assert actions.issue_ticket(hall, item, clock.now()).ticket.business_date.isoformat() == "2027-01-04"
    CalendarYear.objects.create(year=2027)
    assert "data-provisional" not in client.get(KIOSK).content.decode()


def test_the_kiosk_still_closes_after_the_cut_off_and_names_the_next_provisional_opening(client, hall, item, freeze):
    freeze("2026-12-31 19:10")
    page = client.get(KIOSK).content.decode()
    assert "kiosk-button" not in page and "2027-01-01 09:00" in page


def test_appointments_are_bookable_on_provisional_days(client, hall, item, window, freeze):
    freeze("2026-12-21 10:00")
    page = client.get(BOOKING, {"item": item.code, "date": "2027-01-04"}).content.decode()
    assert "18:30–19:00" in page and 'data-provisional="yes"' in page
    slots = client.get("/api/halls/longgang-district/appointment-slots", {"item": item.code, "date": "2027-01-04"})
    assert slots.status_code == 200 and slots.json()
    booked = client.post(f"{BOOKING}?item={item.code}&date=2027-01-04",
                         {"slot_start": "2027-01-04T18:30:00+08:00", "name": "黄女士",
                          "id_number": "34052419800101001X", "phone": "13800138000"})  # fmt: skip
    assert booked.status_code == 302
    assert Appointment.objects.get().slot_start == datetime(2027, 1, 4, 18, 30, tzinfo=SHANGHAI)
    # A provisional weekend stays closed: Sunday 2027-01-03 is not offered, and asking for it opens the
    # form on a day the hall opens.
    sunday = client.get(BOOKING, {"item": item.code, "date": "2027-01-03"}).content.decode()
    assert '<option value="2027-01-02"' in sunday and '<option value="2027-01-03"' not in sunday
    assert re.search(r'<option value="2027-01-02"[^>]*>01-02 星期六 · 临时安排</option>', sunday)
    assert re.search(r'<option value="2026-12-31"[^>]*>12-31 星期四</option>', sunday)  # 2026 is published
