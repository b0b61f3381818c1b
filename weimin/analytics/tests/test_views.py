"""The analytics pages: who sees what, the period's errors, and downloads carrying the page's figures
(on the Friday of ``conftest``)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from weimin.analytics import actions
from weimin.analytics.measures import MEASURES
from weimin.core import clock
from weimin.tickets import actions as ticket_actions

FRIDAY = date(2017, 12, 8)
PERIOD = "from=2017-12-08&to=2017-12-08"


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_pages_need_a_sign_in(client, hall):
    for url in ("/analytics/", f"/analytics/halls/{hall.code}/", "/analytics/report/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_clerk_may_not_see_the_figures(client, friday, hall):
    logged_in(client, friday)
    for url in ("/analytics/", f"/analytics/halls/{hall.code}/", "/analytics/report/", "/analytics/halls/pinghu/live"):
        assert client.get(url).status_code == 403


def test_a_manager_sees_their_hall_only(client, friday, hall, manager):
    logged_in(client, manager)
    response = client.get("/analytics/")
    assert response.status_code == 302 and response["Location"] == f"/analytics/halls/{hall.code}/"
    assert client.get(f"/analytics/halls/{hall.code}/?{PERIOD}").status_code == 200
    assert client.get("/analytics/halls/pinghu/").status_code == 403
    assert client.get("/analytics/report/?hall=pinghu").status_code == 403
    assert client.get("/analytics/halls/nowhere/").status_code == 404
    report = client.get(f"/analytics/report/?by=hall&{PERIOD}")
    assert [row["label"] for row in report.context["tables"][0].rows] == [hall.name, "合计"]


def test_a_manager_of_two_halls_compares_them(client, friday, hall, pinghu, make_staff):
    logged_in(client, make_staff("zhao", "hall_manager", halls=[hall, pinghu]))
    page = client.get(f"/analytics/?{PERIOD}")
    assert page.status_code == 200
    assert "我负责的大厅" in page.content.decode()


def test_the_district_ranks_the_halls_and_totals_them(client, friday, office, hall):
    logged_in(client, office)
    page = client.get(f"/analytics/?{PERIOD}&rank=mean_wait_minutes")
    assert page.status_code == 200
    halls = page.context["tables"][0]
    # Ranked by mean wait, lowest first: Pinghu (5 min) before the district hall (37/3 min).
    assert [(row["rank"], row["hall"], row["visits"]) for row in halls.rows] == [
        (1, "平湖街道行政服务中心", 1), (2, hall.name, 3), (None, "全区合计", 4),
    ]  # fmt: skip
    total = halls.rows[-1]
    assert total["visits"] == sum(row["visits"] for row in halls.rows[:-1])
    assert total["mean_wait_minutes"] == pytest.approx(10.5)
    assert halls.rows[1]["under_target_share"] == pytest.approx(2 / 3)
    assert halls.rows[1]["evening_share"] == pytest.approx(1 / 3)
    html = page.content.decode()
    assert 'data-chart="chart-ranking"' in html and 'id="chart-ranking"' in html
    assert "口径说明" in html and "平均等候" in html


def test_the_excel_download_carries_the_pages_figures(client, friday, office):
    logged_in(client, office)
    page = client.get(f"/analytics/?{PERIOD}")
    shown = page.context["tables"][0]
    response = client.get(f"/analytics/?{PERIOD}&download=halls&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="district-20171208-20171208-halls.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(column.label for column in shown.columns)
    assert rows[0][:4] == ("名次", "大厅", "服务人次", "办件量")
    assert [row[1:3] for row in rows[1:]] == [(row["hall"], row["visits"]) for row in shown.rows]
    visits, mean_wait = rows[0].index("服务人次"), rows[0].index("平均等候（分钟）")
    assert rows[-1][visits] == 4 and rows[-1][mean_wait] == pytest.approx(10.5)
    csv_rows = list(csv.reader(io.StringIO(client.get(f"/analytics/?{PERIOD}&download=halls&format=csv")
                                           .content.decode()[1:])))  # fmt: skip
    assert csv_rows[-1][mean_wait] == "10.5"
    assert client.get(f"/analytics/?{PERIOD}&download=nothing&format=xlsx").status_code == 404


def test_bad_dates_name_the_field(client, friday, office):
    logged_in(client, office)
    page = client.get("/analytics/?from=2017-13-01&to=2017-12-08")
    assert page.status_code == 200
    assert page.context["period_errors"] == ["开始日期：请按 YYYY-MM-DD 填写日期，例如 2017-10-23。"]
    assert 'aria-invalid="true"' in page.content.decode()
    page = client.get("/analytics/report/?from=2017-12-08&to=2017-12-01")
    assert page.context["period_errors"] == ["结束日期：不能早于开始日期。"]
    page = client.get("/analytics/report/?from=2010-01-01&to=2017-12-01")
    assert page.context["period_errors"] == ["结束日期：统计期间最长 1098 天。"]
    page = client.get("/analytics/report/?by=planet")
    assert page.context["other_errors"] == ["请从所列维度中选择分组方式。"]


def test_the_period_presets(client, friday, office, freeze):
    logged_in(client, office)
    freeze("2017-12-08 20:00")
    for preset, first in (("today", "2017-12-08"), ("week", "2017-12-04"), ("month", "2017-12-01"),
                          ("30d", "2017-11-09")):  # fmt: skip
        period = client.get(f"/analytics/?period={preset}").context["period"]
        assert (period.first.isoformat(), period.last) == (first, FRIDAY)
    page = client.get("/analytics/?period=today")
    assert [p["current"] for p in page.context["presets"]] == [True, False, False, False]


def test_the_wall_screen_reloads_itself_without_chrome(client, friday, office):
    logged_in(client, office)
    html = client.get(f"/analytics/?{PERIOD}&wall=1").content.decode()
    assert 'data-reload-after="60"' in html and 'class="analytics wall"' in html
    assert 'class="topbar"' not in html and "analytics-nav" in html and "table-halls" not in html


def test_the_hall_dashboard(client, friday, hall, manager, freeze):
    logged_in(client, manager)
    freeze("2017-12-08 18:17")  # A3 at the window since 18:12, A4 waiting since 18:15
    actions.refresh(clock.now())
    page = client.get(f"/analytics/halls/{hall.code}/?{PERIOD}")
    assert page.status_code == 200
    floor = page.context["floor"]
    assert (floor.waiting, floor.staffed_windows) == (0, 1)  # A4 was cancelled at 18:16
    by_window = next(t for t in page.context["tables"] if t.name == "window")
    assert [(row["label"], row["visits"]) for row in by_window.rows] == [("5 号窗口", 3)]
    by_clerk = next(t for t in page.context["tables"] if t.name == "staff")
    assert by_clerk.rows[0]["utilisation"] is not None
    live = client.get(f"/analytics/halls/{hall.code}/live")
    assert live.status_code == 200 and 'hx-trigger="every 30s"' in live.content.decode()


def test_the_live_floor_counts_who_waits_now(client, hall, item, window, manager, make_clerk, freeze):
    freeze("2017-12-08 09:00")
    make_clerk("huang", window)
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket_actions.issue_ticket(hall, item, freeze("2017-12-08 09:20"))
    freeze("2017-12-08 09:32")
    logged_in(client, manager)
    context = client.get(f"/analytics/halls/{hall.code}/live").context
    assert (context["floor"].waiting, context["floor"].staffed_windows, context["longest_wait"]) == (2, 1, 32)


def test_a_one_year_report_by_month(client, friday, office, hall):
    logged_in(client, office)
    page = client.get(f"/analytics/report/?by=month&hall={hall.code}&from=2017-01-01&to=2017-12-31")
    table = page.context["tables"][0]
    months = [(row["label"], row["visits"]) for row in table.rows]
    assert len(months) == 13 and months[0] == ("2017-01", 0)  # every month shown, the empty ones too
    assert months[-2:] == [("2017-12", 3), ("合计", 3)]
    response = client.get(f"/analytics/report/?by=month&hall={hall.code}&from=2017-01-01&to=2017-12-31"
                          "&download=report&format=xlsx")  # fmt: skip
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[-2][:2] == ("2017-12", 3)


def test_every_page_explains_the_measures_it_shows(client, friday, office, hall):
    logged_in(client, office)
    for url in ("/analytics/", f"/analytics/halls/{hall.code}/", "/analytics/report/?by=item"):
        context = client.get(f"{url}{'&' if '?' in url else '?'}{PERIOD}").context
        explained = {name for name, _definition in context["definitions"]}
        shown = {column.label for table in context["tables"] for column in table.columns if column.key in MEASURES}
        assert shown <= explained, url
