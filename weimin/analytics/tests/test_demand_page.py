"""The demand page: who may see it, bad input named by its field, downloads equal to the page."""

import io

import pytest
from openpyxl import load_workbook

from weimin.halls.choices import HallKind
from weimin.halls.models import Hall

PERIOD = {"from": "2017-12-08", "to": "2017-12-09"}


@pytest.fixture
def other_hall(district):
    return Hall.objects.create(district=district, code="pinghu", name="平湖街道", kind=HallKind.SUBDISTRICT)


@pytest.fixture
def office(make_staff):
    return make_staff("office", "district_office", halls=[])


def get(client, user, **params):
    client.force_login(user)
    return client.get("/analytics/demand/", params)


def test_a_clerk_may_not_see_it(client, make_clerk, hall):
    assert get(client, make_clerk("huang")).status_code == 403


def test_anonymous_visitors_log_in_first(client, hall):
    assert client.get("/analytics/demand/").status_code == 302


def test_a_manager_sees_their_hall_only(client, manager, hall, other_hall, busy_saturday):
    page = get(client, manager, **PERIOD)
    assert page.status_code == 200
    body = page.content.decode()
    assert "龙岗区行政服务大厅" in body and "全区" not in body and "平湖街道" not in body  # no district, no other hall
    assert "龙岗区行政服务大厅，周六：每小时 10.0 位办事群众，平均开放 1.0 个窗口" in body
    assert get(client, manager, hall="pinghu", **PERIOD).status_code == 403


def test_the_office_sees_the_district_and_every_hall(client, office, hall, other_hall, busy_saturday):
    page = get(client, office, **PERIOD)
    body = page.content.decode()
    assert page.status_code == 200 and "需求分析 · 全区" in body and "平湖街道" in body
    assert get(client, office, hall="pinghu", **PERIOD).status_code == 200


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2017-13-01"}, "开始日期"),
        ({"from": "2017-12-09", "to": "2017-12-08"}, "结束日期：不能早于开始日期。"),
        ({"from": "2016-01-01", "to": "2017-12-08"}, "结束日期：统计期间最长 366 天。"),
        ({"item": "no-such-item"}, "事项"),
        ({"hall": "no-such-hall"}, "大厅"),
        ({"from": "3000-01-01", "to": "3000-01-02"}, "开始日期：请选择 1900-01-01 至 2999-12-31 之间的日期。"),
    ],
)
def test_bad_input_names_the_field(client, manager, hall, params, named):
    page = get(client, manager, **params)
    assert page.status_code == 400
    assert named in page.content.decode()


def test_downloads_carry_the_page_figures(client, manager, hall, busy_saturday):
    page = get(client, manager, **PERIOD, download="recommendations", format="xlsx")
    assert page["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(page.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("时段", "每小时来访", "平均开放窗口", "平均办理时长（分钟）", "所需窗口")
    assert rows[1][:5] == ("周六", 10, 1, 12, 3)
    csv = get(client, manager, **PERIOD, download="sessions", format="csv").content.decode()
    assert "周六,1,4.0,40,4.0,10.00,2.00,使用过度,1.0" in csv
    assert get(client, manager, **PERIOD, download="arrivals", format="csv").status_code == 200
    assert get(client, manager, **PERIOD, download="nothing", format="csv").status_code == 404


def test_without_sign_ins_the_page_says_why_there_is_no_recommendation(client, manager, hall, item, window, freeze):
    from weimin.analytics import actions
    from weimin.analytics.tests.history import served

    freeze("2017-12-08 08:00")
    served(hall, item, window, None, "2017-12-08", ["09:00", "18:10"], service_minutes=10)
    actions.refresh(freeze("2017-12-10 08:00"))
    body = get(client, manager, **PERIOD).content.decode()
    assert "本期间没有窗口签到记录" in body and "本期间没有使用不足或过度的时段" not in body


def test_sessions_as_usual_are_named(client, manager, hall, busy_saturday):
    csv = get(client, manager, **PERIOD, download="sessions", format="csv").content.decode()
    assert "工作日上午,1,3.0,6,3.0,2.00,2.00,正常," in csv


def test_odd_values_never_answer_5xx(client, manager, hall, busy_saturday):
    from weimin.tests.test_page_inputs import ODD

    client.force_login(manager)
    failures = []
    for field in ("hall", "item", "from", "to", "download", "format"):
        for value in ODD:
            status = client.get("/analytics/demand/", {field: value}).status_code
            if status >= 500:
                failures.append(f"{field}={value[:20]!r}: {status}")
    assert failures == []
