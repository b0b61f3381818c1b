import pytest

from weimin.calendars.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_list_and_detail_halls(client, hall, window):
    halls = client.get("/api/halls").json()
    assert halls == [
        {"code": "longgang-district", "name": "龙岗区行政服务大厅", "kind": "district", "address": "", "phone": ""}
    ]
    detail = client.get("/api/halls/longgang-district").json()
    assert detail["windows"] == 1 and detail["ticket_cutoff_minutes"] == 30


def test_hall_items_and_item_with_materials(client, hall, window, item):
    items = client.get("/api/halls/longgang-district/items").json()
    assert [i["code"] for i in items] == ["fire-acceptance"]
    assert items[0]["ticket_prefix"] == "B"
    detail = client.get("/api/items/fire-acceptance").json()
    assert [m["name"] for m in detail["materials"]] == ["建设工程消防验收申报表", "消防产品质量合格证明文件", "委托书"]
    assert detail["materials"][1]["tolerance_eligible"] is True
    assert detail["materials"][2]["required"] is False


def test_hours_for_a_date(client, hall):
    body = client.get("/api/halls/longgang-district/hours?date=2017-12-08").json()
    assert body == {
        "date": "2017-12-08",
        "open": True,
        "reason": "workday",
        "note": "",
        "provisional": False,
        "sessions": [
            {"start": "09:00", "end": "12:00", "last_ticket": "11:30"},
            {"start": "14:00", "end": "19:30", "last_ticket": "19:00"},
        ],
    }
    holiday = client.get("/api/halls/longgang-district/hours?date=2026-10-01").json()
    assert holiday["open"] is False and holiday["sessions"] == [] and holiday["reason"] == "holiday"


def test_hours_default_to_today_on_weimin_clock(client, hall, freeze):
    freeze("2017-10-21 10:00")  # the last Saturday before the extension
    body = client.get("/api/halls/longgang-district/hours").json()
    assert body["date"] == "2017-10-21" and body["open"] is False and body["reason"] == "weekend"


def test_hours_for_an_unpublished_year_are_the_weekly_schedule_marked_provisional(client, hall):
    body = client.get("/api/halls/longgang-district/hours?date=2027-01-04").json()
    assert body["open"] is True and body["provisional"] is True
    CalendarYear.objects.create(year=2027)
    body = client.get("/api/halls/longgang-district/hours?date=2027-01-04").json()
    assert body["open"] is True and body["provisional"] is False


@pytest.mark.parametrize("bad", ["2017-13-01", "yesterday", "2017-02-30", ""])
def test_bad_date_is_a_422_naming_the_parameter(client, hall, bad):
    response = client.get(f"/api/halls/longgang-district/hours?date={bad}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["date"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/halls/nowhere", "nowhere"),
        ("/api/halls/nowhere/items", "nowhere"),
        ("/api/halls/nowhere/hours", "nowhere"),
        ("/api/items/nothing", "nothing"),
        ("/api/calendar/add-working-days?from=2026-09-30&days=1&hall=zz", "zz"),
    ],
)
def test_unknown_codes_are_404_with_a_json_message(client, hall, url, code):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert code in response.json()["detail"]


def test_add_working_days(client, hall):
    response = client.get("/api/calendar/add-working-days?from=2026-09-30&days=3")
    assert response.status_code == 200
    assert response.json()["date"] == "2026-10-10"
    per_hall = client.get("/api/calendar/add-working-days?from=2017-12-08&days=1&hall=longgang-district")
    assert per_hall.json()["date"] == "2017-12-11"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-09-31&days=1", "from"),
        ("from=2026-09-30&days=-1", "days"),
        ("from=2026-09-30&days=x", "days"),
        ("days=1", "from"),
        ("from=2026-09-30", "days"),
        ("from=2026-09-30&days=100000", "days"),
    ],
)
def test_add_working_days_errors_name_the_parameter(client, query, field):
    response = client.get(f"/api/calendar/add-working-days?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_add_working_days_into_an_unpublished_year(client):
    response = client.get("/api/calendar/add-working-days?from=2026-12-20&days=30")
    assert response.status_code == 422
    assert "2027" in response.json()["detail"]


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/openapi.json").json()
    for path in [
        "/api/halls",
        "/api/halls/{code}",
        "/api/halls/{code}/items",
        "/api/items/{code}",
        "/api/halls/{code}/hours",
        "/api/calendar/add-working-days",
    ]:
        assert path in schema["paths"]
    assert client.get("/api/docs").status_code == 200
