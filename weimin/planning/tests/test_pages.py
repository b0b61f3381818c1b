"""The planning page over HTTP: who may see and change what, the edit form's errors, the Excel export, the
run's status that reloads the page when the plan is ready."""

import io

import pytest
from openpyxl import load_workbook

from weimin.halls.models import Hall
from weimin.planning.models import PlanningRun, RosterShift, RosterStatus, RunStatus
from weimin.planning.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
PAGE = "/planning/halls/longgang-district/?week=2017-W49"


def test_the_manager_sees_the_roster_and_downloads_it(client, draft, manager):
    client.force_login(manager)
    page = client.get(PAGE)
    body = page.content.decode()
    assert page.status_code == 200 and "人员班次" in body and "批准为本周值班安排" in body
    assert client.get("/planning/").url == "/planning/halls/longgang-district/"
    sheet = client.get(PAGE + f"&roster={draft.pk}&download=roster&format=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("人员", "周一 12-04", "周二 12-05")
    assert {row[0] for row in rows[1:]} == {"huang", "li", "chen", "zhao"}


def test_the_office_reads_but_may_not_plan_and_a_clerk_may_not_see(client, draft, make_staff, clerks, district):
    office = make_staff("office", "district_office", halls=[])
    client.force_login(office)
    body = client.get(PAGE).content.decode()
    assert "人员班次" in body and "为本周排班" not in body and "批准为本周值班安排" not in body
    assert client.post("/planning/halls/longgang-district/plan", {"week": "2017-W49"}).status_code == 302
    assert PlanningRun.objects.count() == 1  # the manager's, not a second one
    client.force_login(clerks[0])
    assert client.get(PAGE).status_code == 403
    other = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅")
    assert client.get(f"/planning/halls/{other.code}/").status_code == 403
    assert client.get("/planning/halls/nowhere/").status_code == 404


BAD_EDITS = [
    ({"start": "9点", "end": "17:00"}, "请按 时:分 填写时间"),
    ({"start": "09:15", "end": "17:00"}, "整点或半点"),
    ({"start": "17:00", "end": "09:00"}, "结束时间须晚于开始时间"),
    ({"start": "09:00", "end": "17:00", "break_minutes": "45"}, "以半小时为单位"),
    ({"start": "07:00", "end": "21:00", "break_minutes": "60"}, "违反劳动规则"),
    ({"day": "2017-12-11", "start": "09:00", "end": "12:00"}, "不在本排班表的这一周内"),
    ({"staff": "999999", "start": "09:00", "end": "12:00"}, "请选择排班表中的人员"),
    ({"start": ""}, "请填写班次开始时间"),
]


def test_a_bad_edit_is_refused_in_words_and_changes_nothing(client, draft, manager, clerks):
    client.force_login(manager)
    before = list(RosterShift.objects.filter(roster=draft).values_list("user_id", "day", "start", "end"))
    for form, message in BAD_EDITS:
        data = {"staff": str(clerks[0].pk), "day": MONDAY.isoformat(), **form}
        page = client.post(f"/planning/halls/longgang-district/rosters/{draft.pk}/shift", data, follow=True)
        assert message in page.content.decode(), form
        assert list(RosterShift.objects.filter(roster=draft).values_list("user_id", "day", "start", "end")) == before


def test_a_day_off_and_an_approval_through_the_page(client, draft, manager, clerks):
    client.force_login(manager)
    url = f"/planning/halls/longgang-district/rosters/{draft.pk}"
    page = client.post(url + "/shift", {"staff": clerks[0].pk, "day": MONDAY.isoformat(), "off": "1"}, follow=True)
    assert "班次已保存" in page.content.decode()
    assert not RosterShift.objects.filter(roster=draft, user=clerks[0], day=MONDAY).exists()
    page = client.post(url + "/approve", follow=True)
    draft.refresh_from_db()
    assert draft.status == RosterStatus.APPROVED and "已批准" in page.content.decode()
    page = client.post(url + "/approve", follow=True)
    assert "只能批准草稿排班表" in page.content.decode()


def test_the_status_of_a_run_reloads_the_page_when_it_ends(client, hall, manager, recorded, clerks):
    client.force_login(manager)
    run = PlanningRun.objects.create(hall=hall, week_start=MONDAY, started_at=recorded, started_by=manager,
                                     progress="已找到排班方案：最优性差距 3.0%，用时 2 秒")  # fmt: skip
    status = client.get("/planning/halls/longgang-district/run?polling=1")
    assert status.status_code == 200 and "最优性差距 3.0%" in status.content.decode()
    assert 'hx-trigger="every 2s"' in status.content.decode()
    client.post(f"/planning/halls/longgang-district/runs/{run.pk}/stop")
    run.refresh_from_db()
    assert run.stop_requested
    PlanningRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    ended = client.get("/planning/halls/longgang-district/run?polling=1")
    assert ended.status_code == 204 and ended["HX-Refresh"] == "true"


def test_the_api_reads_the_rosters_of_a_week_and_one_roster(client, draft, manager, clerks):
    from weimin.accounts.actions import issue_token

    as_manager = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(manager)}"}
    found = client.get("/api/planning/rosters", {"hall": "longgang-district", "week": "2017-W49"}, **as_manager)
    assert [r["id"] for r in found.json()] == [draft.pk] and found.json()[0]["status"] == "draft"
    one = client.get(f"/api/planning/rosters/{draft.pk}", **as_manager).json()
    assert one["plan"]["solver"] == draft.plan["solver"] and len(one["shifts"]) == draft.shifts.count()
    assert (
        client.get("/api/planning/rosters", {"hall": "longgang-district", "week": "49"}, **as_manager).status_code
        == 422
    )
    as_clerk = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerks[0])}"}
    assert client.get(f"/api/planning/rosters/{draft.pk}", **as_clerk).status_code == 403
    assert client.get("/api/planning/rosters/999999", **as_manager).status_code == 404


def test_the_manager_may_let_shifts_start_freely(client, hall, manager, recorded, clerks, monkeypatch):
    from weimin.planning import actions, labour, plan, views

    started = []
    monkeypatch.setattr(views, "_in_background", started.append)
    client.force_login(manager)
    page = client.get("/planning/halls/longgang-district/?week=2017-W49").content.decode()
    assert 'name="free_starts"' in page and "任意半点" in page
    client.post("/planning/halls/longgang-district/plan", {"week": "2017-W49", "free_starts": "1"})
    (run,) = started
    assert run.free_starts
    roster = actions.run_planning(run, time_limit=5).roster
    patterns = {p.name for p in plan.shift_patterns(hall, plan.opening_days(hall, MONDAY))}
    shifts = list(roster.shifts.all())
    assert shifts and not {s.pattern for s in shifts} & patterns  # named by their hours: "09:00–17:00"
    assert all(s.start.minute in (0, 30) and s.end.minute in (0, 30) for s in shifts)
    members, _users = plan.inputs.staff_members(hall, MONDAY, recorded)
    found = plan.plan_week(hall, MONDAY, recorded, time_limit=5, free=True)
    assert labour.check_roster(found.roster.shifts, members, MONDAY, plan.labour_rules()) == []
