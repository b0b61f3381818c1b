"""Rollups equal a full recount after any sequence of events (issue 11, "Done when").

Random days at a hall with two windows: visitors take numbers, clerks call, serve, complete, mark
no-shows, let them rejoin, transfer, visitors cancel and rate, days close late (日结 the next
morning) — with refreshes at random moments in between. Afterwards every stored rollup row equals a
recount of its day from the records, and nothing is missing or left over.
"""

import itertools
import threading
from datetime import timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from weimin.analytics import actions, integrity, records
from weimin.analytics.models import RefreshMark, Rollup
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.models import Window
from weimin.ratings import actions as rating_actions
from weimin.ratings.models import FollowUp, Rating
from weimin.shifts.models import Duty, Handover
from weimin.tickets import actions as ticket_actions
from weimin.tickets.models import Ticket, TicketCounter, TicketEvent

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(0, 0)),
        st.tuples(st.sampled_from(["call", "serve", "complete", "no_show", "transfer"]), st.integers(0, 1)),
        st.tuples(st.sampled_from(["rejoin", "cancel", "rate"]), st.integers(0, 20)),
        st.tuples(st.just("wait"), st.integers(1, 50)),
        st.tuples(st.sampled_from(["next_day", "refresh"]), st.integers(0, 0)),
    ),
    max_size=60,
)


PEOPLE = itertools.count()


def clear():
    clear_rollups()
    for model in (FollowUp, Rating, TicketEvent, Ticket, TicketCounter, Handover, Duty):
        model.objects.all().delete()


def stored(hall) -> dict:
    return {(row.business_date, row.dimension, row.key): row.totals() for row in Rollup.objects.filter(hall=hall)}


def recounted(hall, now) -> dict:
    days = set(Ticket.objects.filter(hall=hall).values_list("business_date", flat=True))
    days |= {hall.local_date(d.started_at) for d in Duty.objects.all()}
    days.add(hall.local_date(now))
    return {
        (day, dimension, key): totals
        for day in days
        for (dimension, key), totals in records.day_totals(hall, day, now).items()
    }


@pytest.mark.django_db
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
# Late changes to a day already counted: a duty still held when its day ended; tickets closed by 日结.
@example(steps=[("refresh", 0), ("next_day", 0)])
@example(steps=[("issue", 0), ("call", 1), ("refresh", 0), ("next_day", 0), ("rate", 0)])
def test_rollups_equal_a_full_recount(hall, item, window, make_clerk, freeze, monkeypatch, steps):
    monkeypatch.setattr(actions, "LOOKBACK_IDS", 0)  # what is new must be found without reading again
    clear()
    freeze("2017-12-04 09:00")
    six = Window.objects.get_or_create(hall=hall, number=6)[0]
    six.items.add(item)
    windows = [window, six]
    clerks = [make_clerk(f"clerk{next(PEOPLE)}", w) for w in windows]
    now = clock.now()

    def at_window(n):
        return Ticket.objects.filter(window=windows[n]).first()

    for step, n in steps:
        try:
            match step:
                case "issue":
                    ticket_actions.issue_ticket(hall, item, now)
                case "call":
                    ticket_actions.call_next(clerks[n], windows[n], now)
                case "serve" if at_window(n):
                    ticket_actions.start_serving(clerks[n], at_window(n), now)
                case "complete" if at_window(n):
                    ticket_actions.complete(clerks[n], at_window(n), now)
                case "no_show" if at_window(n):
                    ticket_actions.mark_no_show(clerks[n], at_window(n), now)
                case "transfer" if at_window(n):
                    ticket_actions.transfer(clerks[n], at_window(n), now, window=windows[1 - n])
                case "rejoin" | "cancel" | "rate":
                    ticket = Ticket.objects.order_by("id")[n : n + 1].first()
                    if ticket is None:
                        continue
                    if step == "rejoin":
                        ticket_actions.rejoin(clerks[0], ticket, now)
                    elif step == "cancel":
                        ticket_actions.cancel_ticket(ticket, now)
                    else:
                        rating_actions.rate_ticket(ticket, now, level=1 + ticket.pk % 5)
                case "wait":
                    now += timedelta(minutes=n)
                    clock.freeze(now)
                case "next_day":
                    now = freeze(f"{hall.local_date(now) + timedelta(days=1)} 09:00")
                    ticket_actions.close_past_days(now)
                case "refresh":
                    actions.refresh(now)
        except DomainError:
            pass
    actions.refresh(now)
    assert stored(hall) == recounted(hall, now)
    assert list(integrity.problems()) == []


def test_integrity_reports_a_rollup_that_differs_from_its_records(hall, item, window, freeze):
    ticket_actions.issue_ticket(hall, item, freeze("2017-12-08 09:00"))
    actions.refresh(freeze("2017-12-08 10:00"))
    assert list(integrity.problems()) == []
    Rollup.objects.filter(hall=hall, dimension="hall").update(issued=5)
    assert [p["check"] for p in integrity.problems()] == ["analytics_rollup"]


@pytest.mark.django_db(transaction=True)
def test_a_long_catch_up_shared_by_processes_writes_what_one_process_would(hall, item, window, freeze, monkeypatch):
    for day in ("2017-12-04", "2017-12-05", "2017-12-06", "2017-12-07"):
        ticket_actions.issue_ticket(hall, item, freeze(f"{day} 09:00"))
    now = freeze("2017-12-08 10:00")
    ticket_actions.close_past_days(now)
    actions.refresh(now)
    alone = stored(hall)
    clear_rollups()
    monkeypatch.setattr(actions, "PARALLEL_FROM_DAYS", 1)
    shared, in_processes = [], actions._rebuild_in_processes
    monkeypatch.setattr(actions, "_rebuild_in_processes", lambda *args: shared.append(args) or in_processes(*args))
    assert actions.refresh(now, workers=2).days == 5
    assert stored(hall) == alone and len(alone) > 5
    assert shared or not actions._safe_to_fork()  # a thread left by an earlier test keeps it in this process


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_catch_up_stays_in_this_process_while_another_thread_lives(hall, item, window, freeze, monkeypatch):
    """Another thread may hold a connection to the file, whose locks a forked child would inherit."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's sessions are per connection: forking is safe")
    ticket_actions.issue_ticket(hall, item, freeze("2017-12-07 09:00"))
    now = freeze("2017-12-08 10:00")
    monkeypatch.setattr(actions, "PARALLEL_FROM_DAYS", 1)
    monkeypatch.setattr(actions.multiprocessing, "get_context", None)  # a fork would fail the test
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert actions.refresh(now, workers=2).days == 2
    finally:
        release.set()
        other.join()
    assert stored(hall) == recounted(hall, now)


def clear_rollups():
    Rollup.objects.all().delete()
    RefreshMark.objects.all().delete()
