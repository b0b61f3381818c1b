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
    """Four weeks of some 8 visits a weekday before 2017-10-23, and some 12 after with 3 in the evening;
    refreshed on Wednesday 2017-11-22 (the week of 11-20 is not over)."""
    rng = random.Random(4)
    day = START - timedelta(weeks=WEEKS)
    while day < START + timedelta(weeks=WEEKS):
        if day.weekday() < 5:
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
    assert (before["first"], before["last"], before["weeks"]) == ("2017-09-25", "2017-10-22", 4)
    assert (after["first"], after["last"], after["weeks"]) == ("2017-10-23", "2017-11-19", 4)
    assert {"visits", "cases", "mean_wait_minutes", "evening_share"} <= set(before) & set(after)
    assert (before["mean_wait_minutes"], after["mean_wait_minutes"]) == (10.0, 8.0)
    assert before["evening_share"] == 0.0 and after["evening_share"] == round(60 / after["visits"], 4)
    visits = printed["change"]["visits"]
    assert visits["unit"] == "per_week" and visits["before"] == before["visits"] / 4
    assert visits["absolute"] == round((after["visits"] - before["visits"]) / 4, 4)
    assert 0 < visits["low"] <= visits["absolute"] <= visits["high"]
    assert visits["significant"] and visits["verdict"] == "rise"
    wait = printed["change"]["mean_wait_minutes"]
    assert (wait["absolute"], wait["verdict"]) == (-2.0, "fall")
    assert printed["change"]["company_share_evening"]["verdict"] == "not_judged"  # no cases at all
    assert printed["not_counted"] == {"before_too_early": 0, "after_not_over": 0}
    assert "服务人次" in printed["summary"] and "95% 置信区间" in printed["summary"]


def test_the_district_is_its_halls_added_up(history, capsys):
    district = effect_json(capsys, "--start", "2017-10-23", "--weeks", str(WEEKS))
    hall = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", str(WEEKS))
    assert district["hall"] is None
    assert district["before"] == hall["before"] and district["change"] == hall["change"]


def test_weeks_not_over_or_before_the_records_are_not_counted(history, capsys):
    printed = effect_json(capsys, "--hall", history.code, "--start", "2017-10-23", "--weeks", "6")
    assert printed["before"]["weeks"] == 4 and printed["after"]["weeks"] == 4
    assert printed["not_counted"] == {"before_too_early": 2, "after_not_over": 2}
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
