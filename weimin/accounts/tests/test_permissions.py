"""The permission matrix of docs/permissions.md, tried action by action with a person of every standing.

The table in the document is the source of these tests: it must equal the code's ``MATRIX``, every
action must have a row and a scenario here, and each scenario runs the real action (or page, or API
call) as someone of that standing, expecting exactly the document's ✓ and ·.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from weimin.accounts import actions as account_actions
from weimin.accounts.actions import issue_token
from weimin.accounts.choices import DeviceKind
from weimin.accounts.models import Device
from weimin.accounts.permissions import MATRIX, Action, Standing
from weimin.analytics import queries as analytics
from weimin.calendars import actions as calendars
from weimin.calendars.rules import parse_notice
from weimin.campaign import actions as campaign
from weimin.campaign.models import Household, Project, Team
from weimin.cases import actions as cases
from weimin.cases.actions import MaterialCheck
from weimin.cases.tests.conftest import ADULT
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.halls.models import Window
from weimin.planning import actions as planning
from weimin.planning.models import Roster
from weimin.ratings import actions as ratings
from weimin.rivers import actions as rivers
from weimin.rivers.models import MonitoringPoint, Reach, WaterBody
from weimin.shifts import actions as shifts
from weimin.shifts.models import ChecklistItem, CompTimeEntry, Duty, EveningChecklist
from weimin.tickets import actions as tickets
from weimin.tickets.models import Appointment, secret_hash

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR).parent / "docs" / "permissions.md"


def documented_matrix() -> dict[str, set[str]]:
    section = DOC.read_text().split("## The matrix", 1)[1].split("\n## ", 1)[0].splitlines()
    rows = [line for line in section if line.startswith("| `")]
    header = next(line for line in section if line.startswith("| action |"))
    columns = [cell.strip() for cell in header.strip("|").split("|")][1:]
    matrix = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        action = re.fullmatch(r"`(.+)`", cells[0]).group(1)
        matrix[action] = {column for column, cell in zip(columns, cells[1:], strict=True) if cell == "✓"}
    return matrix


DOCUMENTED = documented_matrix()


def test_the_document_is_the_matrix_the_code_enforces():
    assert {action.value: {s.value for s in standings} for action, standings in MATRIX.items()} == DOCUMENTED


class World:
    """A hall on the article's Friday evening: huang at window 5 serving a called ticket, window 6 free."""

    def __init__(self, hall, item, window, huang, ticket, make_staff, client):
        self.hall, self.item, self.window, self.huang, self.ticket = hall, item, window, huang, ticket
        self.make_staff, self.client = make_staff, client
        self.free_window = Window.objects.create(hall=hall, number=6)
        self.free_window.items.add(item)
        self.backoffice = make_staff("backoffice", "approver")

    def now(self):
        return clock.now()

    def case(self, **states):
        checks = [MaterialCheck(m.name, states.get(m.name[:2], "present")) for m in self.item.materials.all()]
        return cases.open_case(self.huang, self.ticket, self.now(), kind="person", name="张先生", id_number=ADULT,
                               phone="13800138000", materials=checks)  # fmt: skip

    def accepted_case(self):
        case = self.case()
        cases.decide(self.huang, case, self.now(), "accept")
        return case

    def api(self, who, method, path, **data):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(who)}"}
        call = getattr(self.client, method)
        return (
            call(path, data, content_type="application/json", **headers) if method == "post" else call(path, **headers)
        )

    def page(self, who, path):
        self.client.force_login(who)
        return self.client.get(path).status_code == 200


def acted(attempt) -> bool:
    """Whether the person was let through: refused for want of standing (or of the window concerned)
    is not; a refusal about the state of things, or a bad input, is past the door."""
    try:
        attempt()
    except NotPermitted:
        return False
    except Refused as refusal:
        return refusal.field != "window"
    except InvalidInput:
        return True
    return True


def _appointment(w):
    start = w.now() + timedelta(minutes=10)
    return Appointment.objects.create(hall=w.hall, item=w.item, reference="Y1208" + secrets.token_hex(3).upper(),
                                      slot_start=start, slot_end=start + timedelta(minutes=30), name="李女士",
                                      id_hash="x", id_masked="x", phone="13800138000",
                                      token_hash=secret_hash(secrets.token_urlsafe(8)), booked_at=w.now(),
                                      changed_at=w.now())  # fmt: skip


def _checklist_item(w):
    checklist = EveningChecklist.objects.create(hall=w.hall, session_start=w.now(), session_end=w.now(),
                                                opened_at=w.now())  # fmt: skip
    return ChecklistItem.objects.create(checklist=checklist, text="门禁延时开放")


def _waiting(w, **kwargs):
    return tickets.issue_ticket(w.hall, w.item, w.now(), **kwargs).ticket


def _concluded(w):
    case = w.accepted_case()
    return cases.set_status(w.backoffice, case, w.now(), "concluded", result="approved")


def _ready(w):
    return cases.set_status(w.backoffice, _concluded(w), w.now(), "ready")


def _follow_up(w):
    served = tickets.complete(w.huang, w.ticket, w.now())
    return ratings.rate_ticket(served, w.now(), level=1, comment="等太久").follow_up


# Each scenario prepares what the action needs (as the people whose work it is), then lets ``who`` try it.


def _call(who, w):
    tickets.complete(w.huang, w.ticket, w.now())
    _waiting(w)
    return acted(lambda: tickets.call_next(who, w.window, w.now()))


def _serve(who, w):
    return acted(lambda: tickets.complete(who, w.ticket, w.now()))


def _transfer_waiting(who, w):
    sent = _waiting(w, lane="resubmission", target_window=w.window)
    return acted(lambda: tickets.transfer(who, sent, w.now(), item=w.item))


def _rejoin(who, w):
    missed = tickets.mark_no_show(w.huang, w.ticket, w.now())
    return acted(lambda: tickets.rejoin(who, missed, w.now()))


def _cancel_for_visitor(who, w):
    return w.api(who, "post", f"/api/tickets/{_waiting(w).pk}/cancel").status_code == 200


def _read_ticket(who, w):
    return w.api(who, "get", f"/api/tickets/{w.ticket.pk}").status_code == 200


def _appointment_for_visitor(who, w):
    return w.api(who, "post", f"/api/appointments/{_appointment(w).reference}/cancel").status_code == 200


def _open(who, w):
    return acted(lambda: cases.open_case(who, w.ticket, w.now(), kind="person", name="张先生", id_number=ADULT))


def _decide(who, w):
    case = w.case()
    return acted(lambda: cases.decide(who, case, w.now(), "accept"))


def _supply(who, w):
    case = w.case(消防="missing")
    cases.decide(w.huang, case, w.now(), "accept_on_promise", promise_signed=True)
    product = w.item.materials.get(name__startswith="消防")
    return acted(lambda: cases.supply_promised(who, case, w.now(), [MaterialCheck(product.name, "present")]))


def _conclude(who, w):
    case = w.accepted_case()
    return acted(lambda: cases.set_status(who, case, w.now(), "concluded", result="approved"))


def _mark_ready(who, w):
    case = _concluded(w)
    return acted(lambda: cases.set_status(who, case, w.now(), "ready"))


def _extend(who, w):
    case = w.accepted_case()
    return acted(lambda: cases.extend(who, case, w.now(), approver="欧阳主任"))


def _pause(who, w):
    case = w.accepted_case()
    return acted(lambda: cases.pause(who, case, w.now(), kind="testing"))


def _deliver(who, w):
    case = _ready(w)
    return acted(lambda: cases.deliver(who, case, w.now(), method="post", tracking="EMS1"))


def _hand_over(who, w):
    case = w.case()
    return acted(lambda: cases.hand_over_case(who, case, None, w.now(), window=None, reason="sign_out"))


def _take(who, w):
    case = w.case()
    cases.hand_over_case(w.huang, case, None, w.now(), window=None, reason="sign_out")
    return acted(lambda: cases.take_case(who, case, w.now()))


def _read_case(who, w):
    return w.api(who, "get", f"/api/cases/{w.case().number}").status_code == 200


def _sign_in(who, w):
    held = Duty.objects.duty_of(who)
    return acted(lambda: shifts.sign_in(who, held.window if held else w.free_window, w.now()))


def _assign(who, w):
    task = _checklist_item(w)
    return acted(lambda: shifts.assign_item(who, task, w.huang, w.now()))


def _tick(who, w):
    task = _checklist_item(w)
    return acted(lambda: shifts.tick_item(who, task, w.now()))


def _take_off(who, w):
    CompTimeEntry.objects.create(user=w.huang, day=w.now().date(), minutes=600, recorded_at=w.now())
    return acted(lambda: shifts.take_time_off(who, w.huang, w.now().date(), 1, w.now()))


def _handle_follow_up(who, w):
    follow_up = _follow_up(w)
    return acted(lambda: ratings.record_contact(who, follow_up, w.now()))


def _read_follow_ups(who, w):
    _follow_up(w)
    return w.api(who, "get", "/api/follow-ups?state=open").json() != []


def _edit_staff(who, w):
    who.is_staff = True  # past the back office's door: what the role may see is the question
    who.save(update_fields=["is_staff"])
    w.client.force_login(who)
    page = w.client.get("/admin/accounts/staffprofile/")
    return page.status_code == 200 and "huang" in page.content.decode()


def _enroll(who, w):
    kiosk = Device(hall=w.hall, kind=DeviceKind.KIOSK, label="取号机 1")
    return acted(lambda: account_actions.add_device(who, kiosk, w.now()))


def _enter_calendar_year(who, w):
    rows, _ = parse_notice([["2027-01-01", "holiday", "元旦"]], 2027)
    return acted(lambda: calendars.enter_year(who, 2027, "国务院办公厅通知", rows, w.now()))


def _view_analytics(who, w):
    return acted(lambda: analytics.hall_for(who, w.hall.code))


def _plan_week(who, w):
    monday = w.now().date() - timedelta(days=w.now().weekday())
    return acted(lambda: planning.start_planning(who, w.hall, monday, w.now()))


def _approve_roster(who, w):
    roster = Roster.objects.create(hall=w.hall, week_start=w.now().date(), planned_at=w.now())
    return acted(lambda: planning.approve(who, roster, w.now()))


def _river_point():
    body = WaterBody.objects.create(code="mugu", name="木古河")
    reach = Reach.objects.create(body=body, name="干流", start_m=0, end_m=1000)
    return MonitoringPoint.objects.create(reach=reach, code="MG-1", chainage_m=0)


def _record_sample(who, w):
    values = {"depth_cm": "60", "transparency_cm": "30", "do_mg_l": "4", "orp_mv": "100", "nh3n_mg_l": "2"}
    return acted(lambda: rivers.record_sample(who, _river_point(), w.now().date(), values, "张三", w.now()))


def _record_survey(who, w):
    body = _river_point().reach.body
    day = w.now().date()
    return acted(lambda: rivers.record_survey(who, body, day, day, 120, 110, 100, "", w.now()))


def _campaign_project(w, who, *, leads: bool) -> Household:
    """A project whose team ``who`` is on (as its leader, or as the cadre bound to its household): the role, not
    the team, decides."""
    today = w.now().date()
    project = Project.objects.create(
        code="mugu", name="木古河综合整治房屋征拆", river="木古河", target_area_m2=1000, started_on=today,
        deadline=today, signing_threshold=0.9,
    )  # fmt: skip
    team = Team.objects.create(
        project=project, name="第二组", leader=who if leads else w.huang, formed_on=w.now().date()
    )
    team.members.add(who)
    return Household.objects.create(project=project, number="MG-1", address="木古河边1号", floor_area_m2=100,
                                    team=team, cadre=who, leader=team.leader)  # fmt: skip


def _campaign_work(who, w):
    household = _campaign_project(w, who, leads=False)
    return acted(lambda: campaign.log_contact(who, household.project, w.now(), channel="phone", direction="in",
                                              outcome="missed", purpose="other", household=household))  # fmt: skip


def _campaign_lead(who, w):
    household = _campaign_project(w, who, leads=True)
    return acted(lambda: campaign.import_households(who, household.project, w.now(), []))


def _campaign_progress(who, w):
    household = _campaign_project(w, who, leads=False)
    return w.page(who, f"/campaign/projects/{household.project.code}/")


SCENARIOS = {
    Action.TICKET_CALL: _call,
    Action.TICKET_SERVE: _serve,
    Action.TICKET_TRANSFER_WAITING: _transfer_waiting,
    Action.TICKET_REJOIN: _rejoin,
    Action.TICKET_CANCEL_FOR_VISITOR: _cancel_for_visitor,
    Action.TICKET_READ: _read_ticket,
    Action.APPOINTMENT_FOR_VISITOR: _appointment_for_visitor,
    Action.CASE_OPEN: _open,
    Action.CASE_DECIDE: _decide,
    Action.CASE_SUPPLY: _supply,
    Action.CASE_CONCLUDE: _conclude,
    Action.CASE_READY: _mark_ready,
    Action.CASE_EXTEND: _extend,
    Action.CASE_PAUSE: _pause,
    Action.CASE_DELIVER: _deliver,
    Action.CASE_HAND_OVER: _hand_over,
    Action.CASE_READ: _read_case,
    Action.CASES_DUE: lambda who, w: w.page(who, f"/halls/{w.hall.code}/cases/due/"),
    Action.DUTY_SIGN_IN: _sign_in,
    Action.CONSOLE_VIEW: lambda who, w: w.page(who, f"/console/{w.window.pk}/"),
    Action.HALL_EVENING: lambda who, w: w.page(who, f"/halls/{w.hall.code}/manage/"),
    Action.LOGISTICS_ASSIGN: _assign,
    Action.LOGISTICS_TICK: _tick,
    Action.COMP_TIME_TAKE_OFF: _take_off,
    Action.FOLLOW_UP_HANDLE: _handle_follow_up,
    Action.FOLLOW_UPS_READ: _read_follow_ups,
    Action.STAFF_EDIT: _edit_staff,
    Action.DEVICE_ENROLL: _enroll,
    Action.CALENDAR_ENTER: _enter_calendar_year,
    Action.CASE_TAKE: _take,
    Action.ANALYTICS_VIEW: _view_analytics,
    Action.PLANNING_PLAN: _plan_week,
    Action.PLANNING_APPROVE: _approve_roster,
    Action.PLANNING_READ: lambda who, w: w.page(who, f"/planning/halls/{w.hall.code}/"),
    Action.RIVERS_READ: lambda who, w: w.page(who, "/rivers/"),
    Action.RIVERS_SAMPLE: _record_sample,
    Action.RIVERS_SURVEY: _record_survey,
    Action.CAMPAIGN_WORK: _campaign_work,
    Action.CAMPAIGN_LEAD: _campaign_lead,
    Action.CAMPAIGN_PROGRESS: _campaign_progress,
}

PEOPLE = {
    Standing.HALL_CLERK: ("li", "window_staff"),
    Standing.HALL_MANAGER: ("wu", "hall_manager"),
    Standing.DISTRICT_OFFICE: ("office", "district_office"),
    Standing.APPROVER: ("zhou", "approver"),
    Standing.CAMPAIGN: ("liu", "campaign_team"),
    Standing.RIVER: ("he", "river_office"),
}


def test_every_action_has_a_row_and_a_scenario():
    assert set(DOCUMENTED) == {a.value for a in Action} and set(SCENARIOS) == set(Action)


@pytest.mark.parametrize(
    ("action", "standing"), [(action, standing) for action in Action for standing in Standing], ids=str
)
def test_the_matrix(action, standing, hall, item, window, clerk, at_window, make_staff, client):
    world = World(hall, item, window, clerk, at_window, make_staff, client)
    if standing == Standing.CLERK_AT_WINDOW:
        who = clerk
    else:
        name, role = PEOPLE[standing]
        # Everyone but the district office is a member of the hall: the role, not the hall, decides.
        who = make_staff(name, role, halls=[] if standing == Standing.DISTRICT_OFFICE else None)
    assert SCENARIOS[action](who, world) == (standing.value in DOCUMENTED[action.value])


@pytest.mark.django_db
def test_a_refusal_of_an_act_of_no_hall_names_no_hall(make_clerk, hall):
    from weimin.accounts.permissions import authorize

    clerk = make_clerk("wang")
    with pytest.raises(NotPermitted) as refused:
        authorize(clerk, Action.RIVERS_SAMPLE, None)
    assert str(refused.value.message) == "您无权录入水样。"
    with pytest.raises(NotPermitted) as refused:
        authorize(clerk, Action.PLANNING_PLAN, hall)
    assert hall.name in str(refused.value.message)
