"""The citizen's path in a real browser: Debian's chromium driven by Playwright."""

import pytest

from weimin.conftest import CONSOLE, PHONE
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_finds_an_open_hall_and_the_full_checklist(new_page, live_server, freeze, screenshots):
    seed_demo()
    freeze("2017-12-08 18:30")
    page = new_page(viewport=PHONE, locale="en-US")  # a phone, English-set
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "行政服务大厅"  # Chinese first, whatever the phone's language
    cards = page.locator(".hall-card")
    assert cards.count() == 12
    district = page.locator('.hall-card[data-hall="longgang-district"]')
    assert district.locator('[data-open="yes"]').is_visible()
    assert "14:00–19:30" in district.inner_text()
    page.screenshot(path=screenshots / "home-phone.png", full_page=True)

    district.locator("a.card-title").click()
    page.wait_for_url("**/halls/longgang-district/")
    assert "消防审批" in page.inner_text("main")
    page.get_by_role("link", name="建设工程消防验收").click()
    page.wait_for_url("**/items/fire-acceptance/")
    materials = page.locator(".checklist strong").all_inner_texts()
    assert materials[0] == "建设工程消防验收申报表" and len(materials) == 5
    assert page.locator(".tag.later").count() == 2
    page.screenshot(path=screenshots / "item-phone.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h2").first.inner_text() == "Materials to bring"
    page.close()


def test_status_refreshes_itself_through_htmx(new_page, live_server, freeze, screenshots):
    seed_demo()
    freeze("2017-12-08 19:29")
    page = new_page(viewport=CONSOLE)
    page.goto(live_server.url + "/")
    # Open until 19:30, but past the 19:00 cut-off: no more tickets (issue 10), not "open now".
    assert page.locator('.hall-card[data-hall="pinghu"] [data-open="stopped"]').is_visible()
    freeze("2017-12-08 19:31")
    # The same request the every-60s trigger makes, issued now instead of waiting a minute.
    page.evaluate("htmx.ajax('GET', '/fragments/hall-status/', {target: '#hall-list', swap: 'innerHTML'})")
    page.locator('.hall-card[data-hall="pinghu"] [data-open="no"]').wait_for(timeout=5000)
    page.screenshot(path=screenshots / "home-desktop-closed.png", full_page=True)
    page.close()


def test_after_the_cut_off_and_a_wrong_address_on_a_phone(new_page, live_server, freeze, screenshots):
    """Issue 10: a green "正在服务" after 19:00 sent people on their way; a wrong address showed a bare
    English page with no way home."""
    seed_demo()
    freeze("2017-12-08 19:10")
    page = new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    district = page.locator('.hall-card[data-hall="longgang-district"]')
    assert district.locator('[data-open="stopped"]').is_visible() and page.locator('[data-open="yes"]').count() == 0
    assert "19:30 关闭" in district.inner_text() and "下次开放 12-09 星期六 09:00" in district.inner_text()
    page.screenshot(path=screenshots / "home-phone-after-cutoff.png", full_page=True)

    missing = page.goto(live_server.url + "/t/an-old-link/")
    assert missing.status == 404 and "页面不存在" in page.inner_text("h1")
    page.screenshot(path=screenshots / "error-404-phone.png", full_page=True)
    page.click("text=返回首页")
    page.wait_for_url(live_server.url + "/")
