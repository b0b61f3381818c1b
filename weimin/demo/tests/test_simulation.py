from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weimin.core import clock
from weimin.core.errors import Refused
from weimin.core.integrity import all_problems
from weimin.demo.seed import seed_demo
from weimin.demo.simulation import LiveSimulation, is_simulated_clerk, prepare_day
from weimin.halls.models import Hall, Window
from weimin.shifts.actions import expire_idle_duties, sign_in
from weimin.shifts.models import Duty, Handover
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
    on_duty = Duty.objects.open().filter(window__hall=district).select_related("user")
    assert sum(is_simulated_clerk(duty.user, district) for duty in on_duty) >= 25
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
    assert is_simulated_clerk(held.user, window.hall) and held.yields  # the console says it will yield
    at_window = Ticket.objects.get(window=window, status="serving")
    duty = sign_in(clerk, window, clock.now())
    assert duty.user == clerk and not duty.yields and Duty.objects.open().filter(window=window).get() == duty
    held.refresh_from_db()
    assert held.ended_at == clock.now()  # the simulated clerk signed out through the ordinary action
    at_window.refresh_from_db()  # … after finishing the ticket it was serving
    assert at_window.status == "completed" and at_window.events.last().actor == held.user
    assert not Handover.objects.exists()  # nothing else was in its hands
    LiveSimulation().step(clock.now())
    assert Duty.objects.open().get(window=window).user == clerk  # the simulation leaves a person's window alone
    assert all_problems() == []


def test_a_simulated_clerk_does_not_take_a_persons_window(demo):
    window = Window.objects.get(hall__code="longgang-district", number=8)
    clerk = User.objects.get(username="clerk")
    sign_in(clerk, window, clock.now())
    idle = User.objects.get(username="longgang-district-35")  # seeded, not signed in by prepare_day
    assert not Duty.objects.open().filter(user=idle).exists()
    with pytest.raises(Refused):
        sign_in(idle, window, clock.now())
    assert Duty.objects.open().get(window=window).user == clerk


def test_the_running_simulation_keeps_its_clerks_from_idle_sign_out(demo, freeze):
    district = Hall.objects.get(code="longgang-district")
    clerks = set(Duty.objects.open().filter(window__hall=district).values_list("pk", flat=True))
    freeze("2017-12-08 18:50")
    LiveSimulation().step(clock.now())
    freeze("2017-12-08 19:00")  # 10 minutes after the last step: within WEIMIN_DUTY_IDLE_MINUTES
    expire_idle_duties(clock.now())
    assert clerks <= set(Duty.objects.open().values_list("pk", flat=True))
    freeze("2017-12-08 19:10")  # a stopped simulation's clerks are idle like anyone's
    expire_idle_duties(clock.now())
    assert not Duty.objects.open().filter(pk__in=clerks).exists()
    assert all_problems() == []


def _statements(queries) -> list[str]:
    return [query["sql"] or "" for query in queries.captured_queries]  # a prepared statement's text is not logged


def _statistics_rows(table: str) -> int:
    """How many columns of ``table`` the planner has statistics for (as this transaction sees them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def test_the_days_bulk_load_leaves_the_planner_statistics_of_the_ticket_tables(freeze):
    """Without them the first minutes after a demo starts (the bench's evening peak) scan every ticket of the
    day for each call instead of the index of the waiting ones (issue 15)."""
    seed_demo()
    freeze("2017-12-08 18:30")
    with CaptureQueriesContext(connection) as queries:
        prepare_day(clock.now())
    analysed = {sql.split()[-1].strip('"') for sql in _statements(queries) if sql.startswith("ANALYZE")}
    assert {"tickets_ticket", "tickets_ticketevent"} <= analysed
    assert _statistics_rows("tickets_ticket") > 0
    with CaptureQueriesContext(connection) as queries:
        assert prepare_day(clock.now()) == 0
    assert not [sql for sql in _statements(queries) if sql.startswith("ANALYZE")]  # nothing loaded, nothing to do
