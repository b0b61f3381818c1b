"""The campaign's actions on a small project: tasks and their due times, idempotent logging, unknown
callers, escalation, the life cycle with a breach, incidents, identity views, the Excel import."""

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from weimin.campaign import actions, queries, spreadsheet
from weimin.campaign.models import Contact, Household, HouseholdEvent, IdentityView, Task
from weimin.campaign.rules import Status
from weimin.campaign.tests.conftest import OWNER_ID, OWNER_PHONE
from weimin.conftest import local
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused

pytestmark = pytest.mark.django_db

CALL = {"channel": "phone", "direction": "in"}


def test_an_inbound_negotiation_request_creates_a_same_day_visit_for_the_bound_cadre(household, people, project):
    now = clock.now()
    logged = actions.log_contact(people["zhao"], project, now, **CALL, outcome="answered", purpose="negotiation",
                                 phone="138 0013 8000")  # fmt: skip
    assert logged.contact.household == household and logged.contact.owner.name == "张伟"
    assert (
        logged.task.kind == "visit" and logged.task.assignee == people["wang"] and logged.task.leader == people["liu"]
    )
    assert logged.task.due_at == local("2017-12-08 23:59:59")
    household.refresh_from_db()
    assert household.status == Status.NEGOTIATING  # the owner asked to talk: negotiation has started


def test_a_missed_call_creates_a_call_back_within_the_hour(household, people, project, settings):
    now = clock.now()
    logged = actions.log_contact(people["wang"], project, now, **CALL, outcome="missed", purpose="other",
                                 phone=OWNER_PHONE)  # fmt: skip
    assert logged.task.kind == "callback" and logged.task.due_at == now + timedelta(hours=1)
    settings.WEIMIN_CAMPAIGN_VISIT_DUE_DAYS = 1
    visit = actions.log_contact(people["wang"], project, now, channel="wechat", direction="in", outcome="answered",
                                purpose="negotiation", household=household).task  # fmt: skip
    assert visit.due_at == local("2017-12-09 23:59:59")
    # Calling back and reaching the owner returns the missed call.
    actions.log_contact(people["wang"], project, now + timedelta(minutes=20), channel="phone", direction="out",
                        outcome="answered", purpose="negotiation", household=household)  # fmt: skip
    logged.task.refresh_from_db()
    assert logged.task.done_at is not None
    assert queries.project_progress(project, now)["open_callbacks"] == 0


def test_a_double_tap_logs_one_contact(household, people, project):
    now = clock.now()
    first = actions.log_contact(people["wang"], project, now, **CALL, outcome="missed", purpose="other",
                                household=household, key="tap-1")  # fmt: skip
    again = actions.log_contact(people["wang"], project, now, **CALL, outcome="missed", purpose="other",
                                household=household, key="tap-1")  # fmt: skip
    assert first.created and not again.created and again.contact == first.contact and again.task == first.task
    assert Contact.objects.count() == 1 and Task.objects.count() == 1


def test_an_unknown_number_is_kept_with_its_own_call_back(household, people, project):
    logged = actions.log_contact(people["zhao"], project, clock.now(), **CALL, outcome="answered",
                                 purpose="enquiry", phone="13711112222")  # fmt: skip
    assert logged.contact.household is None and logged.contact.phone == "13711112222"
    assert logged.task is None  # answered and no negotiation: nothing owed
    missed = actions.log_contact(people["zhao"], project, clock.now(), **CALL, outcome="missed", purpose="other",
                                 phone="13711112222")  # fmt: skip
    assert missed.task.kind == "callback" and missed.task.household is None
    assert missed.task.assignee == people["zhao"] and missed.task.leader == people["liu"]
    with pytest.raises(InvalidInput) as nothing:
        actions.log_contact(people["zhao"], project, clock.now(), **CALL, outcome="missed", purpose="other")
    assert nothing.value.field == "phone"


def test_overdue_tasks_escalate_to_the_leader(household, people, project):
    now = clock.now()
    task = actions.log_contact(people["wang"], project, now, **CALL, outcome="missed", purpose="other",
                               household=household).task  # fmt: skip
    assert actions.escalate_overdue(now + timedelta(minutes=59)) == 0
    later = now + timedelta(minutes=61)
    view = queries.leader_view(people["liu"], project, later)
    assert view["overdue"] == [task] and view["unreturned"] == [task]  # counted on read before the command ran
    assert actions.escalate_overdue(later) == 1 and actions.escalate_overdue(later) == 0
    task.refresh_from_db()
    assert task.escalated_at == later
    assert queries.project_progress(project, later)["overdue_tasks"] == 1


def test_breach_and_re_signing_keep_history(household, people, project):
    now = clock.now()
    wang = people["wang"]
    actions.change_status(wang, household, now, "negotiating")
    actions.change_status(wang, household, now, "signed", agreement="MGH-2017-001")
    with pytest.raises(InvalidInput) as no_reason:
        actions.change_status(wang, household, now, "breached")
    assert no_reason.value.field == "reason"
    actions.change_status(wang, household, now, "breached", reason="家人不同意补偿金额")
    with pytest.raises(Refused):
        actions.change_status(wang, household, now, "signed")
    actions.change_status(people["liu"], household, now, "negotiating", reason="重新评估后再谈")
    actions.change_status(wang, household, now, "signed")
    events = list(HouseholdEvent.objects.filter(household=household).values_list("kind", "actor__username", "reason"))
    assert [kind for kind, _, _ in events] == ["registered", "contacted", "signed", "breached", "renegotiating",
                                               "signed"]  # fmt: skip
    assert events[3] == ("breached", "wang", "家人不同意补偿金额") and events[4][1] == "liu"
    with pytest.raises(NotPermitted):  # zhao is on the team but not bound to the household
        actions.change_status(people["zhao"], household, now, "moved_out")


def test_the_leader_reassigns_and_the_open_tasks_follow(household, people, project):
    now = clock.now()
    task = actions.log_contact(people["wang"], project, now, **CALL, outcome="missed", purpose="other",
                               household=household).task  # fmt: skip
    with pytest.raises(NotPermitted):
        actions.reassign(people["wang"], household, now, people["zhao"], reason="轮换")
    with pytest.raises(InvalidInput):
        actions.reassign(people["liu"], household, now, people["qian"], reason="不在本组")
    actions.reassign(people["liu"], household, now, people["zhao"], reason="王干部病休")
    task.refresh_from_db()
    assert Household.objects.get(pk=household.pk).cadre == people["zhao"] and task.assignee == people["zhao"]
    assert household.events.last().kind == "reassigned"


def test_an_incident_forbids_solo_visits(household, people, project):
    now = clock.now()
    actions.report_incident(people["wang"], household, now, kind="verbal_abuse", at=now - timedelta(hours=2),
                            place="门口", people="户主张伟", description="辱骂工作人员")  # fmt: skip
    with pytest.raises(Refused) as alone:
        actions.log_contact(people["wang"], project, now, channel="visit", direction="out", outcome="answered",
                            purpose="negotiation", household=household)  # fmt: skip
    assert alone.value.field == "companion"
    with pytest.raises(Refused):
        actions.record_meeting(people["wang"], household, now, attendees=[], position="refuses")
    actions.log_contact(people["wang"], project, now, channel="visit", direction="out", outcome="answered",
                        purpose="negotiation", household=household, companion=people["zhao"])  # fmt: skip
    meeting = actions.record_meeting(people["wang"], household, now, attendees=[people["zhao"]], position="hesitates",
                                     items=actions.compensation_items("搬迁费 12000\n临时安置费：3,000"))  # fmt: skip
    assert meeting.offer_total == 15000


def test_assistance_is_tracked_to_closure(household, people):
    now = clock.now()
    help_ = actions.open_assistance(people["wang"], household, now, kind="schooling", description="孩子转学")
    assert help_.assignee == people["wang"]
    actions.close_assistance(people["wang"], help_, now, resolution="已联系平湖中心小学")
    with pytest.raises(Refused):
        actions.close_assistance(people["wang"], help_, now, resolution="again")


def test_the_whole_id_number_only_for_the_bound_cadre_and_leader_and_audited(household, people):
    owner = household.owners.get(name="张伟")
    now = clock.now()
    assert actions.reveal_identity(people["zhao"], owner, now) == "340524********001X"
    assert actions.reveal_identity(people["wang"], owner, now) == OWNER_ID
    assert actions.reveal_identity(people["liu"], owner, now) == OWNER_ID
    assert list(IdentityView.objects.values_list("viewer__username", flat=True).order_by("viewer__username")) == [
        "liu", "wang"]  # fmt: skip


def test_outsiders_are_not_on_the_project(household, project, make_staff):
    outsider = make_staff("sun", "campaign_team", halls=[])
    with pytest.raises(NotPermitted):
        actions.log_contact(outsider, project, clock.now(), **CALL, outcome="missed", purpose="other",
                            household=household)  # fmt: skip


def sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(list(spreadsheet.COLUMNS))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["MG-101", "木古河边2号", "2栋", 120.5, "住宅", "第二组", "wang", "李强", "个人", OWNER_ID, "13600136000", ""],
    ["MG-101", "", "", "", "", "", "", "李娜", "个人", "11010519491231002X", "13600136001", ""],
    ["MG-102", "木古河边3号", "", 300, "厂房", "第二组", "", "平湖五金厂", "企业", "91440300MA5F3X1231", "", ""],
]


def test_import_creates_households_with_several_owners(team, people, project):
    report = actions.import_households(people["liu"], project, clock.now(), spreadsheet.read_households(sheet(GOOD)))
    assert report.errors == [] and (report.households, report.owners) == (2, 3)
    first = Household.objects.get(number="MG-101")
    assert first.cadre == people["wang"] and first.leader == people["liu"] and first.owners.count() == 2
    assert Household.objects.get(number="MG-102").owners.get().credit_code == "91440300MA5F3X1231"
    assert first.events.get().kind == "registered"


def test_import_refuses_a_file_with_one_bad_row_and_reports_it(team, people, project):
    bad = [*GOOD, ["MG-103", "木古河边4号", "", 80, "住宅", "第二组", "", "王五", "个人", "340524198001010011", "", ""]]
    report = actions.import_households(people["liu"], project, clock.now(), spreadsheet.read_households(sheet(bad)))
    assert [(e.row, e.field) for e in report.errors] == [(5, "id_number")]
    assert "最后一位" in report.errors[0].message or report.errors[0].message
    assert Household.objects.count() == 0 and report.households == 0
    with pytest.raises(NotPermitted):
        actions.import_households(people["wang"], project, clock.now(), spreadsheet.read_households(sheet(GOOD)))


def test_missed_calls_from_the_phone_system_once_each(household, people, project):
    csv = "号码,时间\n13800138000,2017-12-08 17:55\n13755556666,2017-12-08 18:05\n".encode()
    rows = spreadsheet.read_missed_calls(csv)
    report = actions.import_missed_calls(people["liu"], project, clock.now(), rows)
    assert (report.logged, report.repeated) == (2, 0)
    again = actions.import_missed_calls(people["liu"], project, clock.now(), rows)
    assert (again.logged, again.repeated) == (0, 2)
    tasks = Task.objects.order_by("due_at")
    assert [t.household for t in tasks] == [household, None] and tasks[0].due_at == local("2017-12-08 18:55")
    broken = actions.import_missed_calls(people["liu"], project, clock.now(), [(2, "abc", "2017-12-08 18:00")])
    assert [(e.row, e.field) for e in broken.errors] == [(2, "phone")]


def test_the_phone_systems_calls_are_one_whoever_imports_them(household, people, project, make_staff):
    """Two team leaders import the same export of the hotline: each missed call is still one call-back."""
    other = make_staff("sun", "campaign_team", halls=[])
    project.teams.create(name="第三组", leader=other, formed_on=household.team.formed_on)
    rows = spreadsheet.read_missed_calls("号码,时间\n13800138000,2017-12-08 17:55\n".encode())
    assert actions.import_missed_calls(people["liu"], project, clock.now(), rows).logged == 1
    again = actions.import_missed_calls(other, project, clock.now(), rows)
    assert (again.logged, again.repeated) == (0, 1) and Task.objects.count() == 1


def test_a_number_finds_its_owner_however_it_is_written(household, people, project):
    """The phone system exports +86 138-0013-8000; the owner's phone was imported as 13800138000."""
    logged = actions.log_contact(people["wang"], project, clock.now(), **CALL, outcome="missed", purpose="other",
                                 phone="+86 138-0013-8000")  # fmt: skip
    assert logged.contact.household == household and logged.task.assignee == people["wang"]
    rows = spreadsheet.read_missed_calls("号码,时间\n0086 13800138000,2017-12-08 17:55\n".encode())
    actions.import_missed_calls(people["liu"], project, clock.now(), rows)
    assert Contact.objects.filter(household=household).count() == 2


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-1", "abc", "1e12"])
def test_a_compensation_item_that_is_no_amount_names_its_line(amount):
    with pytest.raises(InvalidInput) as refused:
        actions.compensation_items(f"搬迁费 12000\n临时安置费 {amount}")
    assert refused.value.field == "items" and "2" in refused.value.message


def test_import_names_the_row_of_a_repeated_owner_a_long_number_and_a_nan_area(team, people, project):
    """Nothing is cut short or imported twice silently: each is its row's error, and nothing is imported."""
    bad = [
        *GOOD,
        ["MG-101", "", "", "", "", "", "", "李强", "个人", OWNER_ID, "13600136000", ""],  # row 2's owner again
        ["MG-" + "9" * 30, "木古河边5号", "", 80, "住宅", "", "", "王五", "个人", OWNER_ID, "", ""],
        ["MG-104", "木古河边6号", "", "NaN", "住宅", "", "", "王五", "个人", OWNER_ID, "", ""],
        ["MG-105", "木古河边7号", "栋" * 41, 80, "住宅", "", "", "王五", "个人", OWNER_ID, "", ""],
    ]
    report = actions.import_households(people["liu"], project, clock.now(), spreadsheet.read_households(sheet(bad)))
    assert [(e.row, e.field) for e in report.errors] == [(5, "id_number"), (6, "number"), (7, "area"), (8, "building")]
    assert Household.objects.count() == 0


@pytest.mark.parametrize("when", ["0001-01-01 00:00", "1900-01-01 10:00", "2017-11-05 23:59", "9999-12-31T23:00-14:00"])
def test_a_missed_call_before_the_project_or_beyond_the_calendar_is_its_rows_error(household, people, project, when):
    """Year 1 or 9999 overflowed a time zone shift (a 500); a call of 1900 made a call-back overdue for a century."""
    report = actions.import_missed_calls(people["liu"], project, clock.now(), [(2, "13800138000", when)])
    assert [(e.row, e.field) for e in report.errors] == [(2, "time")] and Task.objects.count() == 0


def test_a_number_shared_by_two_households_is_not_pinned_on_the_first(household, people, project):
    """One person owning two properties: the call is logged on the household's page; the phone system's missed
    call from that number is an unknown caller with its call-back, not the first household's."""
    other = Household.objects.create(project=project, number="MG-002", address="木古河边2号", floor_area_m2=100,
                                     team=household.team, cadre=people["zhao"], leader=people["liu"])  # fmt: skip
    other.owners.create(name="张伟", id_number=OWNER_ID, phone=OWNER_PHONE)
    with pytest.raises(InvalidInput) as refused:
        actions.log_contact(people["wang"], project, clock.now(), **CALL, outcome="answered", purpose="negotiation",
                            phone=OWNER_PHONE)  # fmt: skip
    assert refused.value.field == "phone" and "MG-001、MG-002" in refused.value.message
    rows = spreadsheet.read_missed_calls(f"号码,时间\n{OWNER_PHONE},2017-12-08 17:55\n".encode())
    actions.import_missed_calls(people["liu"], project, clock.now(), rows)
    assert Contact.objects.get().household is None and Task.objects.get().assignee == people["liu"]
