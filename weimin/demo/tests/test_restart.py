"""`weimin demo` again on the same database, at a later clock, an earlier one and the same one: it starts
cleanly and `weimin integrity` holds each time (issue 10, point 3)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError

from weimin.core import clock
from weimin.core.integrity import all_problems
from weimin.demo.restart import recorded_until, start_demo
from weimin.demo.simulation import LiveSimulation
from weimin.halls.models import District, Window
from weimin.shifts.actions import sign_in
from weimin.shifts.models import Duty, Handover
from weimin.tickets.models import Ticket, TicketEvent

# Committed, as the demo command's are: the rebuild flushes the database, which PostgreSQL refuses inside
# a transaction that still owes its deferred foreign-key checks.
pytestmark = pytest.mark.django_db(transaction=True)


def run_demo(freeze, at: str, minutes: int = 1):
    """One demo run: start at ``at``, then the halls live for a few simulated minutes."""
    started = freeze(at)
    start = start_demo(clock.now())
    assert all_problems() == []
    simulation = LiveSimulation(tick_seconds=60)
    for minute in range(1, minutes + 1):
        clock.freeze(started + timedelta(minutes=minute))
        simulation.step(clock.now())
    assert all_problems() == []  # what `weimin integrity` reports on the demo's clock
    return start


# Friday morning, twenty minutes after opening: a small queue keeps the test quick.
FRIDAY = "2017-12-08 09:20"


def test_the_demo_starts_cleanly_at_a_later_an_earlier_and_the_same_clock(freeze):
    first = run_demo(freeze, FRIDAY)
    assert not first.rebuilt and first.built_tickets > 50
    assert Ticket.objects.filter(status__in=["called", "serving"]).exists()  # at the windows when the run ends
    clerk = User.objects.get(username="clerk")
    sign_in(clerk, Window.objects.get(hall__code="longgang-district", number=8), clock.now())

    # Forward to Monday: Friday's open tickets are closed through close-day, every idle duty ends.
    later = run_demo(freeze, "2017-12-11 09:20")
    assert not later.rebuilt and later.closed_tickets > 0 and later.ended_duties > 100
    friday = Ticket.objects.filter(business_date="2017-12-08")
    assert not friday.filter(status__in=["waiting", "called", "serving"]).exists()
    assert friday.filter(status="closed").count() == later.closed_tickets
    assert not Duty.objects.open().filter(user=clerk).exists()  # the person's console was long closed
    assert not Handover.objects.exclude(from_user=clerk).exists()  # simulated clerks finish and go home
    assert Ticket.objects.filter(business_date="2017-12-11").count() >= later.built_tickets > 0

    # Back to Friday morning: events there would precede Monday's, so the demo database is rebuilt.
    earlier = run_demo(freeze, FRIDAY)
    assert earlier.rebuilt and earlier.built_tickets == first.built_tickets
    assert not Ticket.objects.filter(business_date="2017-12-11").exists()

    # A restart at the same clock (`make demo` twice): the last run recorded a minute past it.
    assert recorded_until() > clock.now() - timedelta(minutes=1)
    again = run_demo(freeze, FRIDAY, minutes=0)
    assert again.rebuilt

    # A restart at the instant the last run stopped continues its day: nothing built twice.
    events = TicketEvent.objects.count()
    resumed = run_demo(freeze, FRIDAY, minutes=0)
    assert not resumed.rebuilt and resumed.built_tickets == 0 and TicketEvent.objects.count() == events


def test_a_database_with_another_district_is_never_rebuilt(freeze):
    run_demo(freeze, FRIDAY)
    District.objects.create(code="futian", name="福田区")
    freeze("2017-12-08 09:00")
    with pytest.raises(CommandError, match="WEIMIN_CLOCK"):
        start_demo(clock.now())
    assert District.objects.filter(code="futian").exists()
