"""The demo's history built day by day: deterministic, filling only missing days, and built by the demo's start."""

from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from weimin.cases.models import Case
from weimin.core import clock
from weimin.core.integrity import all_problems
from weimin.demo.history import build_history
from weimin.demo.restart import start_demo
from weimin.demo.seed import seed_demo
from weimin.halls.models import Hall
from weimin.ratings.models import Rating
from weimin.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_history_is_deterministic_and_fills_only_missing_days():
    seed_demo()
    pinghu = Hall.objects.filter(code="pinghu")

    def build():
        with transaction.atomic():
            summary = build_history(date(2017, 11, 13), date(2017, 11, 18), halls=pinghu)
            counts = (summary, Ticket.objects.count(), Case.objects.count(), Rating.objects.count())
            transaction.set_rollback(True)
        return counts

    first = build()
    assert first[1] > 0 and first == build()
    build_history(date(2017, 11, 13), date(2017, 11, 15), halls=pinghu)
    rest = build_history(date(2017, 11, 13), date(2017, 11, 18), halls=pinghu)
    assert rest.hall_days == 3  # 16th, 17th, 18th (a Saturday of the extended service)


def test_the_demo_start_builds_its_history_up_to_the_day_before_the_clock(freeze):
    freeze("2017-12-08 09:20")
    with override_settings(WEIMIN_DEMO_HISTORY_FROM="2017-12-07"):
        start = start_demo(clock.now())
    assert start.history.hall_days == 12
    assert set(Ticket.objects.values_list("business_date", flat=True)) == {date(2017, 12, 7), date(2017, 12, 8)}
    assert all_problems() == []


@pytest.mark.django_db(transaction=True)  # committed, as the demo command's are
def test_a_later_clock_fills_the_days_since_the_last_run_with_the_clerks_it_did_not_keep(freeze):
    with override_settings(WEIMIN_DEMO_HISTORY_FROM="2017-12-08"):
        freeze("2017-12-08 09:20")
        assert start_demo(clock.now()).history.hall_days == 0  # nothing before the clock's day
        friday_clerks = set(Ticket.objects.filter(business_date="2017-12-08").values_list("called_by", flat=True))
        freeze("2017-12-11 09:20")
        later = start_demo(clock.now())
    assert later.history.hall_days == 12  # Saturday the 9th at every hall (Sunday is closed)
    saturday = Ticket.objects.filter(business_date="2017-12-09")
    assert saturday.exists() and not set(saturday.values_list("called_by", flat=True)) & friday_clerks
    assert all_problems() == []
