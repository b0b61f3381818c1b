"""The office enters next year from the State Council's notice (1366×768), and a citizen's phone shows
a provisional day as such (390×844)."""

import pytest

from weimin.calendars.models import CalendarYear
from weimin.calendars.tests.test_notice import NOTICE_2027
from weimin.conftest import CONSOLE, PHONE
from weimin.demo import data
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_pastes_previews_and_saves_next_year(new_page, live_server, freeze, screenshots):
    seed_demo()
    freeze("2026-12-21 10:00")
    base = live_server.url
    page = new_page(viewport=CONSOLE, locale="zh-CN")
    page.goto(base + "/login/?next=/cases/status/")
    page.fill("#id_username", "office")
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/status/")
    banner = page.locator(".calendar-warning")
    assert "2027年国家节假日安排尚未录入" in banner.inner_text()
    page.screenshot(path=screenshots / "calendar-banner-office.png")
    banner.get_by_role("link", name="立即录入2027年").click()
    page.wait_for_url("**/calendar/years/?year=2027")
    assert page.input_value("#id_year") == "2027"

    page.fill("#id_source", "国务院办公厅关于2027年部分节假日安排的通知")
    page.fill("#id_text", NOTICE_2027 + "2027-10-07,holiday,中秋节\n2027-02-15,workday,春节\n")
    page.click("[data-testid=preview]")
    errors = page.locator("[data-testid=row-errors]")
    assert "第11行" in errors.inner_text() and "第12行" in errors.inner_text()
    page.screenshot(path=screenshots / "calendar-form-errors.png", full_page=True)

    page.fill("#id_text", NOTICE_2027)
    page.click("[data-testid=preview]")
    table = page.locator("[data-testid=preview-table]")
    assert "2027-02-06" in table.inner_text() and "调休上班日" in table.inner_text()
    page.screenshot(path=screenshots / "calendar-form-preview.png", full_page=True)
    page.click("[data-testid=save]")
    page.wait_for_url("**/calendar/years/")
    assert "2027年已保存" in page.inner_text(".messages")
    assert page.locator(".calendar-warning").count() == 0
    assert page.locator("tr[data-year='2027'][data-known=yes]").count() == 1
    page.screenshot(path=screenshots / "calendar-form-saved.png", full_page=True)
    assert CalendarYear.objects.filter(year=2027).exists()


def test_a_phone_shows_the_provisional_mark(new_page, live_server, freeze, screenshots):
    seed_demo()
    freeze("2027-01-04 10:00")
    phone = new_page(viewport=PHONE, locale="zh-CN")
    phone.goto(live_server.url + f"/halls/{data.DISTRICT_HALL.code}/")
    mark = phone.locator("[data-provisional=yes]").first
    assert mark.is_visible() and mark.inner_text() == "临时安排（国家节假日安排尚未公布）"
    box = mark.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # no overflow on the phone
    phone.screenshot(path=screenshots / "calendar-provisional-phone.png")
    phone.goto(live_server.url + f"/halls/{data.DISTRICT_HALL.code}/appointments/?date=2027-01-05")
    assert phone.locator("[data-provisional=yes]").is_visible()
    phone.screenshot(path=screenshots / "calendar-provisional-appointments-phone.png", full_page=True)
