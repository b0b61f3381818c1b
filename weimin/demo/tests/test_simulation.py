from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from weimin.core import clock
from weimin.core.integrity import all_problems
from weimin.demo.seed import seed_demo
from weimin.demo.simulation import LiveSimulation, prepare_day
from weimin.halls.models import Hall, Window
from weimin.shifts.actions import sign_in
from weimin.shifts.models import Duty
from weimin.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(freeze):
    seed_demo()
    freeze("2017-12-08 18:30")
    prepare_day(clock.now())


def test_the_demo_evening_has_a_live_queue_with_a_legal_history(demo):
    district = Hall.objects.get(code="longgang-district")
    today = Ticket.objects.filter(hall=district)
    assert today.filter(status="completed").count() > 300  # a working day behind it
    assert today.filter(status="waiting").exists() and today.filter(status__in=["called", "serving"]).exists()
    assert today.filter(issued_at__gte=clock.now() - timedelta(minutes=60)).exists()  # the evening rush
    assert Duty.objects.open().filter(window__hall=district, simulated=True).count() >= 25
    assert all_problems() == []
    assert prepare_day(clock.now()) == 0  # idempotent


def test_live_simulation_moves_the_halls_through_the_same_actions(demo, freeze):
    simulation = LiveSimulation(tick_seconds=60)
    before = TicketEvent.objects.count()
    for minute in range(1, 6):
        freeze(f"2017-12-08 18:{30 + minute:02d}")
        simulation.step(clock.now())
    kinds = set(TicketEvent.objects.filter(id__gt=before).values_list("kind", flat=True))
    assert {"issued", "called"} <= kinds
    assert all_problems() == []


def test_a_person_signing_in_takes_over_from_the_simulated_clerk(demo):
    window = Window.objects.get(hall__code="longgang-district", number=8)
    clerk = User.objects.get(username="clerk")
    held = Duty.objects.open().get(window=window)
    assert held.simulated
    duty = sign_in(clerk, window, clock.now())
    assert not duty.simulated and Duty.objects.open().filter(window=window).get() == duty
    LiveSimulation().step(clock.now())
    assert Duty.objects.open().get(window=window).user == clerk  # the simulation leaves a person's window alone
    assert all_problems() == []
