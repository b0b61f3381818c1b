"""The campaign API and the progress command, as the issue specifies them."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from weimin.accounts.actions import issue_token
from weimin.campaign.models import Contact, Task
from weimin.core.integrity import all_problems

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_projects_and_owners(client, household, people, make_staff):
    listed = client.get("/api/campaign/projects", **bearer(make_staff("he", "river_office", halls=[]))).json()
    assert [p["code"] for p in listed] == ["mugu"] and listed[0]["households"]["not_contacted"] == 1
    owners = client.get("/api/campaign/projects/mugu/owners", **bearer(people["zhao"])).json()
    assert [o["phone"] for o in owners] == ["13800138000", "13900139000"]
    assert owners[0]["id_number"] == "340524********001X" and "13800138000" not in owners[0]["owner"]
    assert client.get("/api/campaign/projects/mugu/owners", **bearer(make_staff("he2", "river_office", halls=[]))
                      ).status_code == 403  # fmt: skip


def test_a_call_by_api_returns_the_call_and_its_task_once(client, household, people):
    body = {"project": "mugu", "phone": "13800138000", "direction": "in", "outcome": "missed", "purpose": "other",
            "note": "未接"}  # fmt: skip
    headers = {**bearer(people["wang"]), "HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = client.post("/api/campaign/calls", body, content_type="application/json", **headers)
    again = client.post("/api/campaign/calls", body, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    answer = first.json()
    assert answer["call"]["household"] == household.token and answer["call"]["phone"] == "138****8000"
    assert answer["task"]["kind"] == "callback" and answer["task"]["due_at"].startswith("2017-12-08T11:30")
    assert Contact.objects.count() == 1 and Task.objects.count() == 1
    unknown = client.post("/api/campaign/calls", {**body, "phone": "13012345678"}, content_type="application/json",
                          **bearer(people["wang"])).json()  # fmt: skip
    assert unknown["call"]["unknown_caller"] and unknown["task"]["kind"] == "callback"
    bad = client.post("/api/campaign/calls", {**body, "phone": "abc"}, content_type="application/json",
                      **bearer(people["wang"]))  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"


def test_progress_command_has_exactly_the_issues_keys(household, people, project):
    out = StringIO()
    call_command("campaign", "progress", "--project", "mugu", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    assert list(figures) == ["project", "target_area_m2", "cleared_area_m2", "deadline", "required_daily_m2",
                             "households", "signing_rate_households", "signing_rate_area", "open_callbacks",
                             "overdue_tasks"]  # fmt: skip
    assert figures["required_daily_m2"] == round(1000 / 24, 2) and figures["deadline"] == "2017-12-31"
    assert not [p for p in all_problems() if p["check"].startswith("campaign")]


def test_the_escalate_command_marks_overdue_tasks_once(household, people, project, freeze):
    from weimin.campaign import actions
    from weimin.core import clock

    task = actions.log_contact(people["wang"], project, clock.now(), channel="phone", direction="in", outcome="missed",
                               purpose="other", household=household).task  # fmt: skip
    freeze("2017-12-08 19:45")
    # overdue and nobody told: the escalation job is not running
    assert [p["check"] for p in all_problems() if p.get("overdue")] == ["campaign_callback_waiting"]
    out = StringIO()
    call_command("campaign", "escalate", stdout=out)
    call_command("campaign", "escalate", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("1 ") and out.getvalue().splitlines()[1].startswith("0 ")
    task.refresh_from_db()
    assert task.escalated_at == clock.now()
    assert not [p for p in all_problems() if p["check"].startswith("campaign")]  # the leader knows


def test_an_outsider_is_refused_before_any_project_or_owner_is_looked_up(client, household, make_staff):
    """A clerk or the river office probing codes and tokens learns nothing: 403, not 404 or 422."""
    body = {"project": "no-such", "owner": "guess", "direction": "in", "outcome": "missed", "purpose": "other"}
    for role in ("window_staff", "river_office"):
        headers = bearer(make_staff(f"x-{role}", role, halls=[]))
        assert client.post("/api/campaign/calls", body, content_type="application/json", **headers).status_code == 403
        assert client.get("/api/campaign/projects/no-such/owners", **headers).status_code == 403


def test_a_bad_body_is_refused_in_chinese_naming_each_field(client, household, people):
    """Pydantic's own refusals (missing, too long, not one of, out of range) were English."""
    body = {"project": "mugu", "phone": "1" * 21, "direction": "sideways", "purpose": "other"}
    answer = client.post("/api/campaign/calls", body, content_type="application/json", **bearer(people["wang"]))
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert answer.status_code == 422 and errors == {
        "phone": "最多20个字", "direction": "须为以下之一：'in'、'out'", "outcome": "为必填项",
    }  # fmt: skip
