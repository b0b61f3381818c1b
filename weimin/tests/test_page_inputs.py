"""Issue 9, item 8 for pages: every form and query a page reads answers a page (or a redirect) for odd
input — overlong text, NUL, huge or negative numbers, dates at the ends of the calendar — never a 5xx.
Runs on both databases (`make test`)."""

import pytest
from django.test import Client

from weimin.cases.tests.conftest import ADULT
from weimin.core import clock

pytestmark = pytest.mark.django_db

ODD = ["", "\x00", "x" * 5000, "张" * 300, "-1", "0", "99999999999999999999999", "1e9", "abc", "0001-01-01",
       "9999-12-31 23:59", "2017-02-30", " ", "<script>alert(1)</script>", "%00", "../../etc/passwd"]  # fmt: skip


def forms(hall, item, window, ticket_token):
    """(url, fields, method) for every page that reads input."""
    code = hall.code
    return [
        (f"/halls/{code}/kiosk/items/{item.code}/", ["id_number", "phone", "priority"], "post"),
        (f"/halls/{code}/kiosk/check-in/", ["reference", "link", "id_number"], "post"),
        (f"/halls/{code}/kiosk/resubmit/", ["link", "number", "id_number"], "post"),
        (f"/halls/{code}/appointments/?item={item.code}", ["slot_start", "name", "id_number", "phone"], "post"),
        (f"/halls/{code}/appointments/", ["item", "date"], "get"),
        (f"/halls/{code}/display/feed", ["after"], "get"),
        (f"/halls/{code}/hours/", ["date"], "get"),
        ("/cases/status/", ["number", "id_number"], "post"),
        ("/cases/status/", ["number"], "get"),
        (f"/t/{ticket_token}/rate", ["level", "comment"], "post"),
        (f"/halls/{code}/windows/{window.number}/rate/", ["level", "comment", "ticket"], "post"),
        (f"/console/{window.pk}/sign-out", ["successor"], "post"),
        (f"/console/{window.pk}/transfer", ["item", "window"], "post"),
        (f"/console/{window.pk}/case/", ["name", "id_number", "credit_code", "phone", "reason", "decision", "kind"],
         "post"),
        ("/login/", ["username", "password"], "post"),
    ]  # fmt: skip


def test_odd_values_in_every_page_form_never_answer_5xx(hall, item, window, clerk, at_window):
    from weimin.tickets import actions

    issued = actions.issue_ticket(hall, item, clock.now())
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    failures = []
    for url, fields, method in forms(hall, item, window, issued.token):
        for field in fields:
            for value in ODD:
                data = {name: (value if name == field else ADULT if name == "id_number" else "1") for name in fields}
                response = getattr(client, method)(url, data)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {field}={value[:20]!r}: {response.status_code}")
    assert failures == []
