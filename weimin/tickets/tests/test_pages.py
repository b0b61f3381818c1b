import json

import pytest
from django.core.management import call_command

from weimin.core import clock
from weimin.tickets import actions
from weimin.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_kiosk_lists_items_and_shows_the_checklist_before_the_number(client, clerk):
    page = client.get("/halls/longgang-district/kiosk/").content.decode()
    assert "建设工程消防验收" in page and "kiosk-button" in page
    item_page = client.get("/halls/longgang-district/kiosk/items/fire-acceptance/").content.decode()
    assert "建设工程消防验收申报表" in item_page and "打印号码" in item_page


def test_kiosk_issues_a_ticket_and_prints_a_slip_with_a_qr_code(client, clerk):
    response = client.post("/halls/longgang-district/kiosk/items/fire-acceptance/", {"priority": "pregnant"})
    assert response.status_code == 302
    slip = client.get(response["Location"]).content.decode()
    assert "B001" in slip and "<svg" in slip and "孕妇" in slip
    assert Ticket.objects.get().priority == "pregnant"


def test_kiosk_form_errors_name_the_field_and_write_nothing(client, clerk):
    page = client.post("/halls/longgang-district/kiosk/items/fire-acceptance/", {"id_number": "340524198001010013"})
    assert page.status_code == 200 and "身份证号码无效" in page.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_locks_after_the_cut_off_and_says_when_it_opens(client, clerk, freeze):
    freeze("2017-12-08 19:10")
    page = client.get("/halls/longgang-district/kiosk/").content.decode()
    assert "当前暂停取号" in page and "2017-12-09 09:00" in page and "kiosk-button" not in page
    post = client.post("/halls/longgang-district/kiosk/items/fire-acceptance/", {})
    assert post.status_code == 200 and not Ticket.objects.exists()


def test_my_ticket_page_follows_the_ticket(client, clerk, window):
    issued = actions.issue_ticket(window.hall, window.items.get(), clock.now())
    page = client.get(f"/t/{issued.token}/").content.decode()
    assert 'data-status="waiting"' in page
    actions.call_next(clerk, window, clock.now())
    fragment = client.get(f"/t/{issued.token}/status").content.decode()
    assert "请到5号窗口" in fragment
    assert client.get("/t/not-a-token/").status_code == 404


def test_visitor_cancels_from_the_ticket_page(client, clerk, window):
    issued = actions.issue_ticket(window.hall, window.items.get(), clock.now())
    client.post(f"/t/{issued.token}/cancel")
    assert Ticket.objects.get().status == "cancelled"


def test_display_feed(client, clerk, window):
    feed = client.get("/halls/longgang-district/display/feed").json()
    assert feed["calls"] == [] and feed["open"] is True
    actions.issue_ticket(window.hall, window.items.get(), clock.now())
    ticket = actions.call_next(clerk, window, clock.now())
    feed = client.get("/halls/longgang-district/display/feed").json()
    assert feed["calls"][0]["number"] == ticket.number and feed["calls"][0]["window"] == 5
    later = client.get("/halls/longgang-district/display/feed", {"after": feed["calls"][0]["id"]}).json()
    assert later["calls"] == []
    assert client.get("/halls/longgang-district/display/feed", {"after": "x"}).status_code == 422
    assert "display.js" in client.get("/halls/longgang-district/display/").content.decode()


def test_the_display_tells_a_visitor_sent_to_a_window_the_reference_data_does_not_know_yet(
    client, window, freeze, monkeypatch
):
    from weimin.halls import reference
    from weimin.halls.models import Window

    freeze("2017-12-08 10:30")
    desk = Window.objects.create(hall=window.hall, number=9)
    issued = actions.issue_ticket(window.hall, window.items.get(), clock.now(), target_window=desk)
    known = {pk: number for pk, number in reference.window_numbers().items() if pk != desk.pk}
    monkeypatch.setattr(reference, "window_numbers", lambda: known)  # as another process holds them, for a minute
    feed = client.get("/halls/longgang-district/display/feed").json()
    assert feed["sent"] == [{"number": issued.ticket.number, "window": 9}]


def test_integrity_command(clerk, window, capsys, freeze):
    actions.issue_ticket(window.hall, window.items.get(), clock.now())
    actions.call_next(clerk, window, clock.now())
    call_command("integrity", format="json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": [], "overdue": []}
    Ticket.objects.update(status="waiting")  # the ticket table no longer agrees with its events
    with pytest.raises(SystemExit) as exit_code:
        call_command("integrity", format="json")
    assert exit_code.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"][0]["check"] == "ticket_event_sequence"


def test_integrity_lists_a_past_day_left_open_as_overdue(clerk, window, capsys, freeze):
    """A day `close-day` has not closed yet is work waiting, not broken data: ok, with the day listed
    (one line per hall and day); ``--strict`` fails on it, for monitoring."""
    for _ in range(3):
        actions.issue_ticket(window.hall, window.items.get(), clock.now())
    freeze("2017-12-09 09:00")
    call_command("integrity")
    out = capsys.readouterr().out
    assert "overdue · past_day_closed: longgang-district 2017-12-08: 3 tickets still open" in out
    assert "ok: every invariant holds; 1 overdue" in out
    with pytest.raises(SystemExit):
        call_command("integrity", strict=True)
    call_command("close-day", stdout=None)
    capsys.readouterr()
    call_command("integrity", strict=True)
    assert capsys.readouterr().out.strip() == "ok: every invariant holds"


def test_citizen_books_and_cancels_an_evening_slot(client, clerk, freeze):
    from weimin.tickets.models import Appointment

    freeze("2017-12-08 10:00")
    page = client.get("/halls/longgang-district/appointments/", {"item": "fire-acceptance", "date": "2017-12-08"})
    assert "18:30–19:00" in page.content.decode()
    slot = "2017-12-08T18:30:00+08:00"
    bad = client.post(
        "/halls/longgang-district/appointments/?item=fire-acceptance&date=2017-12-08",
        {"slot_start": slot, "name": "黄女士", "id_number": "340524198001010013", "phone": "13800138000"},
    )
    assert bad.status_code == 200 and "身份证号码无效" in bad.content.decode() and not Appointment.objects.exists()
    booked = client.post(
        "/halls/longgang-district/appointments/?item=fire-acceptance&date=2017-12-08",
        {"slot_start": slot, "name": "黄女士", "id_number": "34052419800101001X", "phone": "13800138000"},
    )
    assert booked.status_code == 302
    confirmation = client.get(booked["Location"]).content.decode()
    appointment = Appointment.objects.get()
    assert appointment.reference in confirmation and 'data-status="booked"' in confirmation
    assert booked["Location"].startswith("/a/") and "?" not in booked["Location"]  # the key in the path
    assert client.get("/a/not-the-token/").status_code == 404
    cancelled = client.post(booked["Location"]).content.decode()
    assert 'data-status="cancelled"' in cancelled
