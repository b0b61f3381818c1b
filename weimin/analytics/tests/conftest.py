"""Fixtures of the analytics tests: hand-made history (``history.py``)."""

from datetime import date

import pytest

from weimin.analytics import actions
from weimin.analytics.tests.history import every, hold, served
from weimin.halls.models import ServiceItem, Window

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
