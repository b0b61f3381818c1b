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
