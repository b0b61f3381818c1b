"""The analytics API: the same figures as the pages, for whoever may see them (the Friday of ``conftest``)."""

import pytest

from weimin.accounts.actions import issue_token


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_summary_of_the_district_and_of_a_hall(client, friday, office, hall):
    district = client.get("/api/analytics/summary?from=2017-12-08&to=2017-12-08", **bearer(office))
    assert district.status_code == 200
    body = district.json()
    assert (body["hall"], body["from"], body["to"]) == (None, "2017-12-08", "2017-12-08")
    assert body["figures"]["visits"] == 4 and body["figures"]["mean_wait_minutes"] == pytest.approx(10.5)
    one = client.get(f"/api/analytics/summary?from=2017-12-08&to=2017-12-08&hall={hall.code}", **bearer(office))
    assert one.json()["figures"]["visits"] == 3
    assert one.json()["figures"]["evening_share"] == pytest.approx(1 / 3)


def test_breakdown_by_hall_adds_up_to_the_district(client, friday, office):
    body = client.get("/api/analytics/breakdown?by=hall&from=2017-12-08&to=2017-12-08", **bearer(office)).json()
    assert [(g["label"], g["figures"]["visits"]) for g in body["groups"]] == [
        ("龙岗区行政服务大厅", 3), ("平湖街道行政服务中心", 1),
    ]  # fmt: skip
    assert body["figures"]["visits"] == sum(g["figures"]["visits"] for g in body["groups"])
    by_hour = client.get("/api/analytics/breakdown?by=hour&from=2017-12-08&to=2017-12-08", **bearer(office)).json()
    issued = {g["key"]: g["figures"]["issued"] for g in by_hour["groups"] if g["figures"]["issued"]}
    assert issued == {"9": 3, "18": 2}  # the hours between count open windows only


def test_who_may_ask(client, friday, manager, hall):
    assert client.get("/api/analytics/summary?from=2017-12-08&to=2017-12-08").status_code == 401
    mine = client.get(f"/api/analytics/summary?from=2017-12-08&to=2017-12-08&hall={hall.code}", **bearer(manager))
    assert mine.status_code == 200
    other = client.get("/api/analytics/summary?from=2017-12-08&to=2017-12-08&hall=pinghu", **bearer(manager))
    assert other.status_code == 403
    district = client.get("/api/analytics/summary?from=2017-12-08&to=2017-12-08", **bearer(manager))
    assert district.status_code == 403 and district.json()["errors"][0]["field"] == "hall"
    clerk = client.get(f"/api/analytics/summary?from=2017-12-08&to=2017-12-08&hall={hall.code}", **bearer(friday))
    assert clerk.status_code == 403
    unknown = client.get("/api/analytics/summary?from=2017-12-08&to=2017-12-08&hall=nowhere", **bearer(manager))
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=day&from=2017-12-32&to=2017-12-08", "from"),
        ("by=day&from=2017-12-08", "to"),
        ("by=day&from=2017-12-08&to=2017-12-01", "to"),
        ("by=day&from=2010-01-01&to=2017-12-01", "to"),
        ("by=day&from=2017-12-08&to=2017-12-08&hall=" + "x" * 41, "hall"),
        ("by=planet&from=2017-12-08&to=2017-12-08", "by"),
    ],
)
def test_errors_name_the_field(client, office, query, field):
    response = client.get(f"/api/analytics/breakdown?{query}", **bearer(office))
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
