"""Deadlines that reach into a year whose national holidays are not entered are never guessed: they
are "pending calendar", listed with the reason, and counted as soon as the office enters the year."""

from datetime import date

import pytest

from weimin.calendars import actions as calendar_actions
from weimin.calendars.rules import parse_notice
from weimin.cases import actions, queries
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.core.errors import Refused
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def december_clerk(make_clerk, window, freeze):
    freeze("2026-12-21 10:00")  # Monday: 15 working days reach into 2027
    return make_clerk("huang", window)


def accepted_case(clerk, hall, item, window, decision="accept", **states):
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    materials = checks(**({"form": "present", "product": "present", "proxy": "present"} | states))
    case = actions.open_case(clerk, ticket, clock.now(), kind="person", name="张先生", id_number=ADULT,
                             phone="13800138000", materials=materials)  # fmt: skip
    actions.decide(clerk, case, clock.now(), decision, promise_signed=True)
    case.refresh_from_db()
    return case


def test_due_dates_wait_for_the_year_then_are_counted(december_clerk, hall, item, window, make_staff, client):
    case = accepted_case(december_clerk, hall, item, window)
    dates = queries.due_dates(case, date(2026, 12, 21))
    assert (dates.promised, dates.statutory, dates.pending_year) == (None, None, 2027)
    assert [(c.number, state) for c, _, state in queries.due_list(hall, date(2026, 12, 21))] == [
        (case.number, "pending_calendar")
    ]
    manager = make_staff("wu", "hall_manager")
    client.force_login(manager)
    page = client.get(f"/halls/{hall.code}/cases/due/").content.decode()
    assert f'data-case="{case.number}" data-state="pending_calendar"' in page
    assert "2027年国家节假日安排尚未录入，暂无法按工作日计算时限" in page

    office = make_staff("office", "district_office", halls=[])
    rows, _ = parse_notice([["2027-01-01", "holiday", "元旦"]], 2027)
    calendar_actions.enter_year(office, 2027, "国务院办公厅通知", rows, clock.now())
    dates = queries.due_dates(case, date(2026, 12, 21))
    # 8 working days left in 2026, 2027-01-01 off: the 15th is 2027-01-12, the 20th 2027-01-19.
    assert (dates.promised, dates.statutory, dates.pending_year) == (date(2027, 1, 12), date(2027, 1, 19), None)
    assert queries.due_list(hall, date(2026, 12, 21)) == []  # counted, and not due soon


def test_a_statutory_date_still_pending_keeps_the_case_listed(december_clerk, hall, item, window):
    item.promised_days, item.statutory_days = 3, 20
    item.save()
    case = accepted_case(december_clerk, hall, item, window)
    dates = queries.due_dates(case, date(2026, 12, 21))
    assert dates.promised == date(2026, 12, 24) and dates.statutory is None and dates.pending_year == 2027
    # The horizon of "due soon" runs into 2027 near the year's end: the known date is near.
    assert [state for _, _, state in queries.due_list(hall, date(2026, 12, 21))] == ["pending_calendar"]
    assert [state for _, _, state in queries.due_list(hall, date(2026, 12, 23))] == ["due_soon"]


def test_a_promise_reaching_into_the_unknown_year_is_not_guessed(make_clerk, window, hall, item, freeze):
    freeze("2026-12-28 10:00")  # 5 working days run past 2026-12-31
    clerk = make_clerk("huang", window)
    with pytest.raises(Refused) as refused:
        accepted_case(clerk, hall, item, window, "accept_on_promise", form="present", product="missing")
    assert refused.value.field == "decision" and "2027" in refused.value.message
