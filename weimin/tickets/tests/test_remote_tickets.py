"""远程取号: today's number taken on the phone joins the queue only when scanned at the kiosk."""

import pytest
from django.test import override_settings

from weimin.core import clock
from weimin.core.errors import Refused
from weimin.tickets import actions, appointments
from weimin.tickets.models import Appointment, Ticket

pytestmark = pytest.mark.django_db

ADULT = "34052419800101001X"
OTHER = "11010519491231002X"


@pytest.fixture
def remote_hall(hall):
    hall.remote_tickets = True
    hall.save()
    return hall


def take(hall, item, id_number=ADULT):
    return actions.take_remote_ticket(hall, item, clock.now(), id_number=id_number)


def test_only_halls_that_allow_it_give_numbers_on_the_phone(hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    with pytest.raises(Refused) as refused:
        take(hall, item)
    assert refused.value.field == "hall" and not Appointment.objects.exists()


def test_a_number_from_the_phone_is_stored_masked_and_lasts_until_the_cut_off(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    taken = take(remote_hall, item).appointment
    assert taken.kind == "remote" and taken.id_masked == "340524********001X" and ADULT not in taken.id_hash
    assert f"{taken.slot_end.astimezone(remote_hall.tz):%H:%M}" == "19:00"  # the day's last cut-off
    assert not Ticket.objects.exists()  # not in the queue yet


def test_one_number_per_id_number_and_day(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    first = take(remote_hall, item)
    with pytest.raises(Refused) as refused:
        take(remote_hall, item)
    assert refused.value.field == "id_number"
    take(remote_hall, item, OTHER)  # another person may
    actions.cancel_appointment(first.appointment, clock.now())
    take(remote_hall, item)  # a cancelled number gives the place back
    freeze("2017-12-09 09:30")
    with override_settings(WEIMIN_REMOTE_TICKETS_PER_PERSON_PER_DAY=1):
        take(remote_hall, item)  # a new day


def test_refused_when_the_hall_gives_no_tickets(remote_hall, window, item, freeze):
    freeze("2017-12-08 19:10")  # after the 19:00 cut-off
    with pytest.raises(Refused, match="19:00"):
        take(remote_hall, item)


def test_check_in_queues_it_from_the_scan_not_from_when_it_was_taken(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    taken = take(remote_hall, item)
    freeze("2017-12-08 10:20")
    walk_in = actions.issue_ticket(remote_hall, item, clock.now()).ticket
    freeze("2017-12-08 10:40")
    issued = actions.check_in_appointment(taken.appointment, clock.now())
    ticket = issued.ticket
    assert ticket.source == "remote" and ticket.priority == "" and ticket.queued_at == clock.now()
    assert ticket.id_masked == "340524********001X"
    assert ticket.queued_at > walk_in.queued_at  # behind who was already there
    with pytest.raises(Refused):
        actions.check_in_appointment(taken.appointment, clock.now())  # once


def test_a_citizen_who_never_comes_blocks_no_window(remote_hall, window, item, freeze, clerk):
    freeze("2017-12-08 18:35")
    take(remote_hall, item)
    assert actions.call_next(clerk, window, clock.now()) is None  # nobody to call: nobody waits for them
    freeze("2017-12-08 18:40")
    walk_in = actions.issue_ticket(remote_hall, item, clock.now()).ticket
    assert actions.call_next(clerk, window, clock.now()) == walk_in


def test_it_lapses_at_the_cut_off(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    taken = take(remote_hall, item).appointment
    freeze("2017-12-08 19:01")
    with pytest.raises(Refused):
        actions.check_in_appointment(taken, clock.now())
    assert actions.mark_missed_appointments(clock.now()) == 1
    taken.refresh_from_db()
    assert taken.status == "missed"


def test_scanning_the_code_alone_finds_it_and_a_wrong_code_finds_nothing(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    taken = take(remote_hall, item)
    found = appointments.appointment_for_visitor("", token=taken.token, address="10.0.0.1", now=clock.now())
    assert found == taken.appointment
    with pytest.raises(Exception, match="预约"):
        appointments.appointment_for_visitor("", token="wrong", address="10.0.0.1", now=clock.now())


def test_it_takes_no_bookable_slot(remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    before = [s.free for s in appointments.slots(remote_hall, item, clock.now().date(), clock.now())]
    take(remote_hall, item)
    assert [s.free for s in appointments.slots(remote_hall, item, clock.now().date(), clock.now())] == before


def test_the_phone_page_limits_numbers_per_address_and_says_why(client, remote_hall, window, item, freeze, settings):
    from weimin.tickets.tests.test_limits import person

    settings.WEIMIN_REMOTE_TICKETS_PER_ADDRESS_PER_DAY = 2
    freeze("2017-12-08 10:00")
    url = "/halls/longgang-district/remote-ticket/"
    for n in range(2):
        assert client.post(url, {"item": item.code, "id_number": person(n)}).status_code == 302
    page = client.post(url, {"item": item.code, "id_number": person(5)})
    assert page.status_code == 429 and "手机取号过多" in page.content.decode()
    assert Appointment.objects.count() == 2


def test_the_phone_page_is_offered_only_where_the_hall_allows_it(client, hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    assert client.get("/halls/longgang-district/remote-ticket/").status_code == 404
    assert "remote-ticket" not in client.get("/halls/longgang-district/").content.decode()
    hall.remote_tickets = True
    hall.save()
    assert "remote-ticket" in client.get("/halls/longgang-district/").content.decode()


def test_the_api_takes_a_number_on_the_phone_and_checks_it_in_with_its_token(client, remote_hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    url = "/api/halls/longgang-district/remote-tickets"
    taken = client.post(url, {"item": item.code, "id_number": ADULT}, content_type="application/json")
    assert taken.status_code == 201
    body = taken.json()
    assert body["kind"] == "remote" and body["status"] == "booked" and body["ticket"] is None
    again = client.post(url, {"item": item.code, "id_number": ADULT}, content_type="application/json")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "id_number"
    freeze("2017-12-08 10:30")
    checked_in = client.post(f"/api/appointments/{body['reference']}/check-in", {"token": body["token"]},
                             content_type="application/json")  # fmt: skip
    assert checked_in.status_code == 201
    assert Ticket.objects.get().source == "remote"


def test_the_api_refuses_where_the_hall_gives_no_numbers_on_the_phone(client, hall, window, item, freeze):
    freeze("2017-12-08 10:00")
    refused = client.post("/api/halls/longgang-district/remote-tickets", {"item": item.code, "id_number": ADULT},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "hall"
