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


def test_notice_and_status_need_a_real_secret_for_citizens(client, corrected):
    case, notice = corrected
    assert client.get(f"/cases/{case.number}/notices/{notice.pk}/").status_code == 404  # staff only
    mine = f"/cases/s/{notice.access_token}/"
    page = client.get(f"{mine}notices/{notice.pk}/").content.decode()
    assert "补正材料通知书" in page and "建设工程消防验收申报表" in page
    assert 'data-status="awaiting_supplement"' in client.get(mine).content.decode()
    status = client.post("/cases/status/", {"number": case.number, "id_number": ADULT.lower()}).content.decode()
    assert 'data-status="awaiting_supplement"' in status and "建设工程消防验收申报表" in status
    wrong = client.post("/cases/status/", {"number": case.number, "id_number": "11010519491231002X"}).content.decode()
    assert "不匹配" in wrong and "data-status" not in wrong


def test_kiosk_fast_lane(client, corrected, freeze):
    case, _notice = corrected
    freeze("2017-12-08 19:10")  # after the cut-off
    kiosk = "/halls/longgang-district/kiosk/resubmit/"
    response = client.post(kiosk, {"number": case.number, "id_number": ADULT})
    assert response.status_code == 302 and "/slip/" in response["Location"]
    refused = client.post(kiosk, {"number": case.number, "id_number": "11010519491231002X"})
    assert refused.status_code == 302 and refused["Location"].endswith("/kiosk/fast-lane/")  # the same screen


def test_kiosk_fast_lane_by_the_notices_qr_code(client, corrected, freeze):
    _case, notice = corrected
    freeze("2017-12-08 19:10")
    kiosk = "/halls/longgang-district/kiosk/resubmit/"
    wrong = client.post(kiosk, {"link": "http://hall.example/cases/s/not-the-token/"})
    assert wrong.status_code == 302 and wrong["Location"].endswith("/kiosk/fast-lane/")
    scanned = client.post(kiosk, {"link": f"http://hall.example/cases/s/{notice.access_token}/"})
    assert scanned.status_code == 302 and "/slip/" in scanned["Location"]


def test_daily_command_withdraws_and_sends(clerk, at_window, freeze, capsys):
    case = case_with(clerk, at_window, form="present", product="missing", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept_on_promise", promise_signed=True)
    freeze("2017-12-19 09:00")
    call_command("cases-daily")
    assert "1 cases withdrawn" in capsys.readouterr().out
    call_command("close-day")
    assert all_problems() == []


def test_notifications_go_through_the_configured_sender(clerk, approver, at_window, settings):
    case = case_with(clerk, at_window, form="present", product="present", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept")
    actions.set_status(approver, case, clock.now(), "concluded", result="approved")
    actions.set_status(approver, case, clock.now(), "ready")
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


def test_manager_sees_cases_due(client, clerk, manager, at_window, freeze):
    case = case_with(clerk, at_window, form="present", product="present", proxy="present")
    actions.decide(clerk, case, clock.now(), "accept")  # promised by 2017-12-29
    client.force_login(clerk)
    assert client.get("/halls/longgang-district/cases/due/").status_code == 404  # a clerk's is the window
    client.force_login(manager)
    assert case.number not in client.get("/halls/longgang-district/cases/due/").content.decode()
    freeze("2017-12-27 10:00")
    assert 'data-state="due_soon"' in client.get("/halls/longgang-district/cases/due/").content.decode()
    freeze("2018-01-02 10:00")
    assert 'data-state="overdue"' in client.get("/halls/longgang-district/cases/due/").content.decode()
    client.force_login(User.objects.create_user("stranger"))
    assert client.get("/halls/longgang-district/cases/due/").status_code == 404
