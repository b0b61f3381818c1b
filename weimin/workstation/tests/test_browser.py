"""The console and the manager's page at the clerk's and the manager's screen (1366×768), issue 10:
who is waiting, the timer and count, 未核验 checks, a signed notice, a sign-out that asks and names
what it hands over, and the hall's handover followed item by item on the manager's page."""

import pytest

from weimin.conftest import CONSOLE, KIOSK, enrolled_context
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT_ID = "34052419800101001X"


def log_in(new_page, base, username):
    page = new_page(viewport=CONSOLE)
    page.goto(base + "/console/")
    page.fill("#id_username", username)
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    return page


def test_console_sign_out_to_the_hall_and_the_managers_page(new_page, live_server, freeze, screenshots, enroll):
    from weimin.cases.models import Case
    from weimin.shifts.models import Duty

    seed_demo()
    freeze("2017-12-08 18:40")
    base = live_server.url
    kiosk = new_page(viewport=KIOSK)
    enrolled_context(kiosk.context, base, enroll("kiosk"))
    for _ in range(4):
        kiosk.goto(base + "/halls/longgang-district/kiosk/")
        kiosk.get_by_role("link", name="建设工程消防验收").click()
        kiosk.click("[data-testid=confirm]")
        kiosk.wait_for_url("**/slip/")

    clerk = log_in(new_page, base, "clerk")
    cards = clerk.inner_text(".cards")
    assert "longgang-district-" not in cards  # colleagues are named, not their accounts
    clerk.click("button[data-window='8']")
    clerk.wait_for_url("**/console/*/")
    assert clerk.locator("[data-testid=next-up] li").count() == 4  # who is waiting, in call order
    clerk.keyboard.press("Space")
    clerk.locator("[data-testid=current-number]", has_text="B001").wait_for()
    clerk.locator("[data-testid=since-call]").wait_for()
    assert "签退" in clerk.inner_text(".console-bar") and "下岗" not in clerk.content()
    assert "今日已服务：0位" in clerk.inner_text("[data-testid=served-today]")
    clerk.wait_for_timeout(1500)  # the timer counts on
    clerk.screenshot(path=screenshots / "issue10-console-1366.png")

    # Intake: nothing is present by default; a person's form has no company fields.
    clerk.click("[data-testid=open-case]")
    assert clerk.locator('td.states input[value=""]:checked').count() == clerk.locator("tr[data-material]").count()
    assert not clerk.locator("#id_credit_code").is_visible()
    clerk.select_option("#id_kind", "company")
    assert clerk.locator("#id_credit_code").is_visible()
    clerk.select_option("#id_kind", "person")
    clerk.fill("#id_name", "张先生")
    clerk.fill("#id_id_number", APPLICANT_ID)
    clerk.screenshot(path=screenshots / "issue10-intake-1366.png")
    for present in clerk.locator('td.states input[value="present"]').all():
        present.check()
    clerk.locator('tr[data-material="消防设施检测报告"] input[value="missing"]').check()
    clerk.locator('input[name="decision"][value="correction"]').check()
    clerk.click("[data-testid=decide]")
    clerk.wait_for_url("**/notices/*/")
    assert clerk.inner_text("[data-testid=notice-clerk]").startswith("经办窗口：8号窗口　经办人：")
    assert "申请人签收" in clerk.inner_text("[data-testid=applicant-signature]")
    clerk.screenshot(path=screenshots / "issue10-notice-1366.png", full_page=True)
    clerk.emulate_media(media="print")
    assert not clerk.locator("[data-testid=back-to-console]").is_visible()
    clerk.emulate_media(media="screen")
    clerk.click("[data-testid=back-to-console]")
    clerk.wait_for_url("**/console/*/")
    clerk.keyboard.press("c")
    clerk.locator("[data-testid=current-number]").wait_for(state="detached")
    call_b002 = clerk.locator("[data-testid=current-number]", has_text="B002")
    clerk.keyboard.press("Space")
    call_b002.wait_for()

    # Nobody else at a window serving these items: the sign-out asks, names both, offers the hall.
    Duty.objects.open().exclude(user__username="clerk").update(ended_at=Duty.objects.open().first().started_at)
    clerk.click("[data-testid=sign-out]")
    clerk.wait_for_url("**/sign-out")
    in_hand = clerk.inner_text("[data-testid=in-hand]")
    case = Case.objects.get()
    assert "B002" in in_hand and case.number in in_hand
    assert clerk.locator("[data-testid=successor] option").all_inner_texts()[-1].startswith("交给大厅")
    clerk.screenshot(path=screenshots / "issue10-sign-out-confirm-1366.png")
    clerk.click("[data-testid=confirm-sign-out]")
    clerk.wait_for_url("**/console/")
    message = clerk.inner_text(".messages")
    assert "已交给大厅待领" in message and "B002" in message and case.number in message

    manager = log_in(new_page, base, "manager")
    manager.goto(base + "/halls/longgang-district/manage/")
    handover = manager.locator("[data-hall-handover]")
    assert "B002" in handover.inner_text() and case.number in handover.inner_text()
    assert case.number in manager.inner_text("[data-testid=pool]")
    assert "0.0 h" not in manager.content()
    manager.screenshot(path=screenshots / "issue10-manager-1366.png")
    manager.screenshot(path=screenshots / "issue10-manager-1366-full.png", full_page=True)

    # A colleague signs in; the manager assigns the case to them: the hall's handover closes item by item.
    colleague = log_in(new_page, base, "longgang-district-02")
    colleague.click("button[data-window='9']")
    colleague.wait_for_url("**/console/*/")
    assert case.number in colleague.inner_text("[data-testid=pool]")  # the console lists the hall's pool too
    manager.reload()
    manager.click("[data-testid=assign-case]")
    manager.wait_for_url("**/manage/")
    assert "待领池中没有办件" in manager.inner_text("[data-testid=pool]")
    assert "已接手" in manager.inner_text("[data-hall-handover]")
    manager.screenshot(path=screenshots / "issue10-manager-assigned-1366.png", full_page=True)
