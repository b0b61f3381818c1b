from datetime import date

import pytest
from django.core.management import call_command

from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.ratings import actions, queries
from weimin.ratings.models import Rating
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(hall, item, window, clerk):
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    return ticket_actions.complete(clerk, ticket, clock.now())


def test_rating_a_served_visit_records_window_and_clerk(served, clerk, window):
    rating = actions.rate_ticket(served, clock.now(), level=5, comment="晚上也能办，很方便")
    assert (rating.window, rating.clerk, rating.by_default) == (window, clerk, False)
    with pytest.raises(Refused):
        actions.rate_ticket(served, clock.now(), level=4)
    assert not hasattr(rating, "follow_up") or rating.follow_up is None


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_levels_are_one_to_five(served, level):
    with pytest.raises(InvalidInput) as bad:
        actions.rate_ticket(served, clock.now(), level=level)
    assert bad.value.field == "level"


def test_unserved_visit_cannot_be_rated(hall, item, window, clerk):
    waiting = ticket_actions.issue_ticket(hall, item, clock.now()).ticket
    with pytest.raises(Refused):
        actions.rate_ticket(waiting, clock.now(), level=5)


def test_default_rating_after_seven_natural_days(served, freeze):
    freeze("2017-12-15 18:29")
    assert actions.apply_default_ratings(clock.now()) == 0
    freeze("2017-12-15 18:31")
    call_command("ratings-daily")
    rating = Rating.objects.get()
    assert rating.level == 3 and rating.by_default
    with pytest.raises(Refused):
        actions.rate_ticket(served, clock.now(), level=1)  # the period is over


def test_bad_rating_follow_up_in_working_days(served, clerk, manager, freeze, hall):
    rating = actions.rate_ticket(served, clock.now(), level=1, comment="等太久")
    follow_up = rating.follow_up
    assert follow_up.contact_due == date(2017, 12, 11)  # Friday + 1 working day
    assert follow_up.resolve_due == date(2017, 12, 15)  # + 5 working days
    with pytest.raises(Refused):
        actions.resolve(manager, follow_up, clock.now(), resolution="explained", note="晚高峰窗口已增加")
    freeze("2017-12-12 10:00")
    assert queries.overdue([hall], clock.now()) == [follow_up]  # the contact is late
    actions.record_contact(manager, follow_up, clock.now())
    with pytest.raises(InvalidInput):
        actions.resolve(manager, follow_up, clock.now(), resolution="explained", note="")
    with pytest.raises(NotPermitted):
        actions.record_contact(clerk, follow_up, clock.now())  # follow-ups are the manager's
    actions.resolve(
        manager, follow_up, clock.now(), resolution="rectified", note="晚高峰增开一个窗口", rater_answer="满意"
    )
    assert queries.overdue([hall], freeze("2017-12-20 07:30")) == []


def test_a_follow_up_reaching_an_unpublished_year_is_kept_pending_then_counted(
    clerk, window, item, manager, make_staff, hall, freeze, client
):
    """A bad rating in late December is never lost for want of next year's calendar: its due dates wait
    for the office to enter the year, and are counted (and chased when late) from then on."""
    from weimin.calendars import actions as calendar_actions
    from weimin.calendars.rules import parse_notice

    freeze("2026-12-31 10:00")
    ticket_actions.issue_ticket(hall, item, clock.now())
    served = ticket_actions.complete(clerk, ticket_actions.call_next(clerk, window, clock.now()), clock.now())
    rating = actions.rate_ticket(served, clock.now(), level=1, comment="等太久")
    follow_up = rating.follow_up
    assert (follow_up.contact_due, follow_up.resolve_due, follow_up.contact_by) == (None, None, None)
    client.force_login(manager)
    page = client.get(f"/halls/{hall.code}/manage/").content.decode()
    assert "等太久" in page and "待定（节假日未公布）" in page
    assert queries.overdue([hall], freeze("2027-01-20 10:00")) == []  # pending is never late by a guess

    rows, _ = parse_notice([["2027-01-01", "holiday", "元旦"]], 2027)
    calendar_actions.enter_year(make_staff("office", "district_office", halls=[]), 2027, "通知", rows, clock.now())
    follow_up.refresh_from_db()
    assert (follow_up.contact_by, follow_up.resolve_by) == (date(2027, 1, 4), date(2027, 1, 8))
    assert queries.overdue([hall], clock.now()) == [follow_up]
