"""Issue 9, item 6 in a real browser: a category name carrying HTML is shown as text on the hall display,
and the main pages run under the Content-Security-Policy without a single violation."""

import pytest

from weimin.conftest import CONSOLE, TV
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '消防<img src=x onerror="window.xss=1"><b>'  # within the name's 60 characters


def watch_violations(page) -> list[str]:
    """Every CSP violation the page reports (Chromium also logs each on the console)."""
    found = []

    def seen(message):
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", seen)
    return found


def test_a_category_name_with_html_is_shown_as_text_on_the_display(new_page, live_server, freeze):
    from weimin.core import clock
    from weimin.halls.models import Hall, ServiceItem
    from weimin.tickets import actions

    seed_demo()
    freeze("2017-12-08 18:30")
    item = ServiceItem.objects.select_related("category").get(code="fire-acceptance")
    item.category.name = PAYLOAD  # renamed in the back office by someone who may edit categories
    item.category.save()
    actions.issue_ticket(Hall.objects.get(code="longgang-district"), item, clock.now())

    display = new_page(viewport=TV)
    violations = watch_violations(display)
    display.goto(live_server.url + "/halls/longgang-district/display/")
    display.wait_for_function("() => window.weiminDisplay && window.weiminDisplay.polls > 0")
    display.locator("#waiting li", has_text="消防").first.wait_for(timeout=5000)
    assert PAYLOAD in display.inner_text("#waiting")  # the name as typed, markup and all
    assert display.locator("#waiting img, #waiting b").count() == 0
    display.wait_for_timeout(500)  # an injected image's error handler would have run by now
    assert display.evaluate("window.xss") is None
    assert violations == []


def log_in(page, base, username):
    page.goto(base + "/login/?next=/console/")
    page.fill("#id_username", username)
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")


def test_the_main_pages_run_without_a_policy_violation(new_page, live_server, freeze):
    """Inline scripts, onclick= and style= (htmx's indicator styles among them) would each be reported."""
    from weimin.core import clock
    from weimin.halls.models import Window
    from weimin.tickets import actions

    seed_demo()
    freeze("2017-12-08 18:30")
    window = Window.objects.get(hall__code="longgang-district", number=8)
    actions.issue_ticket(window.hall, window.items.first(), clock.now())  # someone for the clerk to call
    base = live_server.url
    page = new_page(viewport=CONSOLE)
    violations = watch_violations(page)
    for path in (
        "/",
        "/halls/longgang-district/",
        "/items/fire-acceptance/",
        "/halls/longgang-district/kiosk/",
        "/halls/longgang-district/kiosk/items/fire-acceptance/",
        "/halls/longgang-district/kiosk/check-in/",
        "/halls/longgang-district/kiosk/fast-lane/",
        "/halls/longgang-district/remote-ticket/",
        "/halls/longgang-district/appointments/",
        "/cases/status/",
        "/api/docs",
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.goto(base + "/halls/longgang-district/appointments/")
    with page.expect_navigation():  # the selects submit their form when changed (page.js, no onchange=)
        page.select_option("select[name=date]", index=1)
    assert "date=" in page.url

    log_in(page, base, "clerk")
    page.click("button[data-window='8']")
    page.wait_for_url("**/console/*/")
    page.wait_for_timeout(4500)  # one htmx refresh of the panel
    page.keyboard.press("Space")  # the console's shortcuts come from workstation/console.js
    page.locator("[data-testid=current-number]").wait_for(timeout=5000)

    admin = new_page(viewport=CONSOLE)
    violations += watch_violations(admin)
    admin.goto(base + "/admin/login/?next=/admin/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", data.DEMO_PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url("**/admin/")
    for path in ("/admin/halls/itemcategory/", "/admin/halls/serviceitem/1/change/", "/admin/halls/hall/add/"):
        admin.goto(base + path)
        admin.wait_for_load_state("networkidle")
    assert violations == []
