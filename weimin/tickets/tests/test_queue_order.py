"""The queue order exists twice: in SQL (``call_next``'s one query) and in Python (``rules.call_order``,
which tells each visitor how many are ahead and each console who comes next). They must agree: whoever a
visitor is told is ahead of them is called before them, in the order the console lists."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weimin.core import clock
from weimin.tickets import actions, queue
from weimin.tickets.choices import Priority
from weimin.tickets.models import Ticket

pytestmark = pytest.mark.django_db

# (priority visitor, transferred to the front) for each ticket, in the order they were issued.
tickets = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrivals=tickets)
def test_the_visitors_told_ahead_are_called_before(clerk, hall, item, window, arrivals):
    start = clock.now()
    with transaction.atomic():
        issued = []
        for minute, (priority, front) in enumerate(arrivals):
            clock.freeze(start + timedelta(minutes=minute))
            ticket = actions.issue_ticket(hall, item, clock.now(), priority=Priority.ELDERLY if priority else "").ticket
            if front:  # as a transfer leaves it
                Ticket.objects.filter(pk=ticket.pk).update(front=True)
                ticket.front = True
            issued.append(ticket)
        queue.forget_snapshots()
        told = {ticket.pk: queue.position(ticket).ahead for ticket in issued}
        # The console's list of who comes next (after the window's own last calls: none yet) is the same order.
        outlook = queue.window_outlook(window, issued[0].business_date, len(issued))
        assert outlook.waiting == len(issued)
        assert [t.id for t in outlook.next_up] == sorted(told, key=told.get)
        called = []
        while (ticket := actions.call_next(clerk, window, clock.now())) is not None:
            called.append(ticket.pk)
            actions.complete(clerk, ticket, clock.now())
        assert sorted(called) == sorted(told)
        assert {pk: called.index(pk) for pk in called} == told
        transaction.set_rollback(True)
    clock.freeze(start)


@pytest.mark.django_db(False)
def test_a_ticket_the_snapshot_holds_older_or_not_at_all_is_placed_among_it():
    """A ticket changed since the snapshot (sent to the front, rejoined) leaves its older entry out; one
    issued since joins the back of its lane."""
    from datetime import datetime

    from weimin.tickets.rules import Waiting, call_order

    at = datetime(2017, 12, 8, 10, 30)
    held = [Waiting(n, 1, None, n % 3 == 0, False, at) for n in range(1, 8)]
    current = queue.QueueSnapshot.of(held, frozenset(), {})
    group = ("items", frozenset({1}))
    moved = held[4]._replace(front=True)  # transferred back to the front since
    others = [w for w in held if w.id != moved.id]
    assert current.place(group, moved) == call_order([*others, moved], 2).index(moved) == 0
    back = held[1]._replace(queued_at=at + timedelta(minutes=5))  # rejoined since: its older entry is ahead
    others = [w for w in held if w.id != back.id]
    assert current.place(group, back) == call_order([*others, back], 2).index(back) == len(others)
    new = Waiting(8, 1, None, False, False, at)
    assert current.place(group, new, new=True) == call_order([*held, new], 2).index(new)
    assert [current.place(group, w) for w in held] == [call_order(held, 2).index(w) for w in held]
