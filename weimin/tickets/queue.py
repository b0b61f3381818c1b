"""Reading the queue: what waits where, who is ahead, how long, what the display shows."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from weimin.core.cache import TimedCache
from weimin.core.prepared import PreparedQuery
from weimin.halls import reference
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.shifts.models import Duty
from weimin.tickets import rules
from weimin.tickets.changes import hall_changes
from weimin.tickets.choices import AppointmentKind, AppointmentStatus, Priority
from weimin.tickets.models import Appointment, Ticket, TicketEvent, secret_hash
from weimin.tickets.rules import AT_WINDOW_STATUSES, CALL_KINDS, Event, Status


def waiting(hall: Hall, business_date: date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(hall=hall, business_date=business_date, status=Status.WAITING)


def waiting_for(hall_id: int, window_id: int, business_date: date) -> QuerySet[Ticket]:
    """Tickets this window may call: its items' tickets, and tickets transferred to it by name (by ids:
    ``call_next``'s prepared query is built from it)."""
    items = Window.items.through.objects.filter(window_id=window_id).values("serviceitem_id")
    return Ticket.objects.filter(hall_id=hall_id, business_date=business_date, status=Status.WAITING).filter(
        Q(target_window_id=window_id) | Q(target_window__isnull=True, item__in=items)
    )


def unassigned_waiting_ids(hall: Hall):
    """The ids of the hall's tickets waiting for any window of their item, none named (any day: a past
    day's are closed by the daily job)."""
    return Ticket.objects.filter(hall=hall, status=Status.WAITING, target_window__isnull=True).values_list(
        "pk", flat=True
    )


def tickets_by_ids(ids) -> dict[int, Ticket]:
    return {t.pk: t for t in Ticket.objects.filter(pk__in=ids).select_related("window", "target_window", "item")}


class NextUp(NamedTuple):
    """A ticket as the console lists it among the next, from the queue snapshot (no query)."""

    id: int
    number: str
    item: ServiceItem
    target_window_id: int | None
    front: bool
    priority: str  # Priority's label, "" in the normal lane


@dataclass(frozen=True)
class WindowOutlook:
    """What a window's console shows of the queue: how many it may call, and whom it calls next."""

    waiting: int
    next_up: list[NextUp]


def window_outlook(window: Window, business_date: date, limit: int) -> WindowOutlook:
    """Who this window will call next, in the order ``call_next`` takes them (rules.call_order over the
    window's own last calls), and how many it may call: from the hall's queue snapshot (the console polls
    it, every clerk's at once) and the reference data, with no query of its own but the window's last calls."""
    current, window_id = snapshot(window.hall_id, business_date), window.pk
    items = reference.topology(window.hall_id).items_of_window.get(window_id, frozenset())
    rows = current.competing(("window", window_id)) + current.competing(("items", items))
    recent = recent_priority_calls(window, settings.WEIMIN_MAX_PRIORITY_IN_ROW)
    first = rules.call_order(rows, settings.WEIMIN_MAX_PRIORITY_IN_ROW, recent)[:limit]
    by_id, labels = reference.items_by_id(), dict(Priority.choices)
    next_up = []
    for w in first:
        number, priority = current.shown[w.id]
        # An item added within the reference data's lifetime, in another process: read once here.
        item = by_id.get(w.item_id) or ServiceItem.objects.get(pk=w.item_id)
        next_up.append(NextUp(w.id, number, item, w.target_window_id, w.front, labels[priority] if priority else ""))
    return WindowOutlook(len(rows), next_up)


_SERVED = PreparedQuery(
    lambda user_id, hall_id, business_date: (
        TicketEvent.objects.filter(hall_id=hall_id, business_date=business_date, kind=Event.COMPLETED, actor_id=user_id)
        .values("actor_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    user_id=TicketEvent._meta.get_field("actor"),
    hall_id=TicketEvent._meta.get_field("hall"),
    business_date=TicketEvent._meta.get_field("business_date"),
)


def served_today(user_id: int, hall_id: int, business_date: date) -> int:
    """Tickets ``user_id`` completed at the hall on this business day (each console shows it: prepared)."""
    found = _SERVED.rows(user_id=user_id, hall_id=hall_id, business_date=business_date)
    return found[0][0] if found else 0


def sent_to_windows(hall: Hall, business_date: date) -> list[tuple[str, int]]:
    """Waiting tickets sent to a window by name (a handover, a transfer, the fast lane), oldest first, with
    the window's number: the display tells these visitors where to go. From the hall's queue snapshot, as
    the waiting counts beside them (every TV of the hall reads its feed after each call)."""
    current, numbers = snapshot(hall.pk, business_date), reference.window_numbers()
    sent = current.sent_to_windows()
    if missing := {w.target_window_id for w in sent} - numbers.keys():
        # A window added within the reference data's lifetime, in another process: read here.
        numbers = {**numbers, **dict(Window.objects.filter(pk__in=missing).values_list("pk", "number"))}
    return [(current.shown[w.id][0], numbers[w.target_window_id]) for w in sent]


_BY_TOKEN = PreparedQuery(
    lambda token_hash: Ticket.objects.filter(token_hash=token_hash).order_by("pk")[:1],
    token_hash=Ticket._meta.get_field("token_hash"),
)


def ticket_by_token(token: str) -> Ticket:
    """The visitor's ticket from the secret in their link; 404 otherwise. Asked by every phone following
    its ticket: one prepared query, its hall, item and windows from the per-process reference data."""
    found = _BY_TOKEN.objects(token_hash=secret_hash(token))
    if not found:
        raise Http404(_("No such ticket."))
    return with_reference(found[0])


def with_reference(ticket: Ticket) -> Ticket:
    """The ticket with its hall, item and windows as the process's reference data holds them (shared
    instances: read only); one the data does not know yet is read when asked for, as usual."""
    known = (
        ("hall", reference.halls_by_id(), ticket.hall_id),
        ("item", reference.items_by_id(), ticket.item_id),
        ("window", reference.windows_by_id(), ticket.window_id),
        ("target_window", reference.windows_by_id(), ticket.target_window_id),
    )
    for name, instances, pk in known:
        if pk is not None and (instance := instances.get(pk)) is not None:
            setattr(ticket, name, instance)
    return ticket


def ticket_by_id(ticket_id: int) -> Ticket:
    """The ticket as it is now, with its hall, item and window."""
    return Ticket.objects.select_related("hall", "item", "window").get(pk=ticket_id)


def completion(ticket: Ticket) -> TicketEvent | None:
    """The event that completed the ticket (its instant, window and clerk), if it was completed."""
    return TicketEvent.objects.filter(ticket=ticket, kind=Event.COMPLETED).order_by("-at").first()


def completions_between(start: datetime, end: datetime) -> QuerySet[TicketEvent]:
    """Completions of tickets that stayed completed, in [start, end), with the ticket and its hall."""
    return TicketEvent.objects.filter(
        kind=Event.COMPLETED, at__gte=start, at__lt=end, ticket__status=Status.COMPLETED
    ).select_related("ticket__hall")


def sent_to(window: Window) -> list[Ticket]:
    """Waiting tickets sent to this window by name (transfers, the fast lane back to its clerk)."""
    return list(Ticket.objects.filter(target_window=window, status=Status.WAITING).select_related("item"))


def _at_window(window_id) -> QuerySet[Ticket]:
    """The ticket at the window (an id, or ``OuterRef`` in a query of windows): called or being served."""
    return Ticket.objects.filter(window_id=window_id, status__in=AT_WINDOW_STATUSES).order_by("pk")


_AT_WINDOW = PreparedQuery(lambda window_id: _at_window(window_id)[:1], window_id=Ticket._meta.get_field("window"))


def ticket_at_window(window: Window) -> Ticket | None:
    found = _AT_WINDOW.objects(window_id=window.pk)
    return found[0] if found else None


class CallingStanding(NamedTuple):
    """What a clerk's call checks before it calls (``actions.call_next``)."""

    held: bool  # the clerk holds the window
    number_at_window: str | None  # the ticket still at the window
    recent_priorities: list[bool]  # whether each of the window's last calls, newest first, was a priority ticket


def _calling_standing(window_id, user_id, limit: int):
    """One row: whether the clerk holds the window, the number at it, and the priority of each of its last
    ``limit`` calls (NULL beyond the calls it has made), as ``holds``, ``ticket_at_window`` and
    ``recent_priority_calls`` read them."""
    window = OuterRef("pk")
    return (
        Window.objects.filter(pk=window_id)
        .order_by()  # one row: not the model's ordering, which joins the hall
        .values_list(
            Exists(Duty.objects.held_by(user_id).filter(window_id=window)),
            Subquery(_at_window(window).values("number")[:1]),
            *(Subquery(_calls_at(window).values("ticket__priority")[i : i + 1]) for i in range(limit)),
        )
    )


_CALLING_STANDING = PreparedQuery(_calling_standing, window_id=Window._meta.pk, user_id=Duty._meta.get_field("user"))


def calling_standing(user, window: Window, limit: int) -> CallingStanding:
    """``CallingStanding`` of ``user`` at ``window`` with its last ``limit`` calls, in one prepared query:
    a clerk's call makes two fewer round trips, each a wait for the GIL in a busy worker (issue 15)."""
    found = _CALLING_STANDING.rows(window_id=window.pk, user_id=user.pk, shape={"limit": limit})
    if not found:
        raise Window.DoesNotExist(f"window {window.pk}")
    held, number, *priorities = found[0]
    recent = list(itertools.takewhile(lambda priority: priority is not None, priorities))
    return CallingStanding(bool(held), number, [bool(priority) for priority in recent])


# Whom a group of windows calls: ("window", id) the tickets sent to that window, ("items", ids) the others
# of those items.
Group = tuple[str, int | frozenset[int]]


# A lane of the snapshot: ("window", id) sent to that window by name, or ("item", id) waiting for any of its
# item's windows; then front (transferred) and priority.
Lane = tuple[str, int, bool, bool]
_FRONT_PRIORITY = ((True, True), (True, False), (False, True), (False, False))


def _lane_of(w: rules.Waiting) -> Lane:
    if w.target_window_id is not None:
        return ("window", w.target_window_id, w.front, w.priority)
    return ("item", w.item_id, w.front, w.priority)


@dataclass(frozen=True)
class QueueSnapshot:
    """A hall's waiting tickets by lane, each lane in queue order, and its staffed windows, read in two
    queries. A change copies only the lanes of the tickets it names, never the hall's every ticket; a
    phone's place is counted from the lanes' sizes and one bisection each (rules.place_in_call_order)."""

    lanes: dict[Lane, tuple[rules.Waiting, ...]]
    staffed_windows: frozenset[int]
    # Shared by the snapshots one process brings up to date from one another (one thread at a time, once
    # nothing can fail): what a console lists of each ticket (number, priority), added to only; and the
    # newest snapshot's entry of each ticket, which the next update takes out of its lane.
    shown: dict[int, tuple[str, str]] = field(compare=False, repr=False)
    placed: dict[int, rules.Waiting] = field(compare=False, repr=False)
    # Worked out once per snapshot, on first use: every phone and console of the hall asks the same.
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, waiting: list[rules.Waiting], staffed_windows: frozenset[int], shown: dict) -> QueueSnapshot:
        """From ``waiting`` in queue order."""
        lanes: dict[Lane, list[rules.Waiting]] = {}
        for w in waiting:
            lanes.setdefault(_lane_of(w), []).append(w)
        held = {lane: tuple(tickets) for lane, tickets in lanes.items()}
        return cls(held, staffed_windows, shown, {w.id: w for w in waiting})

    def changed(
        self, gone: set[int], fresh: list[rules.Waiting], staffed_windows: frozenset[int]
    ) -> QueueSnapshot | None:
        """The next snapshot: the tickets ``gone`` out of their lanes, ``fresh`` (as read now) into theirs.
        None when this is not the newest snapshot of its line (its entries moved since): read it whole."""
        lanes = dict(self.lanes)
        for ticket_id in gone:
            if (old := self.placed.get(ticket_id)) is None:
                continue
            lane = lanes.get(_lane_of(old), ())
            i = bisect.bisect_left(lane, rules.in_queue_order(old), key=rules.in_queue_order)
            if i == len(lane) or lane[i] != old:
                return None
            lanes[_lane_of(old)] = lane[:i] + lane[i + 1 :]
        for w in fresh:
            lane = lanes.get(_lane_of(w), ())
            i = bisect.bisect_left(lane, rules.in_queue_order(w), key=rules.in_queue_order)
            lanes[_lane_of(w)] = (*lane[:i], w, *lane[i:])
        for ticket_id in gone:
            self.placed.pop(ticket_id, None)
        self.placed.update((w.id, w) for w in fresh)
        return QueueSnapshot(
            {lane: held for lane, held in lanes.items() if held}, staffed_windows, self.shown, self.placed
        )

    def _group(self, group: Group) -> dict[tuple[bool, bool], list[tuple[rules.Waiting, ...]]]:
        """The lanes ``group`` calls from, by front and priority."""
        found = self._memo.get(group)
        if found is None:
            kind, which = group
            keys = [("window", which)] if kind == "window" else [("item", item_id) for item_id in which]
            found = self._memo[group] = {
                fp: [lane for key in keys if (lane := self.lanes.get((*key, *fp)))] for fp in _FRONT_PRIORITY
            }
        return found

    def sent_to_windows(self) -> list[rules.Waiting]:
        """The waiting tickets sent to a window by name, in the order they joined the queue."""
        found = self._memo.get("sent")
        if found is None:
            sent = (w for lane, held in self.lanes.items() if lane[0] == "window" for w in held)
            found = self._memo["sent"] = sorted(sent, key=lambda w: (w.queued_at, w.id))
        return found

    def competing(self, group: Group) -> list[rules.Waiting]:
        """The waiting tickets ``group`` calls, in no particular order."""
        return [w for lanes in self._group(group).values() for lane in lanes for w in lane]

    def place(self, group: Group, mine: rules.Waiting, *, new: bool = False) -> int:
        """How many the windows of ``group`` will call before ``mine`` (from a fresh start: a window's last
        calls may shift the lanes by a place). ``mine`` as read now: held here as it is, or placed among the
        snapshot (issued or changed since: ``new``, issued after it, has no older entry to leave out)."""
        lanes = self._group(group)
        own, key = (mine.front, mine.priority), rules.in_queue_order(mine)
        index, held = 0, False
        for lane in lanes[own]:
            i = bisect.bisect_left(lane, key, key=rules.in_queue_order)
            index, held = index + i, held or (i < len(lane) and lane[i] == mine)
        sizes = {fp: sum(map(len, found)) for fp, found in lanes.items()}
        if not held:
            others = [w for w in self.competing(group) if w.id != mine.id] if not new else []
            if not new and len(others) < sum(sizes.values()):  # an older entry of it, left out
                order = rules.call_order([*others, mine], settings.WEIMIN_MAX_PRIORITY_IN_ROW)
                return next(place for place, w in enumerate(order) if w.id == mine.id)
            sizes[own] += 1
        return rules.place_in_call_order(sizes, own, index, settings.WEIMIN_MAX_PRIORITY_IN_ROW)

    def waiting_by_item(self) -> Counter[int]:
        """Item id → its waiting tickets, those sent to a window by name included."""
        found = self._memo.get("items")
        if found is None:
            found = Counter()
            for (kind, which, _, _), lane in self.lanes.items():
                if kind == "item":
                    found[which] += len(lane)
                else:
                    found.update(w.item_id for w in lane)
            self._memo["items"] = found
        return found


_snapshots = TimedCache("WEIMIN_QUEUE_SNAPSHOT_SECONDS")


def _waiting_rows(tickets: QuerySet) -> QuerySet:
    """What a snapshot holds of each of ``tickets`` that waits, in queue order."""
    return (
        tickets.filter(status=Status.WAITING)
        .annotate(in_priority_lane=ExpressionWrapper(~Q(priority=""), output_field=BooleanField()))
        # The model's ordering, within one hall and day, without its join to the hall (sorting by the
        # hall's collated code cost PostgreSQL more than reading the rows).
        .order_by("queued_at", "id")
        .values_list(
            "id", "item_id", "target_window_id", "in_priority_lane", "front", "queued_at", "number", "priority"
        )
    )


_WAITING_ROWS = PreparedQuery(
    lambda hall_id, business_date: _waiting_rows(Ticket.objects.filter(hall_id=hall_id, business_date=business_date)),
    hall_id=Ticket._meta.get_field("hall"),
    business_date=Ticket._meta.get_field("business_date"),
)
_WAITING_ROW = PreparedQuery(
    lambda ticket_id, hall_id, business_date: _waiting_rows(
        Ticket.objects.filter(pk=ticket_id, hall_id=hall_id, business_date=business_date)
    ),
    ticket_id=Ticket._meta.pk,
    hall_id=Ticket._meta.get_field("hall"),
    business_date=Ticket._meta.get_field("business_date"),
)
_STAFFED_WINDOWS = PreparedQuery(
    lambda hall_id: Duty.objects.staffed_window_ids(hall_id), hall_id=Window._meta.get_field("hall")
)
# A snapshot is brought up to date from the hall's news: the tickets it tells the place of (``entry``), up
# to the first number; those it only names (news from a process that does not tell), read again, up to the
# second. Beyond either, the hall's waiting tickets are read again whole.
MOST_TICKETS_TOLD = 100
MOST_TICKETS_UPDATED = 8
# How long a snapshot waits for news heard out of order (another process's change, heard after this
# process's own later one) before reading the hall whole: the listener is a few milliseconds behind.
NEWS_LATE_SECONDS = 0.05


def entry(ticket: Ticket) -> list | None:
    """What the hall's news tells every process of the ticket's place in the queue (as JSON): its entry in
    the snapshot's lanes and what a console lists of it; None once it waits no more."""
    if ticket.status != Status.WAITING:
        return None
    at, number = ticket.queued_at.isoformat(), ticket.number
    return [ticket.item_id, ticket.target_window_id, ticket.is_priority, ticket.front, at, number, ticket.priority]


def windows_listing(hall_id: int, *waited_for: tuple[int, int | None] | None) -> list[int] | None:
    """The numbers of the windows whose console lists a ticket that waits, or waited, for these (item, window)s
    (None: not waiting): a ticket sent to a window, that window alone; otherwise those serving its item. From
    the reference data; None when one of them is not known there yet (every console then takes the news as its
    own)."""
    topology, numbers = reference.topology(hall_id), reference.window_numbers()
    ids = set()
    for item_id, target_window_id in filter(None, waited_for):
        ids.update((target_window_id,) if target_window_id else topology.windows_of_item.get(item_id, ()))
    if any(window_id not in numbers for window_id in ids):
        return None
    return sorted(numbers[window_id] for window_id in ids)


def _told(ticket_id: int, queued: list) -> tuple[rules.Waiting, tuple[str, str]]:
    """A ticket's lane entry and what a console lists of it, from the ``entry`` its news told."""
    item_id, target_window_id, priority, front, at, number, label = queued
    waiting = rules.Waiting(ticket_id, item_id, target_window_id, priority, front, datetime.fromisoformat(at))
    return waiting, (number, label)


def snapshot(hall_id: int, business_date: date, *, current: bool = True) -> QueueSnapshot:
    """Shared by every visitor and display polling the hall: at most WEIMIN_QUEUE_SNAPSHOT_SECONDS old,
    and brought up to date as soon as the hall's version moves (``changes``: a change pushed to the display
    is never answered from the snapshot before it) — by one thread of the process, the others waiting for it.
    When this process heard every change since the snapshot it holds, the tickets they changed are moved in
    its lanes as the news tells (``entry``: no query; a ticket only named is read again); otherwise, and
    once it is WEIMIN_QUEUE_SNAPSHOT_SECONDS old, the hall's waiting tickets are read again whole. While
    the process hears every change as it is made (PostgreSQL's listener), a snapshot is read whole only
    once it is WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS old: a district's dozen halls, each read whole every
    second by each process, cost more than their news.

    Only what screens show reads it (estimates, counts, the display's visitors sent to a window); calling, issuing
    and every other change read the tables.
    Not ``current``, polling for news: the one the process holds, whatever the version since (a ticket
    just issued is placed among it, at the back of its lane: its issue need not wait for the hall's every
    ticket read again). Hearing every change, it is brought up to date all the same: that costs no query.
    """
    version = hall_changes.version(hall_id) if settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS > 0 else 0

    def staffed() -> frozenset[int]:
        return frozenset(w for (w,) in _STAFFED_WINDOWS.rows(hall_id=hall_id))

    def load() -> tuple[int, QueueSnapshot]:
        rows = _WAITING_ROWS.rows(hall_id=hall_id, business_date=business_date)
        waiting = [rules.Waiting._make(row[:6]) for row in rows]
        return version, QueueSnapshot.of(waiting, staffed(), {row[0]: row[6:] for row in rows})

    def update(held: tuple[int, QueueSnapshot]) -> tuple[int, QueueSnapshot] | None:
        held_version, before = held
        events = hall_changes.events_through(hall_id, held_version, version, NEWS_LATE_SECONDS)
        if not events:  # not all heard here (another process's, found by polling), or a database reset
            return None
        news = [about for _, about in events]
        told: dict[int, list | None] = {}  # a ticket's place as the newest news of it tells, None: waits no more
        unread: set[int] = set()  # named by news that does not tell
        for about in news:
            if "ticket" in about:
                ticket_id = about["ticket"]
                if "queued" in about:
                    told[ticket_id] = about["queued"]
                    unread.discard(ticket_id)
                else:
                    unread.add(ticket_id)
                    told.pop(ticket_id, None)
        if len(told) > MOST_TICKETS_TOLD or len(unread) > MOST_TICKETS_UPDATED:
            return None
        # Read now, each row is as new as the version or newer: what a whole read at this version gives.
        rows = [
            row
            for ticket_id in unread
            for row in _WAITING_ROW.rows(ticket_id=ticket_id, hall_id=hall_id, business_date=business_date)
        ]
        fresh = [_told(ticket_id, queued) for ticket_id, queued in told.items() if queued is not None]
        fresh += [(rules.Waiting._make(row[:6]), row[6:]) for row in rows]
        # News of no ticket is a window signed into or out of, a rating, a case: the staffed windows again.
        windows = before.staffed_windows if all("ticket" in about for about in news) else staffed()
        before.shown.update((w.id, shown) for w, shown in fresh)
        after = before.changed(told.keys() | unread, [w for w, _ in fresh], windows)
        return (version, after) if after is not None else None

    listening = hall_changes.listening
    usable = (lambda found: found[0] == version) if current or listening else None
    ttl = settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS
    if ttl > 0 and listening:
        ttl = max(ttl, settings.WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS)
    return _snapshots.get(load, key=(hall_id, business_date), usable=usable, update=update, ttl=ttl)[1]


@dataclass(frozen=True)
class Floor:
    """The hall floor now, for the manager's dashboard: who waits, since when, how many windows are held."""

    waiting: int
    oldest_issued_at: datetime | None  # the longest current wait started then
    staffed_windows: int


def floor(hall: Hall, business_date: date) -> Floor:
    """Read from the tables (two small aggregates), not the shared snapshot: the dashboard polls every 30 s."""
    found = waiting(hall, business_date).aggregate(count=Count("id"), oldest=Min("issued_at"))
    return Floor(found["count"], found["oldest"], Duty.objects.staffed_window_ids(hall.pk).count())


def forget_snapshots() -> None:
    _snapshots.clear()


def windows_serving(item_id: int, hall_id: int, current: QueueSnapshot) -> int:
    """Windows serving the item now; when nobody is signed in, the windows that could."""
    windows = reference.topology(hall_id).windows_of_item.get(item_id, frozenset())
    return len(windows & current.staffed_windows) or len(windows)


@dataclass(frozen=True)
class Position:
    ahead: int
    estimated_wait_minutes: int


def position(ticket: Ticket, *, just_issued: bool = False) -> Position:
    """People who will be called before this ticket by the windows serving its item (an estimate)."""
    if ticket.status != Status.WAITING:
        return Position(0, 0)
    current = snapshot(ticket.hall_id, ticket.business_date, current=not just_issued)
    if ticket.target_window_id:
        group: Group = ("window", ticket.target_window_id)
    else:
        group = ("items", reference.topology(ticket.hall_id).items_sharing_windows_with(ticket.item_id))
    mine = rules.Waiting(
        ticket.pk, ticket.item_id, ticket.target_window_id, ticket.is_priority, ticket.front, ticket.queued_at
    )
    ahead = current.place(group, mine, new=just_issued)
    item = reference.items_by_id()[ticket.item_id]
    windows = windows_serving(ticket.item_id, ticket.hall_id, current)
    return Position(ahead, rules.estimated_wait_minutes(ahead, item.handling_minutes, windows))


def waiting_counts(hall: Hall, business_date: date) -> list[dict]:
    """Waiting tickets per item, with the item's category (for the display and the API)."""
    counts = snapshot(hall.pk, business_date).waiting_by_item()
    items = reference.items_by_id()
    rows = [
        {
            "item": item.code,
            "name": item.name,
            "prefix": item.category.ticket_prefix,
            "category": item.category.name,
            "waiting": n,
        }
        for item_id, n in counts.items()
        if (item := items.get(item_id)) is not None
    ]
    return sorted(rows, key=lambda r: (r["prefix"], r["item"]))


def waiting_by_category(hall: Hall, business_date: date) -> list[dict]:
    totals: dict[str, dict] = {}
    for row in waiting_counts(hall, business_date):
        entry = totals.setdefault(row["prefix"], {"prefix": row["prefix"], "category": row["category"], "waiting": 0})
        entry["waiting"] += row["waiting"]
    return list(totals.values())


@dataclass(frozen=True)
class Call:
    id: int
    number: str
    window: int | None
    recall: bool
    at: datetime


# The kinds written into the SQL, not passed as parameters — the same ones as the partial index of calls
# (ticket_event_calls_idx) —: only then can PostgreSQL prove that a prepared statement's generic plan
# matches that index; with parameters it read every call of the day to keep the newest (8 ms a display
# poll instead of 0.3).
_IS_CALL = RawSQL(
    f'"{TicketEvent._meta.db_table}"."kind" IN (%s)' % ", ".join(f"'{kind.value}'" for kind in CALL_KINDS),
    (),
    output_field=BooleanField(),
)
_RECENT_CALLS = PreparedQuery(
    lambda hall_id, business_date, after_id, limit: (
        TicketEvent.objects.filter(_IS_CALL, hall_id=hall_id, business_date=business_date, id__gt=after_id)
        .order_by("-id")
        .values_list("id", "ticket__number", "window_id", "kind", "at")[:limit]
    ),
    hall_id=TicketEvent._meta.get_field("hall"),
    business_date=TicketEvent._meta.get_field("business_date"),
    after_id=TicketEvent._meta.pk,
)


def recent_calls(hall: Hall, business_date: date, after_id: int = 0, limit: int = 8) -> list[Call]:
    """Calls and recalls for the hall display after event ``after_id``, oldest first (one indexed query)."""
    rows = _RECENT_CALLS.rows(hall_id=hall.pk, business_date=business_date, after_id=after_id, shape={"limit": limit})
    numbers = reference.window_numbers()
    return [Call(i, number, numbers.get(w), kind == Event.RECALLED, at) for i, number, w, kind, at in reversed(rows)]


def _calls_at(window_id) -> QuerySet[TicketEvent]:
    """The window's calls (an id, or ``OuterRef`` in a query of windows), newest first."""
    return TicketEvent.objects.filter(window_id=window_id, kind=Event.CALLED).order_by("-at", "-id")


_RECENT_PRIORITIES = PreparedQuery(
    lambda window_id, limit: _calls_at(window_id).values_list("ticket__priority")[:limit],
    window_id=TicketEvent._meta.get_field("window"),
)


def recent_priority_calls(window: Window, limit: int) -> list[bool]:
    """Whether each of the window's last calls (newest first) was a priority ticket."""
    return [bool(p) for (p,) in _RECENT_PRIORITIES.rows(window_id=window.pk, shape={"limit": limit})]


# Events that bring a visit to a window's counter or take it away, in the order they happened there.
COUNTER_EVENTS = (Event.CALLED, Event.RECALLED, Event.SERVING, Event.COMPLETED, Event.NO_SHOW, Event.TRANSFERRED)


def last_at_counter(window: Window) -> TicketEvent | None:
    """The newest event at the window's counter (with its ticket): what a 好差评 pad beside it follows."""
    return (
        TicketEvent.objects.filter(window=window, kind__in=COUNTER_EVENTS)
        .select_related("ticket")
        .order_by("-at", "-id")
        .first()
    )


def days_records(hall_id: int, first: date, last: date) -> tuple[list[tuple], list[tuple]]:
    """What statistics read of a hall's business days ``first``…``last``: its tickets ``(id, business_date,
    item_id, issued_at)`` and their events ``(ticket_id, kind, at, window_id, actor_id)`` in the order they
    happened."""
    days = {"hall_id": hall_id, "business_date__range": (first, last)}
    tickets = list(Ticket.objects.filter(**days).values_list("id", "business_date", "item_id", "issued_at"))
    events = list(
        TicketEvent.objects.filter(**days)
        .order_by("at", "id")
        .values_list("ticket_id", "kind", "at", "window_id", "actor_id")
    )
    return tickets, events


def days_with_events_after(event_id: int) -> tuple[int, set[tuple[int, date]]]:
    """The newest event id and every (hall id, business day) with an event after ``event_id``."""
    rows = TicketEvent.objects.filter(id__gt=event_id)
    newest = rows.order_by("-id").values_list("id", flat=True).first()
    return newest or event_id, set(rows.values_list("hall_id", "business_date").distinct())


def booked_slots(hall_id: int, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The hall's booked appointment slots (预约) beginning in [start, end): ``(slot_start, item_id)`` —
    what the planning forecast takes as a floor for those half-hours."""
    rows = Appointment.objects.filter(
        hall_id=hall_id, kind=AppointmentKind.SLOT, status=AppointmentStatus.BOOKED,
        slot_start__gte=start, slot_start__lt=end,
    )  # fmt: skip
    return list(rows.values_list("slot_start", "item_id"))


def priority_counts(hall_id: int, first: date, last: date) -> dict[int, tuple[int, int]]:
    """Per item, the tickets of the business days [first, last] issued to the priority lane and in all."""
    rows = (
        Ticket.objects.filter(hall_id=hall_id, business_date__range=(first, last))
        .values("item_id")
        .annotate(priority=Count("id", filter=~Q(priority="")), total=Count("id"))
    )
    return {row["item_id"]: (row["priority"], row["total"]) for row in rows}
