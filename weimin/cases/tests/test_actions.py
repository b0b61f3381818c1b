from datetime import date

import pytest

from weimin.cases import actions, integrity, queries
from weimin.cases.models import CaseEvent, Notification
from weimin.cases.tests.conftest import ADULT, COMPANY, checks
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.halls.models import Window
from weimin.shifts.actions import sign_out
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


def case_problems() -> list[dict]:
    return list(integrity.problems())


def open_case(clerk, ticket, **overrides):
    fields = {"kind": "person", "name": "张先生", "id_number": ADULT, "phone": "13800138000"} | overrides
    return actions.open_case(clerk, ticket, clock.now(), **fields)


def test_accept_when_everything_is_present(clerk, at_window):
    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="missing"))
    notice = actions.decide(clerk, case, clock.now(), "accept")
    case.refresh_from_db()
    assert case.status == "processing" and case.accepted_on == date(2017, 12, 8)
    assert notice.kind == "acceptance" and notice.number == f"SL{case.number}-1"
    dates = queries.due_dates(case, date(2017, 12, 8))
    assert dates.promised == date(2017, 12, 29) and dates.statutory == date(2018, 1, 8)  # 15 and 20 working days


def test_correction_lists_every_gap_once_and_refuses_a_new_one(clerk, at_window):
    case = open_case(clerk, at_window)
    with pytest.raises(InvalidInput) as unchecked:
        actions.decide(clerk, case, clock.now(), "correction", materials=checks(form="present"))
    assert unchecked.value.field == "materials" and "消防产品质量合格证明文件" in unchecked.value.message
    notice = actions.decide(
        clerk,
        case,
        clock.now(),
        "correction",
        materials=checks(form="non_compliant", product="present", proxy="missing"),
    )
    assert [m["name"] for m in notice.body["materials"]] == ["建设工程消防验收申报表"]  # the optional proxy is no gap
    case.refresh_from_db()
    assert case.status == "awaiting_supplement"
    # The supplements come back: a material the notice did not list cannot be found missing now.
    with pytest.raises(Refused) as second_trip:
        actions.decide(clerk, case, clock.now(), "correction", materials=checks(product="missing"))
    assert second_trip.value.field == "materials[0].material"
    actions.decide(clerk, case, clock.now(), "accept", materials=checks(form="present"))
    case.refresh_from_db()
    assert case.status == "processing" and case.notices.count() == 2


def test_accept_on_promise_and_the_broken_promise_withdraws(clerk, at_window, freeze):
    case = open_case(clerk, at_window, materials=checks(form="present", product="missing", proxy="present"))
    with pytest.raises(Refused, match="承诺"):
        actions.decide(clerk, case, clock.now(), "accept_on_promise")
    actions.decide(clerk, case, clock.now(), "accept_on_promise", promise_signed=True)
    case.refresh_from_db()
    assert case.promise_due == date(2017, 12, 15)  # 5 working days
    freeze("2017-12-15 19:00")
    assert actions.withdraw_broken_promises(clock.now()) == 0
    freeze("2017-12-18 09:00")
    assert actions.withdraw_broken_promises(clock.now()) == 1
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert CaseEvent.objects.filter(case=case, kind="withdrawn").exists()


def test_promise_kept_in_time(clerk, at_window):
    case = open_case(clerk, at_window, materials=checks(form="present", product="missing", proxy="present"))
    actions.decide(clerk, case, clock.now(), "accept_on_promise", promise_signed=True)
    actions.supply_promised(clerk, case, clock.now(), checks(product="present"))
    case.refresh_from_db()
    assert case.promise_due is None
    assert actions.withdraw_broken_promises(clock.now()) == 0


def test_refusal_needs_a_reason_and_may_name_the_competent_agency(clerk, at_window):
    case = open_case(clerk, at_window)
    with pytest.raises(InvalidInput) as no_reason:
        actions.decide(clerk, case, clock.now(), "refuse")
    assert no_reason.value.field == "reason"
    notice = actions.decide(
        clerk, case, clock.now(), "refuse", reason="不属于本机关职权范围", competent_agency="市住房和建设局"
    )
    assert notice.kind == "refusal" and notice.body["competent_agency"] == "市住房和建设局"


def test_the_fast_lane_goes_to_the_clerk_on_duty(clerk, at_window, hall, item, window, make_clerk):
    case = open_case(clerk, at_window, materials=checks(form="missing", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "correction")
    ticket_actions.complete(clerk, at_window, clock.now())
    ticket_actions.issue_ticket(hall, item, clock.now())  # a normal ticket waiting before it
    fast = actions.check_in_resubmission(case, clock.now()).ticket
    assert fast.target_window == window and fast.priority == "resubmission"
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    colleague = make_clerk("li", other)
    assert ticket_actions.call_next(colleague, other, clock.now()).pk != fast.pk  # not the colleague's
    assert ticket_actions.call_next(clerk, window, clock.now()) == fast  # ahead of the normal ticket


def test_the_fast_lane_goes_to_any_window_when_the_clerk_is_off_duty(clerk, at_window, window):
    case = open_case(clerk, at_window, materials=checks(form="missing", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "correction")
    ticket_actions.complete(clerk, at_window, clock.now())
    sign_out(clerk, window, clock.now())
    fast = actions.check_in_resubmission(case, clock.now()).ticket
    assert fast.target_window is None and fast.priority == "resubmission"


def test_back_office_result_notification_and_evening_pick_up(clerk, approver, at_window, freeze):
    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "accept")
    with pytest.raises(Refused):
        actions.set_status(approver, case, clock.now(), "ready")  # not concluded yet
    with pytest.raises(InvalidInput):
        actions.set_status(approver, case, clock.now(), "concluded")
    actions.set_status(approver, case, clock.now(), "concluded", result="approved")
    actions.set_status(approver, case, clock.now(), "ready")
    assert Notification.objects.get(case=case).recipient == "13800138000"
    freeze("2017-12-11 19:00")  # Ms. Huang collects her permit at 19:00
    with pytest.raises(InvalidInput) as bad_id:
        actions.deliver(clerk, case, clock.now(), method="window", collector_id_number="340524198001010013")
    assert bad_id.value.field == "collector_id_number"
    case = actions.deliver(clerk, case, clock.now(), method="window", collector_id_number=ADULT)
    assert case.status == "delivered" and case.collector_id_masked == "340524********001X"


def test_pick_up_outside_opening_hours_is_refused_but_post_is_not(clerk, approver, at_window, freeze):
    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "accept")
    actions.set_status(approver, case, clock.now(), "concluded", result="refused")
    actions.set_status(approver, case, clock.now(), "ready")
    freeze("2017-12-10 10:00")  # Sunday
    with pytest.raises(Refused):
        actions.deliver(clerk, case, clock.now(), method="window", collector_id_number=ADULT)
    with pytest.raises(InvalidInput):
        actions.deliver(clerk, case, clock.now(), method="post")
    assert actions.deliver(clerk, case, clock.now(), method="post", tracking="EMS123").delivery == "post"


def test_extension_once_and_pauses_move_the_dates(clerk, manager, at_window, freeze):
    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "accept")
    with pytest.raises(InvalidInput):
        actions.extend(manager, case, clock.now(), approver="")
    actions.extend(manager, case, clock.now(), approver="欧阳主任")
    with pytest.raises(Refused, match="一次"):
        actions.extend(manager, case, clock.now(), approver="欧阳主任")
    case.refresh_from_db()
    assert queries.due_dates(case, date(2017, 12, 8)).statutory == date(2018, 1, 22)  # 20 + 10
    freeze("2017-12-11 10:00")
    actions.pause(manager, case, clock.now(), kind="testing")
    freeze("2017-12-13 10:00")
    actions.resume(manager, case, clock.now())
    # 3 paused working days (11–13 December) move 29 December past New Year: 2, 3, 4 January.
    assert queries.due_dates(case, date(2017, 12, 13)).promised == date(2018, 1, 4)


def test_only_staff_of_the_hall_act_and_ids_are_masked_for_others(clerk, at_window, make_clerk, district):
    from django.contrib.auth.models import User

    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Hall

    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="present"))
    colleague = make_clerk("li")
    assert case.id_for(clerk) == ADULT and case.id_for(colleague) == "340524********001X"
    outsider = User.objects.create_user("out")
    StaffProfile.objects.create(user=outsider).halls.add(
        Hall.objects.create(district=district, code="pinghu", name="平湖", kind="subdistrict")
    )
    with pytest.raises(NotPermitted):
        actions.decide(outsider, case, clock.now(), "accept")


def test_company_credit_codes_and_the_legacy_override(clerk, at_window):
    with pytest.raises(InvalidInput) as bad:
        open_case(clerk, at_window, kind="company", name="某公司", credit_code="91440300MA5F3X1234")
    assert bad.value.field == "credit_code"
    case = open_case(clerk, at_window, kind="company", name="某公司", credit_code=COMPANY)
    assert case.credit_code == COMPANY
    legacy = open_case(
        clerk,
        at_window,
        kind="company",
        name="老公司",
        credit_code="91440300MA5F3X1234",
        credit_code_override="2015年前发放的旧码，已核验营业执照",
    )
    assert legacy.credit_code_override and CaseEvent.objects.get(case=legacy).detail["credit_code_override"]


def test_no_case_for_a_ticket_not_at_your_window(clerk, hall, item, window, make_clerk):
    waiting = ticket_actions.issue_ticket(hall, item, clock.now()).ticket
    with pytest.raises(Refused):
        open_case(clerk, waiting)
    called = ticket_actions.call_next(clerk, window, clock.now())
    with pytest.raises(NotPermitted):
        open_case(make_clerk("li"), called)


def test_hand_over_case_to_a_colleague_or_to_the_hall_pool(clerk, at_window, window, make_clerk):
    case = open_case(clerk, at_window, materials=checks(form="present"))
    li = make_clerk("li", Window.objects.create(hall=window.hall, number=6))
    assert actions.hand_over_case(clerk, case, li, clock.now(), window=window, reason="sign_out").clerk == li
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.kind, event.actor, event.window) == ("handed_over", clerk, window)
    assert event.detail == {"to": "li", "reason": "sign_out"}
    actions.hand_over_case(li, case, None, clock.now(), window=None, reason="session_expired")
    case.refresh_from_db()
    assert case.clerk is None and case.status == "intake"  # in the hall's pool, still to be decided
    assert CaseEvent.objects.filter(case=case).last().detail == {"to": None, "reason": "session_expired"}
    assert case_problems() == []


def test_hand_over_case_is_what_sign_out_records(clerk, at_window, window, make_clerk):
    """shifts.actions.sign_out hands a held case over the same way (it will call hand_over_case)."""
    by_sign_out = open_case(clerk, at_window)
    by_action = open_case(clerk, at_window)
    li = make_clerk("li", Window.objects.create(hall=window.hall, number=6))
    li.staff_profile.skills.add(at_window.item)  # who can take a case: skills cover its item
    actions.hand_over_case(clerk, by_action, li, clock.now(), window=window, reason="sign_out")
    ticket_actions.complete(clerk, at_window, clock.now())
    sign_out(clerk, window, clock.now(), successor=li)
    first, second = (CaseEvent.objects.filter(case=c).last() for c in (by_sign_out, by_action))
    assert (first.kind, first.detail, first.actor, first.window) == (
        second.kind,
        second.detail,
        second.actor,
        second.window,
    )
    assert case_problems() == []


def test_only_cases_held_at_the_window_are_handed_over(clerk, at_window, window, make_clerk):
    case = open_case(clerk, at_window, materials=checks(form="present", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "accept")  # processing: the back office's
    with pytest.raises(Refused) as refused:
        actions.hand_over_case(clerk, case, make_clerk("li"), clock.now(), window=window, reason="sign_out")
    assert refused.value.field == "transition" and "移交" in refused.value.message
    case.refresh_from_db()
    assert case.clerk == clerk


def test_every_change_is_an_event_of_the_life_cycle(clerk, approver, at_window, freeze):
    case = open_case(clerk, at_window, materials=checks(form="missing", product="present", proxy="present"))
    actions.decide(clerk, case, clock.now(), "correction")
    actions.check_in_resubmission(case, clock.now())
    actions.decide(clerk, case, clock.now(), "accept", materials=checks(form="present"))
    actions.set_status(approver, case, clock.now(), "concluded", result="approved")
    actions.set_status(approver, case, clock.now(), "ready")
    freeze("2017-12-11 19:00")
    actions.deliver(clerk, case, clock.now(), method="window", collector_id_number=ADULT)
    events = list(CaseEvent.objects.filter(case=case))
    assert [e.kind for e in events] == [
        "opened", "decided", "resubmission_ticket", "decided", "concluded", "ready", "delivered"
    ]  # fmt: skip
    assert events[1].detail["decision"] == "correction" and events[1].detail["gaps"] == ["建设工程消防验收申报表"]
    assert events[4].detail == {"result": "approved"}
    assert events[6].detail["method"] == "window"
    assert events[0].get_kind_display() == "收件"
    with pytest.raises(Refused) as illegal:
        actions.decide(clerk, case, clock.now(), "accept")
    assert illegal.value.field == "transition"
    assert case_problems() == []


def test_integrity_reports_an_illegal_event_sequence(clerk, at_window, capsys):
    from django.core.management import call_command

    case = open_case(clerk, at_window)
    assert case_problems() == []
    # Written behind the actions' back: delivered straight from intake.
    CaseEvent.objects.create(case=case, at=clock.now(), kind="delivered", detail={"method": "post"})
    found = [p for p in case_problems() if p["check"] == "case_event_sequence"]
    assert len(found) == 1 and case.number in found[0]["detail"] and "delivered" in found[0]["detail"]
    with pytest.raises(SystemExit):
        call_command("integrity")
    assert "case_event_sequence" in capsys.readouterr().out


def test_integrity_reports_a_status_the_events_do_not_lead_to(clerk, at_window):
    from weimin.cases.models import Case

    case = open_case(clerk, at_window)
    Case.objects.filter(pk=case.pk).update(status="ready")  # behind the actions' back
    assert [p["detail"] for p in case_problems() if p["check"] == "case_event_sequence"] == [
        f"{case.number}: events lead to intake, case says ready"
    ]
