"""Issue 9, item 8: each input that used to end in a 5xx (on PostgreSQL in particular) is now refused
with an answer naming what is wrong. Runs on both databases (`make test`)."""

import json

import pytest
from django.test import Client

from weimin.accounts.actions import issue_token
from weimin.cases.tests.conftest import ADULT

pytestmark = pytest.mark.django_db


def post_json(client, path, body, **headers):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, text, content_type="application/json", **headers)


def field_of(response) -> str:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    return response.json()["errors"][0]["field"]


@pytest.fixture
def staff(clerk):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}


@pytest.mark.parametrize("bad", ["\\ud800", "\\udfff", "a\\u0000b"])
def test_lone_surrogates_and_nul_in_json_strings_are_422_naming_the_field(client, hall, item, bad):
    booking = {"item": item.code, "slot_start": "2017-12-11T09:00:00+08:00", "id_number": ADULT,
               "phone": "13800138000"}  # fmt: skip
    response = post_json(
        client, f"/api/halls/{hall.code}/appointments", json.dumps(booking)[:-1] + f', "name": "{bad}"}}'
    )
    assert field_of(response) == "name"
    response = post_json(client, f"/api/halls/{hall.code}/tickets", f'{{"item": "{item.code}", "phone": "{bad}"}}')
    assert field_of(response) == "phone"


def test_a_case_with_a_nul_or_a_surrogate_in_the_name_is_refused(client, at_window, staff):
    for bad in ("张\\u0000三", "张\\ud83d"):
        body = f'{{"name": "{bad}", "id_number": "{ADULT}", "materials": []}}'
        assert field_of(post_json(client, f"/api/tickets/{at_window.pk}/case", body, **staff)) == "name"


def test_nul_in_an_api_path_or_query_is_422_even_anonymously(client, db):
    assert field_of(client.get("/api/cases/%00")) == "path"
    assert field_of(client.get("/api/halls/longgang%00/hours")) == "path"
    assert (
        field_of(client.get("/api/calendar/add-working-days", {"from": "2017-12-08", "days": "1", "hall": "a\x00"}))
        == "hall"
    )


def test_nul_in_a_page_path_or_form_is_a_400_page(client, hall):
    page = client.get("/halls/%00/")
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
    assert "空字符" in page.content.decode()  # says what was wrong, in Chinese
    form = client.post(f"/halls/{hall.code}/kiosk/check-in/", {"reference": "AB\x00CD", "id_number": ADULT})
    assert form.status_code == 400
    assert client.get("/cases/status/", {"number": "\x00"}).status_code == 400


def test_text_longer_than_its_column_is_422_not_a_database_error(client, hall, item, at_window, staff):
    """SQLite stored a 10,000-character name silently; PostgreSQL answered 500."""
    booking = {"item": item.code, "slot_start": "2017-12-11T09:00:00+08:00", "name": "张" * 10_000,
               "id_number": ADULT, "phone": "13800138000"}  # fmt: skip
    assert field_of(post_json(client, f"/api/halls/{hall.code}/appointments", booking)) == "name"
    case = {
        "name": "王" * 81,
        "id_number": ADULT,
        "materials": [{"material": "x", "state": "present", "note": "n" * 201}],
    }
    assert field_of(post_json(client, f"/api/tickets/{at_window.pk}/case", case, **staff)) in {
        "name",
        "materials.0.note",
    }


@pytest.mark.parametrize(
    "slot_start",
    ["0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59"],
)
def test_a_slot_near_year_one_or_9999_is_422_not_an_overflow(client, hall, item, slot_start):
    booking = {"item": item.code, "slot_start": slot_start, "name": "张三", "id_number": ADULT, "phone": "13800138000"}
    assert field_of(post_json(client, f"/api/halls/{hall.code}/appointments", booking)) == "slot_start"


def test_the_booking_page_refuses_year_one_with_a_form_error(client, hall, item, freeze):
    freeze("2017-12-08 18:30")
    item.appointment_allowed = True
    item.save()
    page = client.post(
        f"/halls/{hall.code}/appointments/?item={item.code}",
        {"slot_start": "0001-01-01 00:00", "name": "张三", "id_number": ADULT, "phone": "13800138000"},
    )
    assert page.status_code == 200 and "1900" in page.content.decode()


def test_ids_and_counts_out_of_range_are_422(client, db):
    assert field_of(client.get(f"/api/tickets/{2**70}")) == "ticket_id"
    assert field_of(client.get("/api/calendar/add-working-days", {"from": "2017-12-08", "days": 10**9})) == "days"
    assert field_of(client.get("/api/calendar/add-working-days", {"from": "9999-12-31", "days": 1})) == "from"


def test_a_body_over_the_limit_answers_json_413(client, hall):
    response = post_json(client, f"/api/halls/{hall.code}/tickets", '{"item": "' + "x" * 3_000_000 + '"}')
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "KB" in response.json()["detail"]


def test_api_errors_outside_any_route_answer_json(db, monkeypatch):
    """A crash in an API view answers the API's JSON, not Django's HTML page (and is logged)."""
    from weimin.halls import api as halls_api

    def broken(code):
        raise RuntimeError("boom")

    monkeypatch.setattr(halls_api, "hall_or_404", broken)
    response = Client(raise_request_exception=False).get("/api/halls/longgang-district")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_material_listed_twice_is_422_not_an_integrity_error(client, at_window, item, staff):
    """Found by the fuzz run: the same material twice (by name, or by id and by name) broke the
    checklist's unique constraint."""
    first = item.materials.order_by("position").first()
    case = post_json(client, f"/api/tickets/{at_window.pk}/case", {"name": "张三", "id_number": ADULT}, **staff)
    assert case.status_code == 201, case.content
    twice = [{"material": first.name, "state": "present"}, {"material": str(first.pk), "state": "missing"}]
    decided = post_json(client, f"/api/cases/{case.json()['number']}/decision", {"decision": "correction",
                        "materials": twice}, **staff)  # fmt: skip
    assert field_of(decided) == "materials[1].material"
    opened = post_json(client, f"/api/tickets/{at_window.pk}/case", {"name": "李四", "id_number": ADULT,
                       "materials": [twice[0], twice[0]]}, **staff)  # fmt: skip
    assert opened.status_code in (409, 422)
