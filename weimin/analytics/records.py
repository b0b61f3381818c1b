"""Reading a hall's business day from the records into ``rules.Totals`` per dimension.

The one computation behind the rollups (``actions.refresh`` stores its result), the live "today so
far" (``queries``, not stored) and the full scan the benchmark and the tests compare them with. It
reads the owners' records through their queries: ticket events (``tickets.queue.day_records``), case
events (``cases.queries``), ratings and duties.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings

from weimin.analytics import rules
from weimin.analytics.choices import Dimension
from weimin.cases import queries as case_queries
from weimin.cases.rules import EventKind
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall
from weimin.ratings import queries as rating_queries
from weimin.shifts import queries as shift_queries
from weimin.tickets import queue

SLOTS = 48  # half-hours in a day

DayTotals = dict[tuple[str, int], rules.Totals]


def evening_from() -> time:
    hours, minutes = settings.WEIMIN_ANALYTICS_EVENING_FROM.split(":")
    return time(int(hours), int(minutes))


def item_slot_key(item_id: int, slot: int) -> int:
    return item_id * SLOTS + slot


def day_bounds(hall: Hall, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), hall.tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), hall.tz)


def day_totals(hall: Hall, day: date, now: datetime) -> DayTotals:
    """The day's totals by (dimension, key); a duty still running counts as held until ``now``."""
    totals: DayTotals = defaultdict(rules.Totals)
    evening = evening_from()
    _add_tickets(totals, hall, day, evening)
    start, end = day_bounds(hall, day)
    _add_cases(totals, hall, start, end, evening)
    for level, window_id, clerk_id, item_id, at in rating_queries.rated_between(hall.pk, start, end):
        slot = rules.half_hour(at.astimezone(hall.tz))
        for key in _keys(item_id, window_id, clerk_id, slot):
            rules.add_rating(totals[key], level)
    for window_id, user_id, started_at, ended_at in shift_queries.duties_between(hall.pk, start, end):
        until = min(ended_at or now, end)
        held = max((until - started_at).total_seconds(), 0)
        for key in ((Dimension.HALL, 0), (Dimension.WINDOW, window_id), (Dimension.STAFF, user_id)):
            totals[key].held_seconds += held
        for slot, seconds in seconds_by_half_hour(start, started_at, until):
            totals[Dimension.SLOT, slot].held_seconds += seconds
    return dict(totals)


def seconds_by_half_hour(day_start: datetime, started_at: datetime, until: datetime):
    """(half-hour, seconds) of [started_at, until) in each half-hour of the day: a window held (open
    window-hours per slot), an opening session (open hours, ``analytics.demand``)."""
    first = max(int((started_at - day_start).total_seconds() // 1800), 0)
    last = min(int((until - day_start).total_seconds() // 1800), SLOTS - 1)
    for slot in range(first, last + 1):  # only the half-hours the span touches
        slot_start = day_start + timedelta(minutes=30 * slot)
        overlap = (min(until, slot_start + timedelta(minutes=30)) - max(started_at, slot_start)).total_seconds()
        if overlap > 0:
            yield slot, overlap


def _keys(item_id, window_id, staff_id, slot):
    """The rollup rows one record counts in."""
    yield Dimension.HALL, 0
    yield Dimension.SLOT, slot
    if item_id is not None:
        yield Dimension.ITEM, item_id
        yield Dimension.ITEM_SLOT, item_slot_key(item_id, slot)
    if window_id is not None:
        yield Dimension.WINDOW, window_id
    if staff_id is not None:
        yield Dimension.STAFF, staff_id


def _add_tickets(totals: DayTotals, hall: Hall, day: date, evening: time) -> None:
    tickets, events = queue.day_records(hall.pk, day)
    by_ticket = defaultdict(list)
    for ticket_id, kind, at, window_id, actor_id in events:
        by_ticket[ticket_id].append(rules.TicketEventRecord(kind, at.astimezone(hall.tz), window_id, actor_id))
    saturday = rules.is_saturday(day)
    for ticket_id, item_id, issued_at in tickets:
        local = issued_at.astimezone(hall.tz)
        facts = rules.ticket_facts(local, by_ticket.get(ticket_id, ()), evening)
        for key in _keys(item_id, facts.window_id, facts.staff_id, rules.half_hour(local)):
            totals[key].add_ticket(facts, saturday=saturday)


def _add_cases(totals: DayTotals, hall: Hall, start: datetime, end: datetime, evening: time) -> None:
    by_case = defaultdict(list)
    for event in case_queries.events_between(hall.pk, start, end):
        by_case[event.case_id].append(event)
    earlier = case_queries.corrections_before(list(by_case), start)
    concluded_cases = case_queries.concluded_with_pauses(
        [case_id for case_id, events in by_case.items() if any(e.kind == EventKind.CONCLUDED for e in events)]
    )
    calendar, promised = HallCalendar(hall), {}
    for case_id, case_events in by_case.items():
        first = case_events[0]
        opened = next((e for e in case_events if e.kind == EventKind.OPENED), None)
        decided = [e for e in case_events if e.kind == EventKind.DECIDED]
        concluded = next((e for e in case_events if e.kind == EventKind.CONCLUDED), None)
        concluded_on = concluded.at.astimezone(hall.tz).date() if concluded else None
        due = None
        if concluded is not None:
            case = concluded_cases[case_id]
            # Cases of one item accepted, paused and concluded on the same days share their due date.
            pauses = tuple((p.started_on, p.ended_on) for p in case.pauses.all())
            key = (case.accepted_on, case.item_id, pauses, concluded_on)
            if key not in promised:
                promised[key] = case_queries.due_dates(case, concluded_on, calendar).promised
            due = promised[key]
        anchor = decided[0] if decided else first  # the window and clerk the day's work is counted for
        record = rules.CaseDayRecord(
            opened=opened is not None,
            company=first.applicant_kind == "company",
            evening=opened is not None and opened.at.astimezone(hall.tz).time() >= evening,
            decisions=tuple(e.detail["decision"] for e in decided if (e.detail or {}).get("decision")),
            earlier_corrections=earlier.get(case_id, 0),
            fast_lane_ticket=any(e.kind == EventKind.RESUBMISSION_TICKET for e in case_events),
            result=(concluded.detail or {}).get("result") if concluded else None,
            due=due,
            concluded_on=concluded_on,
        )
        slot = rules.half_hour((opened or anchor).at.astimezone(hall.tz))
        for key in _keys(first.item_id, anchor.window_id, anchor.actor_id, slot):
            rules.add_case_day(totals[key], record)
