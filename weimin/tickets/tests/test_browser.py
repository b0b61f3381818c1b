"""The queue in a real browser: kiosk → console → hall display → the visitor's phone."""

import time

import pytest

from weimin.conftest import CONSOLE, KIOSK, PHONE, TV, enrolled_context
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(base + "/console/")
    page.fill("#id_username", username)
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")


def test_kiosk_ticket_is_called_shown_spoken_and_seen_on_the_phone(new_page, live_server, freeze, screenshots, enroll):
    seed_demo()
    freeze("2017-12-08 18:30")
    base = live_server.url

    kiosk = new_page(viewport=KIOSK)
    enrolled_context(kiosk.context, base, enroll("kiosk"))  # the hall's enrolled kiosk
    kiosk.goto(base + "/halls/longgang-district/kiosk/")
    kiosk.get_by_role("link", name="建设工程消防验收").click()
    assert "消防设施检测报告" in kiosk.inner_text(".checklist")  # the checklist comes before the number
    kiosk.click("[data-testid=confirm]")
    number = kiosk.inner_text("[data-testid=ticket-number]")
    assert number == "B001"
    assert kiosk.locator(".qr svg").count() == 1
    kiosk.screenshot(path=screenshots / "kiosk-slip.png", full_page=True)
    phone_url = kiosk.get_attribute(".slip .qr", "data-url")  # what the slip's QR code carries

    phone = new_page(viewport=PHONE)
    phone.goto(phone_url)
    assert phone.locator("[data-status=waiting]").is_visible()

    display = new_page(viewport=TV)
    display.goto(base + "/halls/longgang-district/display/")
    display.wait_for_function("() => window.weiminDisplay && window.weiminDisplay.polls > 0")

    console = new_page(viewport=CONSOLE)
    log_in(console, base, "clerk")
    console.click("button[data-window='8']")  # window 8 serves the fire-safety items
    console.wait_for_url("**/console/*/")
    console.keyboard.press("Space")  # call next, as a clerk does
    console.locator("[data-testid=current-number]", has_text="B001").wait_for(timeout=5000)
    called_at = time.monotonic()

    display.locator("#latest[data-number=B001]").wait_for(timeout=2000)
    assert time.monotonic() - called_at < 2.0, "the call must reach the display within 2 seconds"
    assert "8 号窗口" in display.inner_text("#latest")
    display.wait_for_function("() => window.weiminDisplay.spoken.length >= 2", timeout=20000)
    assert display.evaluate("window.weiminDisplay.spoken.slice(0, 2)") == ["请B001号到8号窗口办理"] * 2
    display.screenshot(path=screenshots / "display.png")

    phone.locator(".go-to").wait_for(timeout=7000)  # the ticket page polls every 5 seconds
    assert phone.inner_text(".go-to") == "请到8号窗口"
    phone.screenshot(path=screenshots / "my-ticket-called.png", full_page=True)
    console.screenshot(path=screenshots / "console.png", full_page=True)


def test_display_recovers_after_a_network_drop(browser, live_server, freeze, make_clerk):
    from weimin.core import clock
    from weimin.halls.models import Hall, ServiceItem, Window
    from weimin.tickets import actions

    seed_demo()
    freeze("2017-12-08 18:30")
    hall = Hall.objects.get(code="pinghu")
    window = Window.objects.filter(hall=hall, items__isnull=False).first()
    item = window.items.first()
    clerk = hall.staff.filter(user__username__startswith="pinghu-").first().user
    from weimin.shifts.actions import sign_in

    sign_in(clerk, window, clock.now())
    context = browser.new_context(viewport=TV)
    display = context.new_page()
    display.goto(live_server.url + "/halls/pinghu/display/")
    display.wait_for_function("() => window.weiminDisplay && window.weiminDisplay.polls > 0")
    context.set_offline(True)
    display.locator("#offline").wait_for(state="visible", timeout=10000)
    actions.issue_ticket(hall, ServiceItem.objects.get(pk=item.pk), clock.now())
    called = actions.call_next(clerk, window, clock.now())
    context.set_offline(False)
    display.locator(f"#latest[data-number={called.number}]").wait_for(timeout=12000)
    assert display.locator("#offline").is_hidden()
    context.close()
