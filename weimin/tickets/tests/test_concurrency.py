"""Many windows, many processes, one queue: every ticket is called exactly once and none is skipped."""

import multiprocessing
import threading
import time
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db import connections

from weimin.core import clock
from weimin.core.integrity import all_problems
from weimin.halls.models import Window
from weimin.tickets import actions
from weimin.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)

WINDOWS = 20
TICKETS = 160


def drain(window_id: int, user_id: int, start, results) -> None:
    """One window: call and complete until nobody waits."""
    connections.close_all()  # a forked process must not share its parent's connection
    window, user = Window.objects.get(pk=window_id), User.objects.get(pk=user_id)
    called = []
    start.wait()
    while (ticket := actions.call_next(user, window, clock.now())) is not None:
        called.append(ticket.pk)
        actions.complete(user, ticket, clock.now())
    connections.close_all()
    results.put(called)


def issue_some(hall_id: int, item_id: int, count: int, start, results) -> None:
    from weimin.halls.models import Hall, ServiceItem

    connections.close_all()
    hall, item = Hall.objects.get(pk=hall_id), ServiceItem.objects.get(pk=item_id)
    start.wait()
    numbers = [actions.issue_ticket(hall, item, clock.now()).ticket.number for _ in range(count)]
    connections.close_all()
    results.put(numbers)


@pytest.fixture
def twenty_windows(hall, item, make_clerk, freeze):
    freeze("2017-12-08 18:30")
    pairs = []
    for number in range(1, WINDOWS + 1):
        window = Window.objects.create(hall=hall, number=number)
        window.items.add(item)
        pairs.append((window.pk, make_clerk(f"clerk{number}", window).pk))
    return pairs


def run_parallel(target, argument_lists, use_processes: bool) -> list:
    # Daemons, and a process still running at the end is killed: one stuck worker fails its test, and must
    # not hold the whole run at its exit (which joins every worker that is not a daemon).
    if use_processes:
        context = multiprocessing.get_context("fork")
        start, results = context.Barrier(len(argument_lists)), context.Queue()
        workers = [context.Process(target=target, args=(*args, start, results), daemon=True) for args in argument_lists]
    else:
        import queue

        start, results = threading.Barrier(len(argument_lists)), queue.Queue()
        workers = [
            threading.Thread(target=target, args=(*args, start, results), daemon=True) for args in argument_lists
        ]
    connections.close_all()
    for worker in workers:
        worker.start()  # each connects, then waits at the barrier until all are ready
    deadline = time.monotonic() + 120
    try:
        return [results.get(timeout=max(1, deadline - time.monotonic())) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=max(1, deadline - time.monotonic()))
            if use_processes and worker.is_alive():
                worker.kill()


@pytest.mark.parametrize("use_processes", [True, False], ids=["processes", "threads"])
def test_twenty_windows_call_at_once(hall, item, twenty_windows, use_processes):
    for _ in range(TICKETS):
        actions.issue_ticket(hall, item, clock.now())
    per_window = run_parallel(drain, twenty_windows, use_processes)
    calls = [ticket_id for window_calls in per_window for ticket_id in window_calls]
    assert len(calls) == len(set(calls)), "a ticket was called twice"
    assert set(calls) == set(Ticket.objects.values_list("pk", flat=True)), "a ticket was skipped"
    assert (
        Counter(TicketEvent.objects.filter(kind="called").values_list("ticket_id", flat=True)).most_common(1)[0][1] == 1
    )
    assert all_problems() == []


@pytest.mark.parametrize("use_processes", [True, False], ids=["processes", "threads"])
def test_concurrent_issuing_never_duplicates_a_number(hall, item, twenty_windows, use_processes):
    batches = run_parallel(issue_some, [(hall.pk, item.pk, 8)] * WINDOWS, use_processes)
    numbers = [n for batch in batches for n in batch]
    assert len(numbers) == len(set(numbers)) == WINDOWS * 8
    assert sorted(numbers) == [f"B{n:03d}" for n in range(1, WINDOWS * 8 + 1)]
