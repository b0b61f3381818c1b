"""The kiosk in kiosk clothes (1080×1920 portrait), booking and numbers taken on a phone (390×844)."""

import re

import pytest

from weimin.conftest import KIOSK, PHONE, enrolled_context
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADULT = "34052419800101001X"
# A kiosk's print dialog would block a headless browser: count the calls instead.
COUNT_PRINTS = "window.prints = 0; window.print = function () { window.prints += 1; };"


def kiosk_page(new_page, base, enroll):
    page = new_page(viewport=KIOSK)
    enrolled_context(page.context, base, enroll("kiosk"))
    page.context.add_init_script(COUNT_PRINTS)
    return page


def document_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def small_targets(page) -> list[str]:
    """Visible links, buttons and fields smaller than 64 px in height."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('main a, main button, main input:not([type=hidden]), header a'))
            .filter(e => e.offsetParent !== null && !e.closest('.choice') && !e.closest('.hint'))
            .filter(e => e.getBoundingClientRect().height < 64).map(e => e.outerHTML.slice(0, 80))"""
    )


def test_kiosk_home_is_one_screen_without_staff_links(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    page = kiosk_page(new_page, live_server.url, enroll)
    page.goto(live_server.url + "/halls/longgang-district/kiosk/")
    page.screenshot(path=screenshots / "kiosk-home-1080x1920.png")
    assert document_height(page) <= 1920
    assert page.locator("footer").count() == 0
    for staff in ("窗口工作台", "接口", "后台管理", "English"):
        assert staff not in page.inner_text("body")
    assert small_targets(page) == []
    for entry in ("entry-check-in", "entry-fast-lane"):  # on the first screen, big
        box = page.locator(f"[data-testid={entry}]").bounding_box()
        assert box["y"] + box["height"] <= 1920 and box["height"] >= 100


def test_kiosk_ticket_prints_at_once_and_returns_home(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    page = kiosk_page(new_page, live_server.url, enroll)
    page.goto(live_server.url + "/halls/longgang-district/kiosk/items/fire-acceptance/")
    for key in "34052419800101001X":  # the ID number on the on-screen keypad
        page.click(f"[data-key='{key}']")
    page.click(".choice:has-text('孕妇')")
    page.screenshot(path=screenshots / "kiosk-item-1080x1920.png")
    assert document_height(page) <= 1920 and small_targets(page) == []
    page.click("[data-testid=confirm]")
    page.wait_for_url("**/slip/")
    assert page.evaluate("window.prints") == 1  # printed at once, without a second tap
    assert page.get_by_text("在本屏查看").count() == 0  # no stranger's cancellable ticket on the public screen
    page.screenshot(path=screenshots / "kiosk-slip-1080x1920.png")
    assert document_height(page) <= 1920
    page.wait_for_url("**/kiosk/", timeout=30000)  # back to the start by itself


def test_kiosk_returns_home_after_inactivity(new_page, live_server, freeze, enroll, settings):
    seed_demo()
    freeze("2017-12-08 18:30")
    settings.WEIMIN_KIOSK_IDLE_SECONDS = 2
    page = kiosk_page(new_page, live_server.url, enroll)
    page.goto(live_server.url + "/halls/longgang-district/kiosk/check-in/")
    page.click("[data-key='7']")
    page.wait_for_url(re.compile(r".*/kiosk/$"), timeout=8000)


def test_kiosk_fast_lane_by_keypad(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    page = kiosk_page(new_page, live_server.url, enroll)
    page.goto(live_server.url + "/halls/longgang-district/kiosk/")
    page.click("[data-testid=entry-fast-lane]")
    page.wait_for_url("**/kiosk/fast-lane/")
    assert page.evaluate("document.activeElement.dataset.testid") == "scan"  # ready for the scanner
    page.click("[data-testid=case-number]")
    for key in "201712080010001":
        page.click(f"[data-key='{key}']")
    page.click("[data-testid=id-number]")
    for key in ADULT:
        page.click(f"[data-key='{key}']")
    assert page.input_value("[data-testid=case-number]") == "201712080010001"
    assert page.input_value("[data-testid=id-number]") == ADULT
    assert page.evaluate("document.activeElement.dataset.testid") == "scan"  # a scan still lands right
    page.screenshot(path=screenshots / "kiosk-fast-lane-1080x1920.png")
    assert document_height(page) <= 1920 and small_targets(page) == []
    page.click("[data-testid=resubmit]")
    page.wait_for_url("**/kiosk/fast-lane/")  # no such case: the refusal is shown on the same screen
    assert page.locator(".messages .error").count() == 1
    page.screenshot(path=screenshots / "kiosk-fast-lane-refused-1080x1920.png")


def test_booking_on_a_phone_then_check_in_by_scanning(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 19:30")  # Friday evening after the cut-off: Saturday is the first day with free times
    base = live_server.url
    phone = new_page(viewport=PHONE)
    phone.goto(base + "/items/fire-acceptance/")
    phone.screenshot(path=screenshots / "item-with-booking-links-390.png", full_page=True)
    phone.locator("a[href*='longgang-district/appointments/?item=fire-acceptance']").click()
    assert phone.locator("select[name=item] option:checked").inner_text().endswith("建设工程消防验收")
    assert phone.locator("[data-testid=day] option:checked").get_attribute("value") == "2017-12-09"
    phone.locator("label.slot", has_text="10:30–11:00").click()
    phone.fill("#id_name", "黄女士")
    phone.fill("#id_id_number", "340524198001010013")  # a typo in the check digit
    phone.fill("#id_phone", "13800138000")
    phone.click("[data-testid=book]")
    assert "身份证号码无效" in phone.inner_text(".booking")
    assert phone.locator("label.slot:has(input:checked)").inner_text().startswith("10:30")  # kept
    assert phone.input_value("#id_name") == "黄女士"
    phone.screenshot(path=screenshots / "booking-refused-390.png", full_page=True)
    phone.fill("#id_id_number", ADULT)
    phone.click("[data-testid=book]")
    phone.wait_for_url("**/a/*/")
    assert no_horizontal_scroll(phone)
    assert "10:30" in phone.inner_text(".booking-confirmation")
    assert phone.locator("[data-testid=booking-qr] svg").bounding_box()["width"] <= 390
    phone.screenshot(path=screenshots / "booking-confirmation-390.png", full_page=True)
    link = phone.url

    freeze("2017-12-09 10:20")
    kiosk = kiosk_page(new_page, base, enroll)
    kiosk.goto(base + "/halls/longgang-district/kiosk/")
    kiosk.click("[data-testid=entry-check-in]")
    kiosk.wait_for_url("**/kiosk/check-in/")
    kiosk.screenshot(path=screenshots / "kiosk-check-in-1080x1920.png")
    assert document_height(kiosk) <= 1920 and small_targets(kiosk) == []
    kiosk.keyboard.type(link)  # the scanner types the code's link into the focused field…
    kiosk.keyboard.press("Enter")  # …and presses Enter
    kiosk.wait_for_url("**/slip/")
    assert kiosk.inner_text("[data-testid=ticket-number]").startswith("B")
    assert "预约" in kiosk.inner_text(".slip-item")


def test_number_from_the_phone_then_checked_in_at_the_kiosk(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    base = live_server.url
    phone = new_page(viewport=PHONE)
    phone.goto(base + "/halls/longgang-district/")
    phone.get_by_role("link", name="手机取号").click()
    phone.wait_for_url("**/remote-ticket/")
    phone.select_option("#id_item", "fire-acceptance")
    phone.fill("#id_id_number", ADULT)
    phone.screenshot(path=screenshots / "remote-ticket-form-390.png", full_page=True)
    phone.click("[data-testid=take-remote]")
    phone.wait_for_url("**/a/*/")
    assert "尚未排队" in phone.inner_text(".booking-confirmation")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=screenshots / "remote-ticket-taken-390.png", full_page=True)
    link = phone.url

    freeze("2017-12-08 18:50")
    kiosk = kiosk_page(new_page, base, enroll)
    kiosk.goto(base + "/halls/longgang-district/kiosk/check-in/")
    kiosk.keyboard.type(link)
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url("**/slip/")
    number = kiosk.inner_text("[data-testid=ticket-number]")
    assert kiosk.evaluate("window.prints") == 1

    phone.locator("[data-testid=ticket-number]").wait_for(timeout=20000)  # the phone page follows by itself
    assert phone.inner_text("[data-testid=ticket-number]") == number
    assert phone.locator("[data-testid=booking-qr]").count() == 0 and "尚未排队" not in phone.inner_text("main")
    phone.screenshot(path=screenshots / "remote-ticket-checked-in-390.png", full_page=True)
