import pytest

from weimin.accounts.actions import issue_token
from weimin.cases.tests.conftest import ADULT

pytestmark = pytest.mark.django_db

ALL_PRESENT = [{"material": "建设工程消防验收申报表", "state": "present"},
               {"material": "消防产品质量合格证明文件", "state": "present"},
               {"material": "委托书", "state": "present"}]  # fmt: skip


@pytest.fixture
def headers(clerk):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_case_life_through_the_api(client, at_window, headers, approver):
    opened = post(
        client,
        f"/api/tickets/{at_window.pk}/case",
        {
            "name": "张先生",
            "id_number": ADULT,
            "phone": "13800138000",
            "materials": [{"material": "建设工程消防验收申报表", "state": "missing"}],
        },
        headers,
    )
    assert opened.status_code == 201
    number = opened.json()["number"]
    assert opened.json()["id_number"] == ADULT  # the clerk handling it sees the whole number
    decided = post(
        client, f"/api/cases/{number}/decision", {"decision": "correction", "materials": ALL_PRESENT[1:]}, headers
    )
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "awaiting_supplement"
    assert [m["name"] for m in body["missing"]] == ["建设工程消防验收申报表"]
    assert body["notices"][0]["kind"] == "correction"
    # The citizen: the notice's link (its token, in a header), or the case number and the whole ID number.
    token = body["access_token"]
    assert body["access_url"] == f"/cases/s/{token}/"
    assert client.get(f"/api/cases/{number}").status_code == 404
    mine = client.get(f"/api/cases/{number}", HTTP_X_VISITOR_TOKEN=token)
    assert mine.status_code == 200 and mine.json()["id_number"] == "340524********001X"
    assert mine.json()["notices"][0]["url"].startswith(f"/cases/s/{token}/notices/")
    typed = post(client, f"/api/cases/{number}/lookup", {"id_number": ADULT.lower()}, {})
    assert typed.status_code == 200 and typed.json()["status"] == "awaiting_supplement"
    fast = post(client, f"/api/cases/{number}/resubmit", {"id_number": ADULT}, {})
    assert fast.status_code == 201 and fast.json()["priority"] == "resubmission"
    accepted = post(
        client, f"/api/cases/{number}/decision", {"decision": "accept", "materials": ALL_PRESENT[:1]}, headers
    )
    assert accepted.json()["status"] == "processing" and accepted.json()["promised_due"] == "2017-12-29"
    approving = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(approver)}"}
    for status, extra in [("concluded", {"result": "approved"}), ("ready", {})]:
        assert post(client, f"/api/cases/{number}/status", {"status": status, **extra}, headers).status_code == 403
        assert post(client, f"/api/cases/{number}/status", {"status": status, **extra}, approving).status_code == 200
    picked = post(client, f"/api/cases/{number}/pickup", {"collector_id_number": ADULT}, headers)
    assert picked.json()["status"] == "delivered"
    assert [h["action"] for h in picked.json()["history"]] == [
        "opened", "decided:correction", "resubmission_ticket", "decided:accept", "status:concluded", "status:ready",
        "delivered:window",
    ]  # fmt: skip


def test_errors_name_the_field_or_transition_and_write_nothing(client, at_window, headers):
    from weimin.cases.models import Case

    bad_id = post(
        client, f"/api/tickets/{at_window.pk}/case", {"name": "张先生", "id_number": "340524198001010013"}, headers
    )
    assert bad_id.status_code == 422 and bad_id.json()["errors"][0]["field"] == "id_number"
    unknown = post(
        client,
        f"/api/tickets/{at_window.pk}/case",
        {"name": "张先生", "id_number": ADULT, "materials": [{"material": "护照", "state": "present"}]},
        headers,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "materials[0].material"
    assert not Case.objects.exists()  # nothing half-written
    number = post(client, f"/api/tickets/{at_window.pk}/case", {"name": "张先生", "id_number": ADULT}, headers).json()[
        "number"
    ]
    illegal = post(client, f"/api/cases/{number}/status", {"status": "ready"}, headers)
    assert illegal.status_code == 409 and illegal.json()["errors"][0]["field"] == "transition"
    assert client.get("/api/cases/nope").status_code == 404


@pytest.mark.parametrize(
    ("value", "valid", "reason"),
    [
        ("11010519491231002X", True, ""),
        ("340524198001010013", False, "最后一位与前面的数字不符"),
        ("123", False, "应为 18 位"),
    ],
)
def test_validate_id_number(client, value, valid, reason):
    body = client.post("/api/validate/id-number", {"value": value}, content_type="application/json").json()
    assert body["valid"] is valid and reason in body["reason"]
    if valid:
        assert body["birth_date"] == "1949-12-31" and body["sex"] == "female"


def validate(client, kind: str, value: str) -> dict:
    return client.post(f"/api/validate/{kind}", {"value": value}, content_type="application/json").json()


def test_validate_credit_code(client):
    assert validate(client, "credit-code", "91350100M000100Y43") == {
        "valid": True,
        "reason": "",
        "birth_date": None,
        "sex": None,
    }
    reason = validate(client, "credit-code", "91350100M000100Y44")["reason"]
    assert "最后一位与前面的数字不符" in reason and "3" not in reason  # the right check character is never told


def test_the_id_number_is_checked_against_the_date_in_beijing(client, freeze):
    """At 07:30 in Beijing it is still yesterday in UTC: a baby born today has a valid number."""
    from weimin.core.identity import id_check_char

    freeze("2017-12-08 07:30")
    first17 = "44030720171208002"
    body = validate(client, "id-number", first17 + id_check_char(first17))
    assert body["valid"] is True and body["birth_date"] == "2017-12-08"
    tomorrow = "44030720171209002"
    assert validate(client, "id-number", tomorrow + id_check_char(tomorrow))["valid"] is False


def test_missing_lists_the_gaps_only(client, at_window, headers):
    """An optional material left out is no gap: the correction notice does not list it, nor does "missing"."""
    number = post(client, f"/api/tickets/{at_window.pk}/case", {"name": "张先生", "id_number": ADULT}, headers).json()[
        "number"
    ]
    materials = [{"material": "建设工程消防验收申报表", "state": "non_compliant"},
                 {"material": "消防产品质量合格证明文件", "state": "present"},
                 {"material": "委托书", "state": "missing"}]  # fmt: skip
    body = post(
        client, f"/api/cases/{number}/decision", {"decision": "correction", "materials": materials}, headers
    ).json()
    assert [m["name"] for m in body["missing"]] == ["建设工程消防验收申报表"]
    assert len(body["materials"]) == 3
