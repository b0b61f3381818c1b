import re

import pytest

from weimin.calendars.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_home_lists_halls_with_todays_hours_and_open_now(client, hall, freeze):
    freeze("2017-12-08 18:30")
    page = client.get("/").content.decode()
    assert "龙岗区行政服务大厅" in page
    assert 'data-open="yes"' in page
    assert "14:00–19:30" in page
    assert "19:00 停止取号" in page
    assert "演示时钟" in page  # the page says it runs on a simulated clock


def test_home_before_the_extension_shows_closed_and_next_opening(client, hall, freeze):
    freeze("2017-10-20 18:40")
    page = client.get("/").content.decode()
    assert 'data-open="no"' in page
    assert "14:00–18:00" in page
    assert "10-23" in page  # opens again Monday 2017-10-23 09:00 (no Saturday session yet)


def test_home_holiday_names_the_holiday(client, hall, freeze):
    freeze("2026-10-01 10:00")
    page = client.get("/").content.decode()
    assert "国庆节" in page and 'data-open="no"' in page


def test_home_in_an_unpublished_year_opens_provisionally_and_says_so(client, hall, freeze):
    freeze("2027-01-04 10:00")
    page = client.get("/").content.decode()
    assert 'data-open="yes"' in page and 'data-provisional="yes"' in page and "临时安排" in page
    assert 'data-provisional="yes"' in client.get(f"/halls/{hall.code}/").content.decode()
    CalendarYear.objects.create(year=2027)
    page = client.get("/").content.decode()
    assert 'data-open="yes"' in page and "data-provisional" not in page


def test_status_fragment_for_htmx_refresh(client, hall, freeze):
    freeze("2017-12-08 18:30")
    fragment = client.get("/fragments/hall-status/").content.decode()
    assert "<html" not in fragment and 'data-hall="longgang-district"' in fragment


def test_hall_page_lists_its_items_by_category(client, hall, window, item, freeze):
    freeze("2017-12-08 18:30")
    page = client.get("/halls/longgang-district/").content.decode()
    assert "建设工程消防验收" in page and "消防审批" in page
    assert client.get("/halls/nowhere/").status_code == 404


def test_item_page_is_the_complete_checklist(client, hall, window, item):
    page = client.get("/items/fire-acceptance/").content.decode()
    names = re.findall(r"<strong>(.*?)</strong>", page)
    assert names == ["建设工程消防验收申报表", "消防产品质量合格证明文件", "委托书"]
    assert "可书面承诺后补交（容缺）" in page  # the 容缺-eligible material says so
    assert "如适用" in page  # the optional one too
    assert "15 个工作日" in page and "20 个工作日" in page
    assert client.get("/items/nothing/").status_code == 404


def test_chinese_first_whatever_the_browser_asks_and_english_on_request(client, hall):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "行政服务大厅" in page and '<html lang="zh-hans">' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert "Service halls" in english and '<html lang="en">' in english


def test_pages_are_phone_friendly(client, hall):
    assert 'name="viewport"' in client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/", "/halls/longgang-district/"])
def test_after_the_cut_off_the_pages_say_no_more_tickets_not_open_now(client, hall, freeze, path):
    """Issue 10, point 7: at 19:10 the home and hall pages still showed a green "正在服务"."""
    freeze("2017-12-08 18:59")
    assert 'data-open="yes"' in client.get(path).content.decode()
    freeze("2017-12-08 19:10")
    page = client.get(path).content.decode()
    assert 'data-open="yes"' not in page and 'data-open="stopped"' in page
    assert "今日已停止取号" in page and "19:30 关闭" in page and "下次开放 12-09 星期六 09:00" in page
    freeze("2017-12-08 19:30")  # closed
    assert 'data-open="no"' in client.get(path).content.decode()


def test_items_decided_on_the_spot_say_so_not_zero_days(client, hall, window, item):
    """Items without a time limit read "0 个工作日"."""
    item.promised_days = 0
    item.save()
    for path in ("/halls/longgang-district/", "/items/fire-acceptance/"):
        page = client.get(path).content.decode()
        assert "即办" in page and not re.search(r"(?<!\d)0 个工作日", page)
