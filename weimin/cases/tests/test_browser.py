"""Mr. Zhang's evening in a real browser: one document missing, fixed before closing, accepted the same day."""

import pytest

from weimin.cases.models import Case
from weimin.conftest import CONSOLE, KIOSK, enrolled_context
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT_ID = "34052419800101001X"


def take_number(page, base, item="建设工程消防验收") -> str:
    page.goto(base + "/halls/longgang-district/kiosk/")
    page.get_by_role("link", name=item).click()
    page.click("[data-testid=confirm]")
    return page.inner_text("[data-testid=ticket-number]")


def test_missing_document_resubmitted_the_same_evening(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    base = live_server.url
    kiosk = new_page(viewport=KIOSK)
    enrolled_context(kiosk.context, base, enroll("kiosk"))  # the hall's enrolled kiosk
    assert take_number(kiosk, base) == "B001"  # Mr. Zhang
    assert take_number(kiosk, base) == "B002"  # someone after him

    console = new_page(viewport=CONSOLE)
    console.goto(base + "/console/")
    console.fill("#id_username", "clerk")
    console.fill("#id_password", data.DEMO_PASSWORD)
    console.click("button[type=submit]")
    console.click("button[data-window='8']")
    console.wait_for_url("**/console/*/")
    console.keyboard.press("Space")
    console.locator("[data-testid=current-number]", has_text="B001").wait_for()
    console.click("[data-testid=open-case]")
    console.fill("#id_name", "张先生")
    console.fill("#id_id_number", APPLICANT_ID)
    console.fill("#id_phone", "13800138000")
    for present in console.locator('td.states input[value="present"]').all():  # every line starts 未核验
        present.check()
    console.locator('tr[data-material="消防设施检测报告"] input[value="missing"]').check()
    console.locator('input[name="decision"][value="correction"]').check()
    console.click("[data-testid=decide]")
    console.wait_for_url("**/cases/s/*/notices/*/")
    assert console.locator(".notice").get_attribute("data-kind") == "correction"
    scanned = console.url.split("/notices/")[0] + "/"  # what the notice's QR code holds: the applicant's key
    assert console.locator(".notice-materials li").all_inner_texts() == ["消防设施检测报告 — 缺少"]
    console.emulate_media(media="print")
    console.screenshot(path=screenshots / "correction-notice-a4.png", full_page=True)
    console.emulate_media(media="screen")
    case = Case.objects.get()
    console.goto(base + "/console/")
    console.wait_for_url("**/console/*/")
    console.keyboard.press("c")  # complete B001: he goes to fetch the report
    console.locator("[data-testid=current-number]").wait_for(state="detached")

    freeze("2017-12-08 19:05")  # after the 19:00 cut-off, before closing
    kiosk.goto(base + "/halls/longgang-district/kiosk/")
    assert "当前暂停取号" in kiosk.inner_text("main")
    kiosk.click("[data-testid=entry-fast-lane]")  # 补正回访, on the kiosk's first screen
    kiosk.wait_for_url("**/kiosk/fast-lane/")
    kiosk.keyboard.type(scanned)  # the kiosk's scanner types the QR code's link into the focused field…
    kiosk.keyboard.press("Enter")  # …and presses Enter
    kiosk.wait_for_url("**/slip/")
    fast_number = kiosk.inner_text("[data-testid=ticket-number]")

    console.reload()
    console.keyboard.press("Space")
    console.locator("[data-testid=current-number]", has_text=fast_number).wait_for()  # ahead of B002
    console.click("[data-testid=open-case]")
    assert console.locator("tr[data-material]").count() == 1  # only the listed material is re-checked
    console.locator('tr[data-material="消防设施检测报告"] input[value="present"]').check()
    console.locator('input[name="decision"][value="accept"]').check()
    console.click("[data-testid=decide]")
    console.wait_for_url("**/notices/*/")
    assert console.locator(".notice").get_attribute("data-kind") == "acceptance"
    console.screenshot(path=screenshots / "acceptance-notice.png", full_page=True)
    case.refresh_from_db()
    assert case.status == "processing" and case.accepted_on.isoformat() == "2017-12-08"
