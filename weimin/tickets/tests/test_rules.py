from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.tickets.rules import (
    TRANSITIONS,
    Event,
    IllegalTransition,
    Status,
    Waiting,
    after,
    call_order,
    estimated_wait_minutes,
    in_queue_order,
    place_in_call_order,
    replay,
    take_priority_next,
    ticket_number,
)


def test_life_cycle_paths():
    assert replay([Event.ISSUED, Event.CALLED, Event.SERVING, Event.COMPLETED]) == Status.COMPLETED
    assert replay([Event.ISSUED, Event.CALLED, Event.RECALLED, Event.RECALLED, Event.NO_SHOW]) == Status.NO_SHOW
    assert replay([Event.ISSUED, Event.CALLED, Event.NO_SHOW, Event.REJOINED, Event.CALLED]) == Status.CALLED
    assert replay([Event.ISSUED, Event.CALLED, Event.TRANSFERRED, Event.CALLED, Event.COMPLETED]) == Status.COMPLETED


@pytest.mark.parametrize(
    "events",
    [
        [Event.CALLED],  # never issued
        [Event.ISSUED, Event.ISSUED],
        [Event.ISSUED, Event.CALLED, Event.CALLED],  # called twice without coming back to the queue
        [Event.ISSUED, Event.COMPLETED],
        [Event.ISSUED, Event.CALLED, Event.COMPLETED, Event.REJOINED],
        [Event.ISSUED, Event.NO_SHOW],
    ],
)
def test_illegal_sequences(events):
    with pytest.raises(IllegalTransition):
        replay(events)


@given(st.lists(st.sampled_from(list(Event)), max_size=12))
def test_replay_agrees_with_stepwise_after(events):
    status = None
    try:
        for event in events:
            status = after(status, event)
    except IllegalTransition:
        with pytest.raises(IllegalTransition):
            replay(events)
    else:
        assert replay(events) == status
        # A ticket is never at two windows: a second call needs the queue in between.
        calls = [i for i, e in enumerate(events) if e == Event.CALLED]
        for first, second in zip(calls, calls[1:], strict=False):
            assert {Event.TRANSFERRED, Event.REJOINED} & set(events[first:second])


def test_every_event_has_a_rule():
    assert set(TRANSITIONS) == set(Event)


@pytest.mark.parametrize(
    ("recent", "limit", "expected"),
    [
        ([], 2, True),
        ([True], 2, True),
        ([True, True], 2, False),
        ([True, False, True], 2, True),
        ([False, True, True], 2, True),
        ([True, True, True], 3, False),
        ([True], 0, False),
    ],
)
def test_fair_alternation(recent, limit, expected):
    assert take_priority_next(recent, limit) is expected


def one_call_at_a_time(waiting, limit, recent):
    """The rule as a window applies it, call by call: the front tickets first, then the rest; the lane
    ``take_priority_next`` picks over the calls so far (the other when it is empty); its earliest."""
    left, recent, order = list(waiting), list(recent), []
    while left:
        front = [w for w in left if w.front] or left
        prefer = take_priority_next(recent, limit)
        lane = [w for w in front if w.priority == prefer] or front
        taken = min(lane, key=lambda w: (w.queued_at, w.id))
        order.append(taken)
        left.remove(taken)
        recent.insert(0, taken.priority)
    return order


@given(
    tickets=st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 5)), max_size=40),
    limit=st.integers(-1, 4),
    recent=st.lists(st.booleans(), max_size=6),
)
def test_the_call_order_is_the_windows_rule_call_by_call(tickets, limit, recent):
    start = datetime(2017, 12, 8, 18)
    waiting = [
        Waiting(n, 1, None, priority, front, start + timedelta(minutes=minute))
        for n, (priority, front, minute) in enumerate(tickets, 1)
    ][::-1]  # in no particular order
    assert call_order(waiting, limit, recent) == one_call_at_a_time(waiting, limit, recent)


@given(
    tickets=st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 5)), min_size=1, max_size=40),
    limit=st.integers(-1, 4),
)
def test_a_place_counted_from_the_lanes_sizes_is_its_place_in_the_call_order(tickets, limit):
    start = datetime(2017, 12, 8, 18)
    waiting = [
        Waiting(n, 1, None, priority, front, start + timedelta(minutes=minute))
        for n, (priority, front, minute) in enumerate(tickets, 1)
    ]
    sizes = Counter((w.front, w.priority) for w in waiting)
    for place, w in enumerate(call_order(waiting, limit)):
        lane = sorted((o for o in waiting if (o.front, o.priority) == (w.front, w.priority)), key=in_queue_order)
        assert place_in_call_order(sizes, (w.front, w.priority), lane.index(w), limit) == place


def test_numbers_and_estimates():
    assert ticket_number("A", 23) == "A023"
    assert ticket_number("B", 1234) == "B1234"
    assert estimated_wait_minutes(0, 30, 4) == 0  # you are next
    assert estimated_wait_minutes(5, 30, 4) == 60  # two rounds of the four windows
    assert estimated_wait_minutes(5, 12, 0) == 60
    assert estimated_wait_minutes(1, 10, 20) == 10  # issue 10: "约0分钟" with people ahead
    assert estimated_wait_minutes(3, 0, 4) == 1  # even an item recorded with no handling time


@given(st.integers(1, 500), st.integers(0, 480), st.integers(0, 40))
def test_nobody_ahead_is_the_only_zero_wait(ahead, handling, windows):
    """Issue 10: the estimate stayed at "about 0 minutes" for minutes while people were ahead."""
    wait = estimated_wait_minutes(ahead, handling, windows)
    assert wait >= max(1, handling)  # at least one service time while anyone is ahead
    assert estimated_wait_minutes(ahead + 1, handling, windows) >= wait
