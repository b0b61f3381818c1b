"""The effect report from the records: the command's JSON and errors, and the page."""

import json
import random
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weimin.analytics import actions, effect_report
from weimin.conftest import SHANGHAI
from weimin.core import clock
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall
from weimin.tickets import rules
from weimin.tickets.models import Ticket, TicketEvent, issued_event, new_ticket, secret_hash

START = date(2017, 10, 23)
WEEKS = 4


def served_visits(hall, item, window, day: date, count: int, *, evening: int = 0, wait_minutes: int = 10):
    """``count`` visits on ``day`` (``evening`` of them after 18:00), each waiting ``wait_minutes`` and served
    for 12 minutes, built as the demo builds its history (the tickets app's constructor, events in bulk)."""
    tickets, events = [], []
    for sequence in range(1, count + 1):
        at = time(18, 5) if sequence <= evening else time(9, 0)
        issued = datetime.combine(day, at, SHANGHAI) + timedelta(minutes=sequence)
        ticket = new_ticket(hall, day, item, sequence, issued, token_hash=secret_hash(f"effect-{day}-{sequence}"))
        ticket.status = rules.Status.COMPLETED
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets)
    for ticket in tickets:
        called = ticket.issued_at + timedelta(minutes=wait_minutes)
        events.append(issued_event(ticket))
        for kind, at in ((rules.Event.CALLED, called), (rules.Event.COMPLETED, called + timedelta(minutes=12))):
            events.append(TicketEvent(ticket=ticket, hall=hall, business_date=day, kind=kind, at=at, window=window))
    TicketEvent.objects.bulk_create(sorted(events, key=lambda e: e.at))


@pytest.fixture
def history(hall, item, window, freeze):
    """Four weeks of some 8 visits an open weekday before 2017-10-23 (National Day week closed), and some
    12 after with 3 in the evening; refreshed on Wednesday 2017-11-22 (the week of 11-20 is not over)."""
    rng = random.Random(4)
    day = START - timedelta(weeks=WEEKS)
    calendar = HallCalendar(hall)
    while day < START + timedelta(weeks=WEEKS):
        if day.weekday() < 5 and calendar.day(day).open:
            after = day >= START
            served_visits(hall, item, window, day, rng.randint(11, 13) if after else rng.randint(7, 9),
                          evening=3 if after else 0, wait_minutes=8 if after else 10)  # fmt: skip
        day += timedelta(days=1)
    actions.refresh(freeze("2017-11-22 10:00"))
    return hall


def effect_json(capsys, *args) -> dict:
    call_command("analytics", "effect", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_the_command_prints_the_weeks_before_and_after(history, capsys):
    printed = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", str(WEEKS))
    assert (printed["hall"], printed["start"], printed["weeks"]) == (history.code, "2017-10-23", WEEKS)
    before, after = printed["before"], printed["after"]
    # National Day week (10-02 to 10-08) had no service: it is left out, and said so.
    assert (before["first"], before["last"], before["weeks"]) == ("2017-09-25", "2017-10-22", 3)
    assert (after["first"], after["last"], after["weeks"]) == ("2017-10-23", "2017-11-19", 4)
    assert {"visits", "cases", "mean_wait_minutes", "evening_share"} <= set(before) & set(after)
    assert (before["mean_wait_minutes"], after["mean_wait_minutes"]) == (10.0, 8.0)
    assert before["evening_share"] == 0.0 and after["evening_share"] == round(60 / after["visits"], 4)
    visits = printed["change"]["visits"]
    assert visits["unit"] == "per_week" and visits["before"] == round(before["visits"] / 3, 4)
    assert visits["absolute"] == round(after["visits"] / 4 - before["visits"] / 3, 4)
    assert 0 < visits["low"] <= visits["absolute"] <= visits["high"]
    assert visits["significant"] and visits["verdict"] == "rise"
    wait = printed["change"]["mean_wait_minutes"]
    assert (wait["absolute"], wait["verdict"]) == (-2.0, "fall")
    assert printed["change"]["company_share_evening"]["verdict"] == "not_judged"  # no cases at all
    assert printed["not_counted"] == {"before_too_early": 0, "after_not_over": 0, "closed_weeks": ["2017-10-02"]}
    assert "2017-10-02" in printed["summary"]
    assert "服务人次" in printed["summary"] and "95% 置信区间" in printed["summary"]


def test_the_district_is_its_halls_added_up(history, capsys):
    district = effect_json(capsys, "--start", "2017-10-23", "--weeks", str(WEEKS))
    hall = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", str(WEEKS))
    assert district["hall"] is None
    assert district["before"] == hall["before"] and district["change"] == hall["change"]


def test_weeks_not_over_or_before_the_records_are_not_counted(history, capsys):
    printed = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", "6")
    assert printed["before"]["weeks"] == 3 and printed["after"]["weeks"] == 4
    assert printed["not_counted"] == {"before_too_early": 2, "after_not_over": 2, "closed_weeks": ["2017-10-02"]}
    assert "2 周尚未结束" in printed["summary"] and "早于最早的记录" in printed["summary"]


def test_a_change_within_the_weeks_variation_is_said_to_be(hall, item, window, freeze, capsys):
    # Visits a weekday, week by week: 6, 12, 4, 10 before (40 a week on average), 11, 5, 10, 7 after (41.25).
    for n, per_day in enumerate((6, 12, 4, 10, 11, 5, 10, 7)):
        for weekday in range(5):
            served_visits(hall, item, window, START + timedelta(weeks=n - 4, days=weekday), per_day)
    actions.refresh(freeze("2017-11-22 10:00"))
    printed = effect_json(capsys, "--hall", hall.code, "--start", "2017-10-23", "--weeks", "4")
    assert printed["change"]["visits"]["verdict"] == "within" and not printed["change"]["visits"]["significant"]
    assert "服务人次" in printed["summary"] and "在正常波动范围内" in printed["summary"]


BAD_INPUT = [
    (["--hall", "nowhere", "--start", "2017-10-23"], "--hall"),
    (["--start", "2017-13-01"], "--start"),
    (["--start", "2017-10-25"], "--start"),  # a Wednesday
    (["--start", "2017-10-23", "--weeks", "0"], "--weeks"),
    (["--start", "2017-10-23", "--weeks", "53"], "--weeks"),
    (["--start", "2016-10-24"], "--start"),  # no records before
    (["--start", "2017-11-20"], "--start"),  # no week after is over
]


def test_bad_input_names_the_option(history):
    for args, option in BAD_INPUT:
        with pytest.raises(CommandError) as raised:
            call_command("analytics", "effect", *args)
        assert str(raised.value).startswith(f"{option}: ") and raised.value.returncode == 2, args


def test_the_default_start_is_the_latest_change_of_hours(history):
    assert effect_report.default_start(list(Hall.objects.all()), clock.now()) == START


# The page ----------------------------------------------------------------------------------------------

PAGE = "/analytics/effect/"


def test_a_window_clerk_may_not_see_it(history, client, make_staff):
    client.force_login(make_staff("huang", "window_staff"))
    assert client.get(PAGE).status_code == 403


def test_the_manager_sees_their_hall_and_no_other(history, district, client, manager):
    client.force_login(manager)
    page = client.get(PAGE, {"start": "2017-10-23", "weeks": WEEKS})
    assert page.status_code == 200
    text = page.content.decode()
    assert history.name in text and "全区" not in text  # no district option for a hall's manager
    assert "服务人次：开始前每周" in text and "升幅超出正常波动" in text
    other = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅")
    refused = client.get(PAGE, {"hall": other.code, "start": "2017-10-23"})
    assert refused.status_code == 403 and "平湖街道行政服务大厅" not in refused.content.decode()
    assert client.get(PAGE, {"hall": "nowhere", "start": "2017-10-23"}).status_code == 422  # the form's error


def test_the_office_compares_the_district_by_default(history, client, make_staff):
    client.force_login(make_staff("chen", "district_office"))
    page = client.get(PAGE)  # the defaults: the whole district, from the latest change of hours, 8 weeks
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.hall, report.start, report.weeks) == (None, START, 8)
    assert "全区" in page.content.decode() and 'data-chart="chart-effect"' in page.content.decode()


def test_bad_input_names_the_field(history, client, manager):
    client.force_login(manager)
    for query, field in (({"start": "2017-10-25"}, "开始日期"), ({"start": "2017-10-23", "weeks": "99"}, "前后各几周"),
                         ({"start": "2016-10-24"}, "开始日期"), ({"start": "someday"}, "开始日期")):  # fmt: skip
        page = client.get(PAGE, query)
        assert page.status_code == 422 and page.context["report"] is None
        assert page.context["errors"][0].startswith(field), (query, page.context["errors"])


def test_the_download_has_the_page_figures(history, client, manager):
    import io

    from openpyxl import load_workbook

    client.force_login(manager)
    query = {"hall": history.code, "start": "2017-10-23", "weeks": WEEKS}
    page = client.get(PAGE, query)
    changes = page.context["tables"][0]
    xlsx = client.get(PAGE, query | {"download": "changes", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(column.label for column in changes.columns)
    assert rows[1][:3] == ("服务人次", changes.rows[0]["before"], changes.rows[0]["after"])
    csv = client.get(PAGE, query | {"download": "evening-users", "format": "csv"}).content.decode()
    assert csv.splitlines()[1].startswith("开始前,3,0,0,0,0")  # 3 weeks: National Day week left out


def test_the_api_answers_as_the_command_does(history, client, manager, make_staff, capsys):
    from weimin.accounts.actions import issue_token

    as_manager = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(manager)}"}
    query = {"hall": history.code, "start": "2017-10-23", "weeks": WEEKS}
    answer = client.get("/api/analytics/effect", query, **as_manager)
    assert answer.status_code == 200
    printed = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", str(WEEKS))
    assert answer.json() == printed
    # The district is the office's; a bad start names its field; a clerk sees nothing.
    assert client.get("/api/analytics/effect", {"start": "2017-10-23"}, **as_manager).status_code == 403
    wednesday = client.get("/api/analytics/effect", query | {"start": "2017-10-25"}, **as_manager)
    assert wednesday.status_code == 422 and wednesday.json()["errors"][0]["field"] == "start"
    assert client.get("/api/analytics/effect", query | {"weeks": 60}, **as_manager).json()["errors"][0]["field"] == (
        "weeks"
    )
    clerk = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(make_staff('huang', 'window_staff'))}"}
    assert client.get("/api/analytics/effect", query, **clerk).status_code == 403
