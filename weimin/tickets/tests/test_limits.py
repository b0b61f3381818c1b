"""Issue 9, item 4: tickets and appointments per client address and per ID number, counted in the
shared cache; enrolled kiosks and signed-in staff are not limited per address."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from weimin.accounts.actions import issue_token, revoke_device
from weimin.accounts.devices import COOKIE
from weimin.accounts.models import Device
from weimin.conftest import local
from weimin.core import clock, limits
from weimin.core.errors import Refused
from weimin.core.identity import id_check_char
from weimin.halls.models import ServiceItem
from weimin.tickets import actions
from weimin.tickets.models import Appointment, Ticket

pytestmark = pytest.mark.django_db

KIOSK_POST = "/halls/longgang-district/kiosk/items/fire-acceptance/"


def take(client, **extra):
    return client.post(
        "/api/halls/longgang-district/tickets",
        {"item": "fire-acceptance", "priority": "elderly"},
        content_type="application/json",
        **extra,
    )


def person(n: int) -> str:
    """A valid ID number, a different person for each ``n`` (as a script generates them)."""
    first17 = f"11010519800101{n:03d}"
    return first17 + id_check_char(first17)


def test_a_hundred_anonymous_elderly_tickets_from_one_address(client, clerk):
    """The attack: 100 anonymous "elderly" tickets in 1.5 s. Ten an hour per address pass."""
    answers = [take(client) for _ in range(100)]
    assert [a.status_code for a in answers].count(201) == 10
    refused = answers[10]
    assert refused.status_code == 429 and set(refused.json()) == {"detail", "retry_at"}
    assert "后再试" in refused.json()["detail"] and "10" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Ticket.objects.count() == 10  # nothing half-written for the refused ones


def test_the_count_is_per_address_and_a_forged_forwarded_for_does_not_escape_it(client, clerk):
    for _ in range(10):
        assert take(client).status_code == 201
    assert take(client, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429  # no trusted proxy: ignored
    assert take(client, REMOTE_ADDR="10.1.1.2").status_code == 201  # someone else
    with override_settings(WEIMIN_TRUSTED_PROXIES=1):  # behind the hall's proxy, its header is the address
        assert take(client, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 201


def test_the_kiosk_page_and_the_api_share_one_count_and_the_page_says_when(client, clerk, freeze):
    freeze("2017-12-08 10:00")
    for _ in range(5):
        assert take(client).status_code == 201
    for _ in range(5):
        assert client.post(KIOSK_POST, {"priority": "pregnant"}).status_code == 302
    page = client.post(KIOSK_POST, {"priority": "pregnant"})
    assert page.status_code == 429
    text = page.content.decode()
    assert "最近一小时内从您的网络地址取号过多" in text and "后再试" in text
    assert Ticket.objects.count() == 10
    when = re.search(r"请在(\d\d:\d\d)后再试", text).group(1)
    freeze(f"2017-12-08 {when}")
    clock.freeze(clock.now() + timedelta(minutes=1))  # at the time the page said, the address may again
    assert client.post(KIOSK_POST, {"priority": "pregnant"}).status_code == 302


def test_an_enrolled_kiosk_issues_hundreds_an_hour_until_it_is_revoked(client, clerk, enroll):
    client.cookies[COOKIE] = enroll("kiosk")
    for _ in range(40):
        assert client.post(KIOSK_POST, {"phone": ""}).status_code == 302
    assert take(client).status_code == 201  # the kiosk may call the API too
    device = Device.objects.get()
    assert device.last_seen_at is not None
    revoke_device(device.enrolled_by, device, clock.now())
    # At once: an anonymous browser again, with an anonymous browser's limit.
    assert [client.post(KIOSK_POST, {"phone": ""}).status_code for _ in range(11)][-1] == 429


def test_a_kiosk_of_another_hall_is_limited_here(client, clerk, enroll, district):
    from weimin.halls.models import Hall

    other = Hall.objects.create(district=district, code="pinghu", name="平湖街道便民服务中心")
    client.cookies[COOKIE] = enroll("kiosk", hall=other)
    assert [client.post(KIOSK_POST, {"phone": ""}).status_code for _ in range(11)][-1] == 429


def test_signed_in_staff_are_not_limited_per_address(client, clerk):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}
    assert all(take(client, **bearer).status_code == 201 for _ in range(15))
    client.force_login(clerk)
    assert all(client.post(KIOSK_POST, {"phone": ""}).status_code == 302 for _ in range(15))


@pytest.fixture
def bookable(clerk, freeze, item, window, hall):
    freeze("2017-12-08 09:00")
    window.items.add(*[ServiceItem.objects.create(code=f"item-{n}", name=f"事项{n}", department=item.department,
                                                  category=item.category, handling_minutes=30,
                                                  promised_days=5, statutory_days=20) for n in range(3)])  # fmt: skip
    return hall


def slot_starts(client, day: str, item: str = "fire-acceptance") -> list[str]:
    found = client.get("/api/halls/longgang-district/appointment-slots", {"item": item, "date": day}).json()
    return [s["start"] for s in found if s["free"]]


def test_bookings_per_address_a_script_cannot_take_the_slots(client, bookable):
    """The attack: 85 of 90 slots of an item over three days booked in 2.3 s (a new ID number each)."""
    starts = [s for day in ("2017-12-11", "2017-12-12", "2017-12-13") for s in slot_starts(client, day)]
    answers = [
        client.post("/api/halls/longgang-district/appointments",
                    {"item": "fire-acceptance", "slot_start": start, "name": "某某", "id_number": person(n),
                     "phone": "13800138000"}, content_type="application/json")
        for n, start in enumerate(starts[:20])
    ]  # fmt: skip
    assert [a.status_code for a in answers].count(201) == 3
    assert answers[3].status_code == 429 and "后再试" in answers[3].json()["detail"]
    assert Appointment.objects.count() == 3


def test_the_booking_page_counts_the_same_and_says_when(client, bookable):
    starts = slot_starts(client, "2017-12-11")
    url = "/halls/longgang-district/appointments/?item=fire-acceptance&date=2017-12-11"
    for n in range(3):
        form = {"slot_start": starts[n], "name": "某某", "id_number": person(n), "phone": "13800138000"}
        assert client.post(url, form).status_code == 302
    form = {"slot_start": starts[4], "name": "某某", "id_number": person(9), "phone": "13800138000"}
    page = client.post(url, form)
    assert page.status_code == 429 and "今天从您的网络地址预约过多" in page.content.decode()
    assert Appointment.objects.count() == 3


def test_one_id_number_holds_at_most_three_upcoming_bookings_at_a_hall(bookable, item):
    items = [item, *ServiceItem.objects.filter(code__startswith="item-")]
    for n, booked_item in enumerate(items[:3]):
        actions.book_appointment(bookable, booked_item, local(f"2017-12-1{1 + n} 10:30"), clock.now(),
                                 name="黄女士", id_number=person(1), phone="13800138000")  # fmt: skip
    with pytest.raises(Refused) as fourth:
        actions.book_appointment(bookable, items[3], local("2017-12-14 10:30"), clock.now(), name="黄女士",
                                 id_number=person(1), phone="13800138000")  # fmt: skip
    assert fourth.value.field == "id_number"
    assert Appointment.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_from_many_connections_are_all_counted():
    """Every process counts the same: 20 threads, each with its own database connection, count one
    request each against 5 a day; exactly 5 get through."""
    results, barrier = [], threading.Barrier(20)

    def one():
        barrier.wait()
        try:
            results.append(limits.count("test-concurrency", "198.51.100.7", "5/d"))
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20 and results.count(None) == 5


def test_a_window_ends_and_the_address_may_come_back(freeze):
    freeze("2017-12-08 10:00")
    assert [limits.count("test-window", "a", "2/d") is None for _ in range(3)] == [True, True, False]
    over = limits.count("test-window", "a", "2/d")
    assert over.until > clock.now() and over.local_time() == f"{timezone.localtime(over.until):%H:%M}"
    clock.freeze(over.until + timedelta(seconds=1))
    assert limits.count("test-window", "a", "2/d") is None
