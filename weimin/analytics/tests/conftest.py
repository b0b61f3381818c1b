"""Fixtures of the analytics tests: hand-made history for the demand analysis (``history.py``:
``busy_saturday``, ``other_item``), and a Friday in two halls for the pages and the API (2017-12-08),
played through the queue's own actions:

| hall | ticket | issued | called | completed | wait | service |
|---|---|---|---|---|---|---|
| district | A1 | 09:00 | 09:10 at 5 | 09:30 | 10 | 20 |
| district | A2 | 09:05 | 09:30 at 5 | 09:40 | 25 | 10 |
| district | A3 | 18:10 | 18:12 at 5 | 18:20 | 2 | 8 |
| district | A4 | 18:15 | cancelled 18:16 | – | – | – |
| Pinghu | P1 | 09:00 | 09:05 at 1 | 09:15 | 5 | 10 |

The district hall: 3 visits, mean wait 37/3 min, 2 of 3 called within 15 min, 1 of 3 in the evening.
Pinghu: 1 visit, wait 5. The district: 4 visits, mean wait 42/4 = 10.5 min.
"""

from datetime import date

import pytest

from weimin.analytics import actions
from weimin.analytics.tests.history import every, hold, served
from weimin.core import clock
from weimin.demo.seed import seed_schedules
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.shifts.actions import sign_in
from weimin.tickets import actions as ticket_actions

FRIDAY, SATURDAY = date(2017, 12, 8), date(2017, 12, 9)


@pytest.fixture
def other_item(item):
    return ServiceItem.objects.create(code="fire-design", name="消防设计审查", department=item.department,
                                      category=item.category, handling_minutes=20, promised_days=10,
                                      statutory_days=20)  # fmt: skip


@pytest.fixture
def busy_saturday(hall, item, window, make_clerk, freeze):
    """The busy Saturday of ``test_demand``'s table."""
    freeze("2017-12-08 08:00")
    huang, li, zhang = (make_clerk(name) for name in ("huang", "li", "zhang"))
    six, seven = (Window.objects.create(hall=hall, number=n) for n in (6, 7))
    hold(huang, window, "2017-12-08", ("09:00", "12:00"), ("14:00", "19:30"))
    hold(li, six, "2017-12-08", ("18:00", "19:30"))
    hold(zhang, seven, "2017-12-08", ("18:00", "19:30"))
    hold(huang, window, "2017-12-09", ("09:00", "13:00"))
    served(hall, item, window, huang, "2017-12-08", every("09:00", 30, 6), service_minutes=10)
    served(hall, item, window, huang, "2017-12-08", every("14:00", 30, 8), service_minutes=10)
    served(hall, item, window, huang, "2017-12-08", every("18:00", 30, 3), service_minutes=10)
    served(hall, item, window, huang, "2017-12-09", every("09:00", 6, 40), service_minutes=12)
    actions.refresh(freeze("2017-12-10 08:00"))


@pytest.fixture
def pinghu(district):
    hall = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务中心", position=2)
    seed_schedules(hall)
    return hall


@pytest.fixture
def friday(hall, pinghu, item, window, make_clerk, make_staff, freeze):
    t = freeze
    t("2017-12-08 08:55")
    huang = make_clerk("huang", window)
    one = Window.objects.create(hall=pinghu, number=1)
    one.items.add(item)
    li = make_staff("li", "window_staff", halls=[pinghu])
    sign_in(li, one, clock.now())

    def visit(clerk, at_window, issued, called, completed):
        ticket = ticket_actions.issue_ticket(at_window.hall, item, t(f"2017-12-08 {issued}")).ticket
        assert ticket_actions.call_next(clerk, at_window, t(f"2017-12-08 {called}")) == ticket
        ticket_actions.complete(clerk, ticket, t(f"2017-12-08 {completed}"))

    visit(li, one, "09:00", "09:05", "09:15")
    visit(huang, window, "09:00", "09:10", "09:30")
    a2 = ticket_actions.issue_ticket(hall, item, t("2017-12-08 09:05")).ticket
    assert ticket_actions.call_next(huang, window, t("2017-12-08 09:30")) == a2
    ticket_actions.complete(huang, a2, t("2017-12-08 09:40"))
    visit(huang, window, "18:10", "18:12", "18:20")
    a4 = ticket_actions.issue_ticket(hall, item, t("2017-12-08 18:15")).ticket
    ticket_actions.cancel_ticket(a4, t("2017-12-08 18:16"))
    actions.refresh(t("2017-12-09 08:00"))
    return huang


@pytest.fixture
def office(make_staff):
    return make_staff("office", "district_office", halls=[])
