import pytest

from weimin.accounts.actions import issue_token
from weimin.halls.models import Window

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_headers(clerk):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}


def take(client, **body):
    return client.post(
        "/api/halls/longgang-district/tickets", {"item": "fire-acceptance", **body}, content_type="application/json"
    )


def test_take_ticket_and_read_it_with_its_token(client, clerk):
    response = take(client, phone="13800138000")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("number", "status", "ahead", "estimated_wait_minutes")} == {
        "number": "B001",
        "status": "waiting",
        "ahead": 0,
        "estimated_wait_minutes": 0,
    }
    second = take(client).json()
    assert second["ahead"] == 1 and second["estimated_wait_minutes"] == 30
    # The token travels in a header, never in the address (access logs keep addresses).
    mine = client.get(f"/api/tickets/{body['id']}", HTTP_X_VISITOR_TOKEN=body["token"])
    assert mine.status_code == 200 and mine.json()["number"] == "B001"
    # A visitor's token opens only that ticket.
    other = client.get(f"/api/tickets/{second['id']}", HTTP_X_VISITOR_TOKEN=body["token"])
    assert other.status_code == 403 and other.json()["errors"][0]["field"] == "token"
    assert client.get(f"/api/tickets/{body['id']}").status_code == 403


def test_take_ticket_errors(client, clerk, freeze):
    assert take(client, item="nothing").status_code == 404
    bad_id = take(client, id_number="340524198001010013")
    assert bad_id.status_code == 422 and bad_id.json()["errors"][0]["field"] == "id_number"
    detail = bad_id.json()["detail"]
    assert "身份证号码无效" in detail and "X" not in detail and "expected" not in detail  # no check digit given away
    bad_priority = take(client, priority="vip")
    assert bad_priority.status_code == 422 and bad_priority.json()["errors"][0]["field"] == "priority"
    missing = client.post("/api/halls/longgang-district/tickets", {}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "item"
    freeze("2017-12-08 19:10")
    late = take(client)
    assert late.status_code == 409
    assert late.json()["next_opening"].startswith("2017-12-09T09:00")


def test_staff_call_next_and_act(client, clerk, window, staff_headers):
    ticket = take(client).json()
    take(client)
    called = client.post(f"/api/windows/{window.pk}/call-next", **staff_headers)
    assert called.status_code == 200 and called.json()["window"] == 5 and called.json()["status"] == "called"
    seen = client.get(f"/api/tickets/{ticket['id']}", HTTP_X_VISITOR_TOKEN=ticket["token"]).json()
    assert seen["status"] == "called" and seen["window"] == 5
    for action, status in [("recall", "called"), ("serving", "serving"), ("complete", "completed")]:
        response = client.post(f"/api/tickets/{ticket['id']}/{action}", **staff_headers)
        assert response.status_code == 200 and response.json()["status"] == status
    illegal = client.post(f"/api/tickets/{ticket['id']}/no-show", **staff_headers)
    assert illegal.status_code == 409
    unknown = client.post(f"/api/tickets/{ticket['id']}/explode", **staff_headers)
    assert unknown.status_code == 404 and "explode" in unknown.json()["detail"]  # no such path, in JSON
    second = client.post(f"/api/windows/{window.pk}/call-next", **staff_headers).json()
    client.post(f"/api/tickets/{second['id']}/complete", **staff_headers)
    assert client.post(f"/api/windows/{window.pk}/call-next", **staff_headers).status_code == 204


def test_staff_calls_need_a_token(client, clerk, window):
    assert client.post(f"/api/windows/{window.pk}/call-next").status_code == 401


def test_no_show_rejoin_and_transfer_through_the_api(client, clerk, window, staff_headers):
    other = Window.objects.create(hall=window.hall, number=6)
    other.items.add(*window.items.all())
    ticket = take(client).json()
    client.post(f"/api/windows/{window.pk}/call-next", **staff_headers)
    assert client.post(f"/api/tickets/{ticket['id']}/no-show", **staff_headers).json()["status"] == "no_show"
    assert client.post(f"/api/tickets/{ticket['id']}/rejoin", **staff_headers).json()["status"] == "waiting"
    client.post(f"/api/windows/{window.pk}/call-next", **staff_headers)
    moved = client.post(
        f"/api/tickets/{ticket['id']}/transfer", {"window": other.pk}, content_type="application/json", **staff_headers
    )
    assert moved.status_code == 200 and moved.json()["status"] == "waiting"
    nowhere = client.post(f"/api/tickets/{ticket['id']}/transfer", {}, content_type="application/json", **staff_headers)
    assert nowhere.status_code == 422


def test_queue_and_windows(client, clerk, window, staff_headers):
    take(client)
    take(client)
    queue = client.get("/api/halls/longgang-district/queue").json()
    assert queue["waiting"] == 2 and queue["items"][0]["item"] == "fire-acceptance"
    windows = client.get("/api/halls/longgang-district/windows").json()
    # Anonymous callers learn whether a window is staffed, never who holds it (issue 9: usernames published).
    assert windows == [
        {"id": window.pk, "number": 5, "label": "", "active": True, "items": ["fire-acceptance"], "staffed": True,
         "on_duty": None}
    ]  # fmt: skip
    seen_by_staff = client.get("/api/halls/longgang-district/windows", **staff_headers).json()
    assert seen_by_staff[0]["on_duty"] == "huang" and seen_by_staff[0]["staffed"] is True


def test_sign_in_and_out_through_the_api(client, clerk, window, staff_headers, make_clerk):
    other = Window.objects.create(hall=window.hall, number=6)
    busy = client.post(f"/api/windows/{other.pk}/sign-in", **staff_headers)
    assert busy.status_code == 409 and "5" in busy.json()["detail"]
    assert client.post(f"/api/windows/{window.pk}/sign-out", **staff_headers).status_code == 200
    signed = client.post(f"/api/windows/{other.pk}/sign-in", **staff_headers)
    assert signed.status_code == 200 and signed.json()["number"] == 6
    colleague = make_clerk("li")
    taken = client.post(f"/api/windows/{other.pk}/sign-in", HTTP_AUTHORIZATION=f"Bearer {issue_token(colleague)}")
    assert taken.status_code == 409 and "huang" in taken.json()["detail"]


def test_staff_of_another_hall_cannot_sign_in(client, clerk, window, district):
    from django.contrib.auth.models import User

    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Hall

    pinghu = Hall.objects.create(district=district, code="pinghu", name="平湖", kind="subdistrict")
    outsider = User.objects.create_user("outsider")
    StaffProfile.objects.create(user=outsider).halls.add(pinghu)
    response = client.post(f"/api/windows/{window.pk}/sign-in", HTTP_AUTHORIZATION=f"Bearer {issue_token(outsider)}")
    assert response.status_code == 403


def test_appointments_through_the_api(client, clerk, freeze):
    freeze("2017-12-08 10:00")
    slots = client.get(
        "/api/halls/longgang-district/appointment-slots", {"item": "fire-acceptance", "date": "2017-12-08"}
    ).json()
    evening = next(s for s in slots if s["start"].startswith("2017-12-08T18:30"))
    booked = client.post(
        "/api/halls/longgang-district/appointments",
        {
            "item": "fire-acceptance",
            "slot_start": evening["start"],
            "name": "黄女士",
            "id_number": "34052419800101001X",
            "phone": "13800138000",
        },
        content_type="application/json",
    )
    assert booked.status_code == 201
    reference, token = booked.json()["reference"], booked.json()["token"]
    assert client.get(f"/api/appointments/{reference}", HTTP_X_VISITOR_TOKEN=token).json()["status"] == "booked"
    # A wrong token and an unknown reference: the same answer.
    wrong = client.get(f"/api/appointments/{reference}", HTTP_X_VISITOR_TOKEN="wrong")
    unknown = client.get("/api/appointments/Y1208000000", HTTP_X_VISITOR_TOKEN="wrong")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    freeze("2017-12-08 18:35")
    checked = client.post(
        f"/api/appointments/{reference}/check-in", content_type="application/json", HTTP_X_VISITOR_TOKEN=token
    )
    assert checked.status_code == 201 and checked.json()["priority"] == "appointment"
    bad_date = client.get(
        "/api/halls/longgang-district/appointment-slots", {"item": "fire-acceptance", "date": "2017-02-30"}
    )
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "date"


def test_a_clerks_call_reads_its_standing_with_the_token_and_writes_the_change_in_one_statement(
    client, clerk, window, staff_headers, statements
):
    """Issue 15: the token's user comes with the clerk's groups and halls, the window from the reference data
    (no query of their own), the clerk's standing there (duty, ticket at the window, last calls) in one
    statement, then the next ticket; on PostgreSQL the ticket's change, its event and the hall's version (with
    its NOTIFY) are one statement."""
    from django.db import connection

    take(client)
    with statements() as sql:
        called = client.post(f"/api/windows/{window.pk}/call-next", **staff_headers)
    assert called.status_code == 200 and called.json()["status"] == "called"
    assert sum("auth_group" in s for s in sql) == 1 and "accounts_apitoken" in next(s for s in sql if "auth_group" in s)
    assert not any('"halls_window"."number"' in s for s in sql)
    reads = [s for s in sql if s.startswith("SELECT") and "accounts_apitoken" not in s]
    assert len(reads) == 2 and all(table in reads[0] for table in ('"shifts_duty"', '"tickets_ticketevent"'))
    writes = [s for s in sql if s.startswith(("UPDATE", "INSERT", "WITH")) and "accounts_apitoken" not in s]
    if connection.vendor == "postgresql":
        (write,) = writes
        assert all(part in write for part in ('UPDATE "tickets_ticket"', "tickets_ticketevent", "tickets_hallversion"))
        assert "pg_notify" in write
    else:
        assert [s.split()[:3] for s in writes] == [
            ["UPDATE", '"tickets_ticket"', "SET"],
            ["INSERT", "INTO", '"tickets_ticketevent"'],
            ["INSERT", "INTO", '"tickets_hallversion"'],
        ]


def test_a_clerks_key_on_a_ticket_reads_it_once_locked_and_an_unknown_one_is_404(
    client, clerk, window, staff_headers, statements
):
    from django.db import connection

    take(client)
    called = client.post(f"/api/windows/{window.pk}/call-next", **staff_headers).json()
    with statements() as sql:
        done = client.post(f"/api/tickets/{called['id']}/complete", **staff_headers)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    reads = [s for s in sql if s.startswith('SELECT "tickets_ticket"."id"')]
    assert len(reads) == 1 and (connection.vendor != "postgresql" or "FOR UPDATE" in reads[0])
    for action in ("complete", "recall", "rejoin"):
        missing = client.post(f"/api/tickets/{called['id'] + 1000}/{action}", **staff_headers)
        assert missing.status_code == 404 and str(called["id"] + 1000) in missing.json()["detail"]
