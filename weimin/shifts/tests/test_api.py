import pytest

from weimin.accounts.actions import issue_token
from weimin.cases.tests.conftest import ADULT
from weimin.core import clock
from weimin.halls.models import Window
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


def test_sign_out_with_a_successor_and_acknowledge(client, clerk, window, hall, item, make_clerk, manager):
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    li = make_clerk("li", other)
    li.staff_profile.skills.add(item)
    me = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}
    them = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(li)}"}
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    case = client.post(
        f"/api/tickets/{ticket.pk}/case", {"name": "张先生", "id_number": ADULT}, content_type="application/json", **me
    ).json()
    nobody = client.post(
        f"/api/windows/{window.pk}/sign-out", {"successor": "ghost"}, content_type="application/json", **me
    )
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "successor"
    handover = client.post(
        f"/api/windows/{window.pk}/sign-out", {"successor": "li"}, content_type="application/json", **me
    ).json()
    assert handover["successor"] == "li" and handover["acknowledged"] is False
    assert [(i["kind"], i["label"]) for i in handover["items"]] == [("ticket", ticket.number), ("case", case["number"])]
    assert client.get("/api/handovers?state=open", **them).json() == []  # the managers' list, not a clerk's
    manager = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(manager)}"}
    assert [h["id"] for h in client.get("/api/handovers?state=open", **manager).json()] == [handover["id"]]
    assert client.post(f"/api/handovers/{handover['id']}/acknowledge", **me).status_code == 403
    done = client.post(f"/api/handovers/{handover['id']}/acknowledge", **them).json()
    assert done["acknowledged"] is True
    assert client.get("/api/handovers?state=open", **manager).json() == []


def test_sign_out_to_the_hall_stays_open_until_taken(client, clerk, window, hall, item, manager):
    me = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    handover = client.post(
        f"/api/windows/{window.pk}/sign-out", {"to_hall": True}, content_type="application/json", **me
    ).json()
    assert handover["successor"] is None and [i["to_hall"] for i in handover["items"]] == [True]
    manager = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(manager)}"}
    assert [h["id"] for h in client.get("/api/handovers?state=open", **manager).json()] == [handover["id"]]
    ticket_actions.cancel_ticket(ticket, clock.now())  # the visitor gives up: nothing of it is open
    assert client.get("/api/handovers?state=open", **manager).json() == []


def test_rating_and_follow_ups_through_the_api(client, clerk, window, hall, item, manager):
    issued = ticket_actions.issue_ticket(hall, item, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    assert (
        client.post(
            f"/api/tickets/{issued.ticket.pk}/rating",
            {"level": 5},
            HTTP_X_VISITOR_TOKEN=issued.token,
            content_type="application/json",
        ).status_code
        == 409
    )  # not served yet
    ticket_actions.complete(clerk, issued.ticket, clock.now())
    bad = client.post(
        f"/api/tickets/{issued.ticket.pk}/rating", {"level": 9, "token": issued.token}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "level"
    rated = client.post(
        f"/api/tickets/{issued.ticket.pk}/rating",
        {"level": 1, "comment": "等太久", "token": issued.token},
        content_type="application/json",
    )
    assert rated.status_code == 201 and rated.json()["follow_up"] is True
    assert client.get("/api/follow-ups?state=open", HTTP_AUTHORIZATION=f"Bearer {issue_token(clerk)}").json() == []
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(manager)}"}
    open_ones = client.get("/api/follow-ups?state=open", **headers).json()
    assert [f["comment"] for f in open_ones] == ["等太久"]
