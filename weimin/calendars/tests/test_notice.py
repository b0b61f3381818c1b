"""The office enters a year from the State Council's notice: the CSV rules, the page's validated
preview, saving, the missing-year banner and ``weimin check``."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weimin.calendars import checks
from weimin.calendars.models import CalendarDay, CalendarYear
from weimin.calendars.national import NationalCalendar
from weimin.calendars.rules import DayKind, NoticeProblem, parse_notice

# The 2027 notice as an office would type it (dates for the tests, not the State Council's).
NOTICE_2027 = """date_or_range,kind,name
2027-01-01,holiday,元旦
2027-02-06..2027-02-13,holiday,春节
2027-02-14,workday,春节
2027-04-05,holiday,清明节
2027-05-01..2027-05-05,holiday,劳动节
2027-06-09,holiday,端午节
2027-09-15,holiday,中秋节
2027-10-01..2027-10-07,holiday,国庆节
2027-10-09,workday,国庆节
"""


def cells(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def test_a_notice_parses_to_periods_and_workdays():
    rows, errors = parse_notice(cells(NOTICE_2027), 2027)
    assert errors == []
    spring = rows[1]
    assert (spring.first, spring.last, spring.kind, spring.name) == (date(2027, 2, 6), date(2027, 2, 13),
                                                                     DayKind.HOLIDAY, "春节")  # fmt: skip
    assert len(spring.days()) == 8 and rows[2].kind == DayKind.MAKEUP_WORKDAY
    # 休/班 as the notice says them, the other range sign, comments and blank lines
    rows, errors = parse_notice(cells("# 2019\n\n2018-12-30~2019-01-01,休,元旦\n2018-12-29,班,元旦"), 2019)
    assert errors == [] and [len(r.days()) for r in rows] == [3, 1]


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        ("2027-01-01,holiday", "date_or_range", NoticeProblem.COLUMNS),
        ("2027-13-01,holiday,元旦", "date_or_range", NoticeProblem.DATE),
        ("2027-02-13..2027-02-06,holiday,春节", "date_or_range", NoticeProblem.RANGE_ORDER),
        ("2027-01-01..2027-03-01,holiday,春节", "date_or_range", NoticeProblem.RANGE_LENGTH),
        ("2028-01-01,holiday,元旦", "date_or_range", NoticeProblem.OUTSIDE_YEAR),
        ("2027-01-01,day off,元旦", "kind", NoticeProblem.KIND),
        ("2027-02-15,workday,春节", "date_or_range", NoticeProblem.WORKDAY_WEEKDAY),  # a Monday
        ("2027-02-13..2027-02-14,workday,春节", "date_or_range", NoticeProblem.WORKDAY_RANGE),
        ("2027-01-01,holiday,", "name", NoticeProblem.NAME),
    ],
)
def test_each_wrong_row_is_named_with_its_column(line, column, problem):
    rows, errors = parse_notice(cells("2027-04-05,holiday,清明节\n" + line), 2027)
    assert [(e.row, e.column, e.problem) for e in errors] == [(2, column, problem)]


def test_an_overlap_names_the_row_that_listed_the_date_first():
    _, errors = parse_notice(cells("2027-10-01..2027-10-07,holiday,国庆节\n2027-09-15,holiday,中秋节\n"
                                   "2027-10-07,holiday,中秋节"), 2027)  # fmt: skip
    assert [(e.row, e.problem, e.other_row) for e in errors] == [(3, NoticeProblem.OVERLAP, 1)]
    assert parse_notice([], 2027)[1][0].problem == NoticeProblem.EMPTY


@pytest.fixture
def office(make_staff):
    return make_staff("office", "district_office", halls=[])


def preview(client, text, year=2027, **extra):
    return client.post("/calendar/years/", {"year": year, "source": "国办发明电〔2026〕", "text": text,
                                            "step": "preview", **extra})  # fmt: skip


def test_preview_shows_the_rows_then_save_enters_the_year(client, office, freeze):
    freeze("2026-12-21 10:00")
    client.force_login(office)
    page = client.get("/calendar/years/")
    assert page.status_code == 200 and page.context["form"]["year"].value() == 2027
    shown = preview(client, NOTICE_2027)
    body = shown.content.decode()
    assert shown.status_code == 200 and 'data-testid="preview-table"' in body and "2027-02-06" in body
    assert 'data-testid="incomplete"' not in body and not CalendarYear.objects.exists()  # a preview saves nothing
    saved = client.post("/calendar/years/", {"year": 2027, "source": "国办发明电〔2026〕", "text": NOTICE_2027,
                                             "step": "save"}, follow=True)  # fmt: skip
    assert "2027年已保存" in saved.content.decode()
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕"
    assert CalendarDay.objects.filter(date__year=2027).count() == 1 + 8 + 1 + 1 + 5 + 1 + 1 + 7 + 1
    calendar = NationalCalendar()
    assert calendar.status(date(2027, 2, 14)).kind == DayKind.MAKEUP_WORKDAY
    assert calendar.status(date(2027, 3, 1)).kind == DayKind.WORKDAY  # not listed: an ordinary weekday
    # Entering the year again replaces it: a day no longer listed is an ordinary day again.
    client.post("/calendar/years/", {"year": 2027, "source": "更正", "text": "2027-01-01,holiday,元旦",
                                     "step": "save"})  # fmt: skip
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]
    assert NationalCalendar().status(date(2027, 2, 8)).kind == DayKind.WORKDAY


def test_a_wrong_row_saves_nothing_and_names_row_and_column(client, office, freeze):
    freeze("2026-12-21 10:00")
    client.force_login(office)
    text = NOTICE_2027 + "2027-10-07,holiday,中秋节\n2027-02-15,workday,春节\n"
    for step in ("preview", "save"):
        response = preview(client, text, step=step)
        body = response.content.decode()
        assert response.status_code == 422 and "未保存任何内容" in body
        assert "第11行，“日期或日期范围”列：该日期已在第9行列出" in body
        assert "第12行，“日期或日期范围”列：调休上班日必须是星期六或星期日" in body
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_a_complete_year_an_incomplete_notice_and_an_upload(client, office, freeze):
    freeze("2026-12-21 10:00")
    client.force_login(office)
    complete = preview(client, "2026-01-01,holiday,元旦", year=2026)
    assert complete.status_code == 422 and "2026年的安排已完整" in complete.content.decode()
    short = preview(client, "2027-01-01,holiday,元旦").content.decode()
    assert 'data-testid="incomplete"' in short  # one holiday of seven: a warning, not an error
    upload = SimpleUploadedFile("2027.csv", NOTICE_2027.encode("gb18030"), content_type="text/csv")
    uploaded = preview(client, "", upload=upload)
    assert uploaded.status_code == 200 and "国庆节" in uploaded.content.decode()
    too_big = SimpleUploadedFile("2027.csv", b"x" * 70_000, content_type="text/csv")
    assert "64 KB" in preview(client, "", upload=too_big).content.decode()


def test_only_the_office_enters_a_year(client, manager, freeze):
    freeze("2026-12-21 10:00")
    client.force_login(manager)
    assert client.get("/calendar/years/").status_code == 404


def test_the_banner_warns_those_who_watch_deadlines(client, office, manager, make_staff, freeze):
    clerk = make_staff("li", "window_staff")
    freeze("2026-10-31 10:00")
    client.force_login(office)
    assert "data-calendar-missing" not in client.get("/").content.decode()
    freeze("2026-11-01 08:00")
    page = client.get("/").content.decode()
    assert 'data-calendar-missing="2027"' in page and 'href="/calendar/years/?year=2027"' in page
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'data-calendar-missing="2027"' in page and "/calendar/years/" not in page  # told who enters it
    client.force_login(clerk)
    assert "data-calendar-missing" not in client.get("/").content.decode()
    CalendarYear.objects.create(year=2027)
    client.force_login(office)
    assert "data-calendar-missing" not in client.get("/").content.decode()


def test_weimin_check_warns_from_the_set_day(freeze, settings, db):
    freeze("2026-10-31 23:00")
    assert checks.calendar_years() == []
    freeze("2026-11-01 00:10")
    assert [(w.id, "2027" in w.msg) for w in checks.calendar_years()] == [("calendars.W001", True)]
    settings.WEIMIN_CALENDAR_WARN_FROM = "12-01"
    assert checks.calendar_years() == []
    settings.WEIMIN_CALENDAR_WARN_FROM = "1st of November"
    assert [m.id for m in checks.calendar_years()] == ["calendars.E001"]
    settings.WEIMIN_CALENDAR_WARN_FROM = "11-01"
    freeze("2027-01-04 10:00")  # the year has begun and is still missing
    assert [w.id for w in checks.calendar_years()] == ["calendars.W001"]
    CalendarYear.objects.create(year=2027)
    assert checks.calendar_years() == []


def test_odd_values_never_answer_5xx(office, freeze):
    from django.test import Client

    from weimin.tests.test_page_inputs import ODD

    freeze("2026-12-21 10:00")
    client = Client(raise_request_exception=False)
    client.force_login(office)
    failures = []
    for field in ("year", "source", "text", "step"):
        for value in [*ODD, '"2027-01-01,holiday,元旦', "2027-01-01,holiday,元旦\r\n\r\n,,,"]:
            data = {"year": "2027", "source": "通知", "text": NOTICE_2027, "step": "save"} | {field: value}
            if client.post("/calendar/years/", data).status_code >= 500:
                failures.append(f"{field}={value[:20]!r}")
    for value in ODD:
        if client.get("/calendar/years/", {"year": value}).status_code >= 500:
            failures.append(f"?year={value[:20]!r}")
    assert failures == []
