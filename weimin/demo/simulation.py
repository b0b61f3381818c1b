"""The living demo: a realistic queue at the demo clock's instant, then visitors and clerks that keep going.

Two parts:

- ``prepare_day`` builds the business day up to "now" for every hall in one pass (a small
  multi-server queue simulation written with bulk inserts, tickets built by the same constructor
  ``issue_ticket`` uses): served, called and waiting tickets, each with a legal event history, and
  simulated clerks signed in at every window.
- ``LiveSimulation`` is a background thread of ``weimin demo``: every tick, visitors arrive and take
  numbers, and the simulated clerks call, serve and complete — through the same actions a person
  uses — and show they are there (``shifts.actions.touch``), so idle sign-out leaves them alone.

The simulated clerks are the hall staff the seed created (``<hall>-NN``, ``seed.clerk_username``):
the duties the demo runs are those they hold, derived from the database, so a restarted
``weimin demo`` picks up the clerks the last one signed in. A person who signs in at a window one of
them holds takes it over: ``yield_window`` answers ``shifts.signals.window_wanted`` (connected in
``apps.DemoConfig.ready``) by finishing the ticket at the window and signing the clerk out.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import close_old_connections, transaction

from weimin.campaign import actions as campaign_actions
from weimin.core import clock
from weimin.core.db import insert_rows, refresh_statistics
from weimin.core.errors import DomainError
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, Window
from weimin.shifts import actions as shift_actions
from weimin.shifts.models import Duty
from weimin.tickets import actions, queue, rules
from weimin.tickets.choices import Priority, TicketSource
from weimin.tickets.models import Ticket, TicketCounter, TicketEvent, issued_event, new_ticket, secret_hash

log = logging.getLogger(__name__)

# Share of a window group's capacity that arrives: queues build at peaks but stay finite.
LOAD = 0.9
PRIORITY_SHARE = 0.08
SIMULATED_PRIORITIES = [Priority.ELDERLY, Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT]


def serving_windows(hall: Hall) -> list[Window]:
    return [w for w in hall.windows.filter(active=True).prefetch_related("items__category") if w.items.exists()]


def is_simulated_clerk(user, hall: Hall) -> bool:
    """One of the hall's seeded clerks (``<hall>-NN``), never a demo account people log in with."""
    return re.fullmatch(rf"{re.escape(hall.code)}-\d+", user.get_username()) is not None


def simulated_staff(hall: Hall) -> list:
    """The hall's seeded clerks, in order."""
    users = get_user_model().objects.filter(username__startswith=f"{hall.code}-").order_by("username")
    return [user for user in users if is_simulated_clerk(user, hall)]


def yield_window(sender, *, window: Window, holder: Duty, user, now: datetime, **kwargs) -> None:
    """``shifts.signals.window_wanted``: a simulated clerk gives the window to a person who signs in at
    it — it finishes the ticket at the window and signs out (handing over anything else it holds)."""
    if not is_simulated_clerk(holder.user, window.hall) or is_simulated_clerk(user, window.hall):
        return  # a person's window, or another simulated clerk asking
    finish_and_sign_out(holder, now)


def finish_and_sign_out(duty: Duty, now: datetime) -> None:
    """A simulated clerk leaves its window: it completes the ticket there, then signs out (handing over
    anything else it holds)."""
    current = queue.ticket_at_window(duty.window)
    if current is not None:
        actions.complete(duty.user, current, now)
    shift_actions.sign_out(duty.user, duty.window, now)


def yields(sender, *, duty: Duty, **kwargs) -> bool:
    """``shifts.signals.holder_yields``: the console says a simulated clerk's window is to be had."""
    return is_simulated_clerk(duty.user, duty.window.hall)


def arrival_factor(local: datetime) -> float:
    """Busier late mornings and, since the extension, the after-work hour (18:00–19:00)."""
    hour = local.hour + local.minute / 60
    if 18 <= hour < 19:
        return 1.3
    if 9.5 <= hour < 11.5 or 14.5 <= hour < 16.5:
        return 1.1
    return 0.8


@transaction.atomic
def prepare_day(now: datetime, seed: int = 20171208) -> int:
    """Build today's queue history up to ``now`` for every hall that has no ticket today yet."""
    rng = random.Random(seed)
    created = 0
    for hall in Hall.objects.order_by("position", "code"):
        calendar = HallCalendar(hall)
        today = calendar.hall.local_date(now)
        if Ticket.objects.filter(hall=hall, business_date=today).exists():
            continue
        day = calendar.day(today)
        windows = serving_windows(hall)
        staff = simulated_staff(hall)
        if not day.open or not windows or not staff:
            continue
        clerks = dict(zip((w.pk for w in windows), staff, strict=False))
        started = day.sessions[0].start
        for window in windows:
            if window.pk in clerks and Duty.objects.holder_of(window) is None:
                # Signed in since the session opened; seen now, so idle sign-out leaves the clerk alone.
                shift_actions.touch(shift_actions.sign_in(clerks[window.pk], window, started), now)
        created += _simulate_hall_day(hall, today, day.sessions, windows, clerks, now, rng)
    if created:
        refresh_statistics(Ticket, TicketEvent, TicketCounter, Duty)
    return created


def window_groups(windows, staffed) -> list[list[Window]]:
    """The staffed windows grouped by the items they serve: each group is one queue with several servers."""
    groups: dict[frozenset, list[Window]] = defaultdict(list)
    for window in windows:
        if window.pk in staffed:
            groups[frozenset(i.pk for i in window.items.all())].append(window)
    return list(groups.values())


@dataclass(frozen=True)
class Step:
    """One change of a ticket after it was issued, as its ``TicketEvent`` records it."""

    kind: rules.Event
    at: datetime
    window: Window | None = None
    actor: object = None
    detail: dict = field(default_factory=dict)


def save_tickets(hall: Hall, business_date, tickets: list[tuple[Ticket, list[Step]]]) -> None:
    """Bulk-save a hall's day of tickets — built by ``new_ticket``, their state after their steps already
    set — with their ``issued`` event and steps, and the day's number counters. Events are inserted in
    time order, so event ids follow the clock as they do when events happen live."""
    insert_rows([ticket for ticket, _steps in tickets], ids=True)
    events, counters = [], {}
    for ticket, steps in tickets:
        events.append(issued_event(ticket))
        events.extend(
            TicketEvent(ticket_id=ticket.pk, hall_id=hall.pk, business_date=business_date, kind=step.kind, at=step.at,
                        window_id=step.window and step.window.pk, actor_id=step.actor and step.actor.pk,
                        detail=step.detail)
            for step in steps
        )  # ids, not rows: thousands of events a day  # fmt: skip
        counters[ticket.prefix] = max(counters.get(ticket.prefix, 0), ticket.sequence)
    insert_rows(sorted(events, key=lambda e: e.at))
    TicketCounter.objects.bulk_create(
        [TicketCounter(hall=hall, business_date=business_date, prefix=p, last=n) for p, n in counters.items()],
        update_conflicts=True,
        unique_fields=["hall", "business_date", "prefix"],
        update_fields=["last"],
    )


def _simulate_hall_day(hall, today, sessions, windows, clerks, now, rng) -> int:
    tickets, counters = [], defaultdict(int)
    for members in window_groups(windows, clerks):
        items = list(members[0].items.all())
        mean_minutes = sum(i.handling_minutes for i in items) / len(items)
        per_minute = LOAD * len(members) / mean_minutes
        free_at = {w.pk: sessions[0].start for w in members}
        for session in sessions:
            t = session.start
            end = min(session.last_ticket, now)
            while True:
                t += timedelta(minutes=rng.expovariate(per_minute * arrival_factor(t)))
                if t >= end:
                    break
                item = rng.choice(items)
                window = min(members, key=lambda w: free_at[w.pk])
                start = max(t, free_at[window.pk]) + timedelta(seconds=rng.randint(20, 90))
                service = timedelta(minutes=item.handling_minutes * rng.uniform(0.5, 1.3))
                free_at[window.pk] = start + service
                counters[item.category.ticket_prefix] += 1
                sequence = counters[item.category.ticket_prefix]
                tickets.append((t, item, sequence, window, start, service))
    tickets.sort(key=lambda row: row[0])
    rows = []
    for issued, item, sequence, window, start, service in tickets:
        status, at_window, history = _state_at(now, start, service)
        ticket = new_ticket(
            hall,
            today,
            item,
            sequence,
            issued,
            token_hash=secret_hash(f"sim-{hall.pk}-{item.category.ticket_prefix}{sequence}-{issued}"),
            priority=rng.choice(SIMULATED_PRIORITIES) if rng.random() < PRIORITY_SHARE else "",
            source=TicketSource.SIMULATION,
        )
        # Its state at ``now``, which the events after ``issued`` record.
        ticket.status = status
        ticket.window = window if at_window else None
        if status != rules.Status.WAITING:
            ticket.called_by, ticket.called_at = clerks[window.pk], start
        rows.append((ticket, [Step(kind, at, window, clerks[window.pk]) for kind, at in history]))
    save_tickets(hall, today, rows)
    return len(rows)


def _state_at(now, start, service):
    """Status at ``now`` of a ticket issued, called at ``start`` and served for ``service``, with the
    events at its window after it was issued."""
    history = []
    if start >= now:
        return rules.Status.WAITING, False, history
    history.append((rules.Event.CALLED, start))
    arrived = start + timedelta(minutes=1)
    if arrived >= now:
        return rules.Status.CALLED, True, history
    history.append((rules.Event.SERVING, arrived))
    done = start + service
    if done >= now:
        return rules.Status.SERVING, True, history
    history.append((rules.Event.COMPLETED, done))
    return rules.Status.COMPLETED, False, history


class LiveSimulation(threading.Thread):
    """Keeps the demo halls moving in real time on the demo clock. Stops with the process."""

    def __init__(self, tick_seconds: float = 3.0, seed: int = 8):
        super().__init__(name="weimin-demo-simulation", daemon=True)
        self.tick = tick_seconds
        self.rng = random.Random(seed)
        self.service_until: dict[int, datetime] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.tick):
            close_old_connections()
            try:
                self.step(clock.now())
            except Exception:  # the demo must keep running; the log tells what went wrong
                log.exception("demo simulation step failed")

    def step(self, now: datetime) -> None:
        for hall in Hall.objects.all():
            self._arrivals(hall, now)
            open_now = HallCalendar(hall).status_at(now).open_now
            for window in serving_windows(hall):
                self._clerk(hall, window, now, open_now)
        actions.mark_missed_appointments(now)
        campaign_actions.escalate_overdue(now)  # the campaign's cron job, while the demo runs

    def _arrivals(self, hall: Hall, now: datetime) -> None:
        windows = serving_windows(hall)
        if not windows:
            return
        per_second = LOAD * len(windows) / (20 * 60) * arrival_factor(now.astimezone(hall.tz))
        arrivals = sum(1 for _ in range(3) if self.rng.random() < per_second * self.tick / 3)
        for _ in range(arrivals):
            item = self.rng.choice(list(self.rng.choice(windows).items.all()))
            priority = self.rng.choice(SIMULATED_PRIORITIES[1:]) if self.rng.random() < PRIORITY_SHARE else ""
            try:
                actions.issue_ticket(hall, item, now, priority=priority, source=TicketSource.SIMULATION)
            except DomainError:
                return  # closed or past the cut-off: nobody more today

    def _clerk(self, hall: Hall, window: Window, now: datetime, open_now: bool) -> None:
        duty = Duty.objects.holder_of(window)
        if duty is None:
            if not open_now:
                return  # clerks sign in while the hall is open; those on duty serve the queue after closing
            staff = [u for u in simulated_staff(hall) if not Duty.objects.held_by(u).exists()]
            if not staff:
                return
            try:
                duty = shift_actions.sign_in(staff[0], window, now)
            except DomainError:
                return  # a person took the window meanwhile
        if not is_simulated_clerk(duty.user, hall):
            return  # a person holds this window
        shift_actions.touch(duty, now)  # the clerk is there: idle sign-out (expire-duties) leaves it alone
        current = queue.ticket_at_window(window)
        try:
            if current is None:
                called = actions.call_next(duty.user, window, now)
                if called is not None:
                    minutes = called.item.handling_minutes * self.rng.uniform(0.5, 1.3)
                    self.service_until[called.pk] = now + timedelta(minutes=minutes)
            elif current.status == rules.Status.CALLED and now - current.called_at > timedelta(seconds=25):
                if self.rng.random() < 0.05:
                    actions.mark_no_show(duty.user, current, now)
                else:
                    actions.start_serving(duty.user, current, now)
            elif current.status == rules.Status.SERVING and now >= self.service_until.setdefault(
                current.pk, now + timedelta(minutes=current.item.handling_minutes * self.rng.uniform(0.1, 0.6))
            ):
                actions.complete(duty.user, current, now)
        except DomainError:
            log.debug("demo clerk at %s: %s", window, "refused", exc_info=True)
