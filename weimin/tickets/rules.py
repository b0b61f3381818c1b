"""Queue rules (no Django): the ticket life cycle, fair alternation, ticket numbers, wait estimates."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple


class Status(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    CLOSED = "closed"  # end of day, with a reason


class Event(enum.StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    REJOINED = "rejoined"
    CANCELLED = "cancelled"
    CLOSED = "closed"


# What the hall display shows: a number called to a window, first or again (a partial index serves them).
CALL_KINDS = (Event.CALLED, Event.RECALLED)


# event → (statuses it may follow, status it leads to). The issued event starts from no status.
TRANSITIONS: dict[Event, tuple[frozenset[Status | None], Status]] = {
    Event.ISSUED: (frozenset({None}), Status.WAITING),
    Event.CALLED: (frozenset({Status.WAITING}), Status.CALLED),
    Event.RECALLED: (frozenset({Status.CALLED}), Status.CALLED),
    Event.SERVING: (frozenset({Status.CALLED}), Status.SERVING),
    Event.COMPLETED: (frozenset({Status.CALLED, Status.SERVING}), Status.COMPLETED),
    Event.NO_SHOW: (frozenset({Status.CALLED}), Status.NO_SHOW),
    Event.TRANSFERRED: (frozenset({Status.WAITING, Status.CALLED, Status.SERVING}), Status.WAITING),
    Event.REJOINED: (frozenset({Status.NO_SHOW}), Status.WAITING),
    Event.CANCELLED: (frozenset({Status.WAITING}), Status.CANCELLED),
    Event.CLOSED: (frozenset({Status.WAITING, Status.CALLED, Status.SERVING}), Status.CLOSED),
}

OPEN_STATUSES = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})
AT_WINDOW_STATUSES = frozenset({Status.CALLED, Status.SERVING})
# The visit is over: nothing about it changes any more (a no-show may still rejoin).
OVER_STATUSES = frozenset({Status.COMPLETED, Status.CANCELLED, Status.CLOSED})


class IllegalTransition(ValueError):
    def __init__(self, status: Status | None, event: Event):
        self.status, self.event = status, event
        super().__init__(f"a ticket that is {status or 'not yet issued'} cannot be {event.replace('_', '-')}")


def after(status: Status | None, event: Event) -> Status:
    """The status a ticket has after ``event``; raises IllegalTransition."""
    allowed_from, to = TRANSITIONS[event]
    if status not in allowed_from:
        raise IllegalTransition(status, event)
    return to


def replay(events: Iterable[Event]) -> Status | None:
    """The status a sequence of events leads to; raises IllegalTransition at the first illegal one."""
    status: Status | None = None
    for event in events:
        status = after(status, event)
    return status


class Waiting(NamedTuple):
    """A waiting ticket as the queue order sees it (a tuple: a hall's snapshot builds hundreds at a time)."""

    id: int
    item_id: int
    target_window_id: int | None
    priority: bool
    front: bool
    queued_at: datetime


def call_order(
    waiting: Iterable[Waiting], max_priority_in_row: int, recent_calls_priority: Sequence[bool] = ()
) -> list[Waiting]:
    """The order one window calls these tickets in — the rule ``call_next``'s query applies one call at
    a time: transferred tickets first; among them, and then among the rest, the priority or the normal
    lane by fair alternation (``take_priority_next`` over the calls so far, newest first), each lane in
    queue order. Linear after the lanes' sort: every phone's place in a hall is read from it after each
    change."""
    lanes: dict[tuple[bool, bool], list[Waiting]] = {(f, p): [] for f in (True, False) for p in (True, False)}
    for w in waiting:
        lanes[w.front, w.priority].append(w)
    # The newest calls' run of priority tickets, as far as the alternation looks back.
    run = 0
    for was_priority in recent_calls_priority[: max(max_priority_in_row, 0)]:
        if not was_priority:
            break
        run += 1
    order: list[Waiting] = []
    for front in (True, False):
        priority, normal = (sorted(lanes[front, lane], key=in_queue_order) for lane in (True, False))
        p = n = 0
        while p < len(priority) and n < len(normal):
            if run < max_priority_in_row:  # ``take_priority_next``: fewer than the most in a row so far
                order.append(priority[p])
                p, run = p + 1, run + 1
            else:
                order.append(normal[n])
                n, run = n + 1, 0
        if p < len(priority):  # one lane left: called in its own order
            order += priority[p:]
            run += len(priority) - p
        elif n < len(normal):
            order += normal[n:]
            run = 0
    return order


in_queue_order = attrgetter("queued_at", "id")  # a lane's order, and the snapshot's


def place_in_call_order(
    lane_sizes: Mapping[tuple[bool, bool], int], lane: tuple[bool, bool], index: int, max_priority_in_row: int
) -> int:
    """How many ``call_order`` (from a fresh start: no recent calls) puts before a ticket that is ``index``-th
    in queue order of its ``lane`` (front, priority), given how many tickets each lane holds (its own
    included): the same place, counted without ordering anyone, so that a phone's place in a hall of
    hundreds costs a few bisections, not a sort of the hall."""
    ahead, run = 0, 0
    for front in (True, False):
        priority, normal = lane_sizes.get((front, True), 0), lane_sizes.get((front, False), 0)
        # Priority tickets taken before the first normal one while both lanes hold tickets; then one
        # normal after every ``max_priority_in_row`` (none taken first when that is 0 or less).
        first = max(max_priority_in_row - run, 0)
        if lane[0] == front:
            if lane[1]:  # the normal tickets taken before this priority one
                if max_priority_in_row <= 0:
                    others = normal
                else:
                    others = 0 if index < first else min(normal, 1 + (index - first) // max_priority_in_row)
            else:  # the priority tickets taken before this normal one
                others = min(priority, first + index * max_priority_in_row) if max_priority_in_row > 0 else 0
            return ahead + index + others
        ahead += priority + normal
        if not normal:
            run += priority
        elif priority:  # the priority tickets after the last normal one end the phase's run
            before_last = min(priority, first + (normal - 1) * max_priority_in_row) if max_priority_in_row > 0 else 0
            run = priority - before_last
        else:
            run = 0
    raise ValueError(f"not a lane: {lane}")


def take_priority_next(recent_calls_priority: Sequence[bool], max_priority_in_row: int) -> bool:
    """Fair alternation: prefer a priority ticket unless the last ``max_priority_in_row`` calls
    (newest first) were all priority, in which case a waiting normal ticket goes first."""
    if max_priority_in_row <= 0:
        return False
    recent = list(recent_calls_priority[:max_priority_in_row])
    return not (len(recent) == max_priority_in_row and all(recent))


def ticket_number(prefix: str, sequence: int) -> str:
    """A001 … A999, then A1000: numbers are never reused within a day."""
    return f"{prefix}{sequence:03d}"


def estimated_wait_minutes(ahead: int, handling_minutes: float, windows: int) -> int:
    """People ahead are served in rounds, one per window at a time, each round taking the item's
    handling time: a full service time per round still ahead. While anyone is ahead it is never 0
    (more windows than people ahead still means waiting for a window to finish); 0 only when you are
    next."""
    if ahead <= 0:
        return 0
    rounds = math.ceil(ahead / max(1, windows))
    return max(1, math.ceil(rounds * handling_minutes))
