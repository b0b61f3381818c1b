"""The handover in a real browser: a clerk leaves with a visitor at the window and a case in hand."""

import pytest

from weimin.accounts.models import person_name
from weimin.conftest import CONSOLE, KIOSK, PHONE, TV, enrolled_context
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT_ID = "34052419800101001X"


def console_for(new_page, base, username, window_number):
    page = new_page(viewport=CONSOLE)
    page.goto(base + "/console/")
    page.fill("#id_username", username)
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click(f"button[data-window='{window_number}']")
    page.wait_for_url("**/console/*/")
    return page


def call(page, number):
    page.keyboard.press("Space")
    page.locator("[data-testid=current-number]", has_text=number).wait_for()


def test_clerk_hands_over_and_the_successor_serves_and_decides(new_page, live_server, freeze, screenshots, enroll):
    from django.contrib.auth.models import User

    from weimin.cases.models import Case
    from weimin.halls.models import ServiceItem

    seed_demo()
    freeze("2017-12-08 18:40")
    base = live_server.url
    kiosk = new_page(viewport=KIOSK)
    enrolled_context(kiosk.context, base, enroll("kiosk"))  # the hall's enrolled kiosk
    for _ in range(2):
        kiosk.goto(base + "/halls/longgang-district/kiosk/")
        kiosk.get_by_role("link", name="建设工程消防验收").click()
        kiosk.click("[data-testid=confirm]")
        kiosk.wait_for_url("**/slip/")
    slip_of_b002 = kiosk.url

    successor = User.objects.get(username="longgang-district-02")
    successor.staff_profile.skills.add(*ServiceItem.objects.filter(category__code="fire"))  # can take the case
    colleague = console_for(new_page, base, successor.username, 9)
    clerk = console_for(new_page, base, "clerk", 8)
    # B001: one document missing, a correction notice; the case stays in the clerk's hands.
    call(clerk, "B001")
    clerk.click("[data-testid=open-case]")
    clerk.fill("#id_name", "张先生")
    clerk.fill("#id_id_number", APPLICANT_ID)
    for present in clerk.locator('td.states input[value="present"]').all():  # every line starts 未核验
        present.check()
    clerk.locator('tr[data-material="消防设施检测报告"] input[value="missing"]').check()
    clerk.locator('input[name="decision"][value="correction"]').check()
    clerk.click("[data-testid=decide]")
    clerk.wait_for_url("**/notices/*/")
    clerk.goto(base + "/console/")
    clerk.keyboard.press("c")
    clerk.locator("[data-testid=current-number]").wait_for(state="detached")
    # B002 at the window when the clerk has to leave.
    call(clerk, "B002")
    clerk.click("[data-testid=sign-out]")  # something in hand: asked first, the items named
    clerk.wait_for_url("**/sign-out")
    assert "B002" in clerk.inner_text("[data-testid=in-hand]")
    offered = clerk.locator("[data-testid=successor] option").all_inner_texts()
    assert offered[0].startswith(person_name(successor)) and "推荐" in offered[0] and offered[-1].startswith("交给大厅")
    clerk.screenshot(path=screenshots / "handover-sign-out-successors-1366.png")
    clerk.select_option("[data-testid=successor]", str(successor.pk))
    clerk.click("[data-testid=confirm-sign-out]")
    clerk.wait_for_url("**/console/")
    assert person_name(successor) in clerk.inner_text(".messages") and "B002" in clerk.inner_text(".messages")
    # B002's visitor is told on the phone and on the hall's display where to go now.
    phone = new_page(viewport=PHONE)
    phone.goto(slip_of_b002.replace("/slip/", "/"))
    assert "请到9号窗口" in phone.inner_text("[data-testid=go-to-window]")
    phone.screenshot(path=screenshots / "handover-visitor-phone-390.png", full_page=True)
    tv = new_page(viewport=TV)
    tv.goto(base + "/halls/longgang-district/display/")
    tv.locator("#sent li[data-number=B002]").wait_for()
    assert "9 号窗口" in tv.inner_text("#sent") and "9 号窗口" in tv.inner_text("#latest")
    tv.screenshot(path=screenshots / "handover-display-1920.png")
    tv.close()

    colleague.reload()
    handover = colleague.locator("[data-testid=handover]")
    assert "B002" in handover.inner_text() and Case.objects.get().number in handover.inner_text()
    colleague.screenshot(path=screenshots / "handover-console.png", full_page=True)
    colleague.click("[data-testid=acknowledge]")
    colleague.wait_for_url("**/console/*/")
    call(colleague, "B002")  # the handed-over visitor first
    colleague.keyboard.press("c")
    colleague.locator("[data-testid=current-number]").wait_for(state="detached")

    # Mr. Zhang comes back with the report: the fast lane leads to the successor, who decides.
    case = Case.objects.get()
    assert case.clerk == successor
    kiosk.goto(base + "/halls/longgang-district/kiosk/")
    kiosk.click("[data-testid=entry-fast-lane]")  # 补正回访, typed on the keypad's fields
    kiosk.wait_for_url("**/kiosk/fast-lane/")
    for field, typed in (("case-number", case.number), ("id-number", APPLICANT_ID)):
        kiosk.click(f"[data-testid={field}]")  # the kiosk has no keyboard: its keypad types
        for key in typed:
            kiosk.click(f"[data-key='{key}']")
    kiosk.click("[data-testid=resubmit]")
    fast_number = kiosk.inner_text("[data-testid=ticket-number]")
    colleague.reload()
    call(colleague, fast_number)
    colleague.click("[data-testid=open-case]")
    colleague.locator('tr[data-material="消防设施检测报告"] input[value="present"]').check()
    colleague.locator('input[name="decision"][value="accept"]').check()
    colleague.click("[data-testid=decide]")
    colleague.wait_for_url("**/notices/*/")
    case.refresh_from_db()
    assert case.status == "processing"
