import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from weimin.cases import actions
from weimin.cases.models import Notification
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.core.integrity import all_problems

pytestmark = pytest.mark.django_db


def case_with(clerk, ticket, **states):
    """A case opened for ``ticket`` with its materials checked as ``states`` (see conftest.checks)."""
    return actions.open_case(clerk, ticket, clock.now(), kind="person", name="张先生", id_number=ADULT,
                             phone="13800138000", materials=checks(**states))  # fmt: skip


@pytest.fixture
def corrected(clerk, at_window):
    case = case_with(clerk, at_window, form="missing", product="present", proxy="present")
    notice = actions.decide(clerk, case, clock.now(), "correction")
    return case, notice


def test_notice_and_status_need_the_id_digits_for_citizens(client, corrected):
    case, notice = corrected
    url = f"/cases/{case.number}/notices/{notice.pk}/"
    assert client.get(url).status_code == 404
    page = client.get(url, {"id_last4": "001X"}).content.decode()
    assert "补正材料通知书" in page and "建设工程消防验收申报表" in page
    status = client.get("/cases/status/", {"number": case.number, "id_last4": "001x"}).content.decode()
    assert 'data-status="awaiting_supplement"' in status
    wrong = client.get("/cases/status/", {"number": case.number, "id_last4": "9999"}).content.decode()
    assert "不匹配" in wrong and "data-status" not in wrong


def test_kiosk_fast_lane(client, corrected, freeze):
    case, _notice = corrected
    freeze("2017-12-08 19:10")  # after the cut-off
    response = client.post("/halls/longgang-district/kiosk/resubmit/", {"number": case.number, "id_last4": "001X"})
    assert response.status_code == 302 and "/slip/" in response["Location"]
    refused = client.post("/halls/longgang-district/kiosk/resubmit/", {"number": case.number, "id_last4": "0000"})
    assert refused.status_code == 302 and "/kiosk/" in refused["Location"]


def test_daily_command_withdraws_and_sends(clerk, at_window, freeze, capsys):
    case = case_with(clerk, at_window, form="present", product="missing", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept_on_promise", promise_signed=True)
    freeze("2017-12-19 09:00")
    call_command("cases-daily")
    assert "1 cases withdrawn" in capsys.readouterr().out
    call_command("close-day")
    assert all_problems() == []


def test_notifications_go_through_the_configured_sender(clerk, at_window, settings):
    case = case_with(clerk, at_window, form="present", product="present", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept")
    actions.set_status(clerk, case, clock.now(), "concluded", result="approved")
    actions.set_status(clerk, case, clock.now(), "ready")
    sent = []
    settings.WEIMIN_NOTIFICATION_SENDER = "weimin.cases.tests.test_pages.remember"
    remember.sent = sent
    call_command("cases-daily")
    assert [n.recipient for n in sent] == ["13800138000"] and ADULT not in sent[0].message
    assert Notification.objects.get().sent_at is not None


def remember(notification):
    remember.sent.append(notification)


def test_case_admin_hides_the_id_number(client, corrected):
    client.force_login(User.objects.create_superuser("root", password="x"))
    case, _ = corrected
    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert ADULT not in page and case.number in page


def test_case_admin_shows_the_life_cycle_but_does_not_change_it(client, corrected):
    client.force_login(User.objects.create_superuser("root", password="x"))
    case, _ = corrected
    url = f"/admin/cases/case/{case.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="decision"' not in page and 'name="promise_due"' not in page
    assert 'name="applicant_name"' in page and "补正" in page  # the status and the events are shown
    assert 'name="events-0-kind"' not in page and 'name="events-0-detail"' not in page
    client.post(url, {"status": "delivered", "decision": "accept", "promise_due": "2017-12-20",
                      "clerk": "", "applicant_kind": "person", "applicant_name": "张三"})  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.decision, case.promise_due, case.clerk_id) == (
        "awaiting_supplement", "correction", None, case.clerk.pk
    )  # fmt: skip
    assert client.get("/admin/cases/case/add/").status_code == 403


def test_manager_sees_cases_due(client, clerk, at_window, freeze):
    case = case_with(clerk, at_window, form="present", product="present", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept")  # promised by 2017-12-29
    client.force_login(clerk)
    assert case.number not in client.get("/halls/longgang-district/cases/due/").content.decode()
    freeze("2017-12-27 10:00")
    assert 'data-state="due_soon"' in client.get("/halls/longgang-district/cases/due/").content.decode()
    freeze("2018-01-02 10:00")
    assert 'data-state="overdue"' in client.get("/halls/longgang-district/cases/due/").content.decode()
    client.force_login(User.objects.create_user("stranger"))
    assert client.get("/halls/longgang-district/cases/due/").status_code == 404
