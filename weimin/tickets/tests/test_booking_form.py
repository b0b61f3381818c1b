"""The booking form (预约): the item the citizen came from, the first open day with a free slot, every
chosen value kept on a refusal, a check-in code that carries no personal data."""

from datetime import date

import pytest

from weimin.core import clock
from weimin.tickets import appointments

pytestmark = pytest.mark.django_db

PAGE = "/halls/longgang-district/appointments/"


def test_bookable_days_skip_the_days_the_hall_is_closed(hall, freeze):
    freeze("2017-12-08 10:00")
    days = appointments.bookable_days(hall, clock.now())
    assert date(2017, 12, 9) in days  # Saturday service
    assert date(2017, 12, 10) not in days and date(2017, 12, 17) not in days  # Sundays


def test_the_form_opens_on_the_first_day_with_a_free_slot(client, hall, window, item, freeze):
    freeze("2017-12-08 19:30")  # Friday after the cut-off: nothing left today, Saturday is next
    page = client.get(PAGE).content.decode()
    assert 'value="2017-12-09" selected' in page and 'value="2017-12-10"' not in page
    assert "09:00–09:30" in page


def test_the_form_opens_on_the_item_the_citizen_came_from(client, hall, window, item, freeze):
    from weimin.halls.models import ServiceItem

    other = ServiceItem.objects.create(code="aaa-first", name="排在前面的事项", department=item.department,
                                       category=item.category, handling_minutes=30, promised_days=1,
                                       statutory_days=1)  # fmt: skip
    window.items.add(other)
    freeze("2017-12-08 10:00")
    assert 'value="fire-acceptance" selected' in client.get(PAGE, {"item": "fire-acceptance"}).content.decode()
    item_page = client.get("/items/fire-acceptance/").content.decode()
    assert f"{PAGE}?item=fire-acceptance" in item_page


def test_a_refused_booking_keeps_the_chosen_day_and_slot(client, hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    chosen = "2017-12-09T10:30:00+08:00"
    page = client.post(PAGE, {"item": "fire-acceptance", "slot_start": chosen, "name": "黄女士",
                              "id_number": "340524198001010013", "phone": "13800138000"}).content.decode()  # fmt: skip
    assert "身份证号码无效" in page
    assert 'value="2017-12-09" selected' in page
    assert f'value="{chosen}" required checked' in page
    assert page.count("checked") == 1 and 'value="黄女士"' in page


def test_the_confirmation_code_carries_the_key_not_personal_data(client, hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    fields = {"item": "fire-acceptance", "slot_start": "2017-12-08T18:30:00+08:00", "name": "黄女士",
              "id_number": "34052419800101001X", "phone": "13800138000"}  # fmt: skip
    booked = client.post(PAGE, fields)
    page = client.get(booked["Location"]).content.decode()
    assert 'data-testid="booking-qr"' in page and "<svg" in page
    assert "34052419800101001X" not in page and "13800138000" not in page
    freeze("2017-12-08 18:20")
    scanned = client.post("/halls/longgang-district/kiosk/check-in/", {"link": "http://hall" + booked["Location"]})
    assert scanned.status_code == 302 and "/slip/" in scanned["Location"]  # the scan alone checks in
