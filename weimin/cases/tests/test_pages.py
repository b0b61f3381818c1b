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


def test_the_status_page_lists_the_notices_materials_links_it_and_explains_the_fast_lane(client, clerk, at_window,
                                                                                           freeze):  # fmt: skip
    """Issue 10, point 8: "待补正" said nothing of what to bring, linked no notice, never mentioned the
    same-day fast lane."""
    case = case_with(clerk, at_window, form="missing", product="non_compliant", proxy="present")
    notice = actions.decide(clerk, case, clock.now(), "correction")
    mine = client.get(f"/cases/s/{notice.access_token}/").content.decode()
    assert "建设工程消防验收申报表</strong> — 缺少" in mine and "消防产品质量合格证明文件</strong> — 不合规" in mine
    assert "委托书" not in mine  # present: not asked for
    assert notice.number in mine and f'href="/cases/s/{notice.access_token}/notices/{notice.pk}/"' in mine
    assert "补正回访" in mine and "今天 19:30 前可办理" in mine and "19:00 停止普通取号后" in mine
    freeze("2017-12-08 19:40")  # closed for the day: says when it opens next
    typed = client.post("/cases/status/", {"number": case.number, "id_number": ADULT}).content.decode()
    assert "建设工程消防验收申报表" in typed and "下次开放：12-09 星期六 09:00" in typed
    assert f"/notices/{notice.pk}/" not in typed  # the typed lookup carries no key to the notice


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["办件编号最多 40 个字（现有 41 个）。", "身份证号码（完整18位）最多 40 个字（现有 41 个）。"]),
        ("en", ["Case number can have at most 40 characters (it has 41).",
                "ID number (all 18 characters) can have at most 40 characters (it has 41)."]),
    ],
)  # fmt: skip
def test_the_kiosk_form_shows_every_error_naming_its_field(client, hall, language, expected):
    """Issue 10, point 6: a length error was Django's stock "确保该变量…" naming no field, and the
    English form showed one of its two errors."""
    client.cookies["django_language"] = language
    response = client.post("/halls/longgang-district/kiosk/resubmit/", {"number": "1" * 41, "id_number": "2" * 41},
                           follow=True)  # fmt: skip
    page = response.content.decode()
    for message in expected:
        assert message in page
    assert "确保" not in page and "Ensure this value" not in page
    assert page.count('<li class="error"') == 2  # both fields, and no third message blaming the visitor
