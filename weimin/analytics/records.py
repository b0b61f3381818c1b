"""Reading a hall's business days from the records into ``rules.Totals`` per dimension.

The one computation behind the rollups (``actions.refresh`` stores its result), the live "today so
far" (``queries``, not stored) and the full scan the benchmark and the tests compare them with. It
reads the owners' records through their queries: ticket events (``tickets.queue.days_records``), case
events (``cases.queries``), ratings and duties — a run of consecutive days at once, so that catching up
years of history costs one query per table and run, not per day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings

from weimin.analytics import rules
from weimin.analytics.choices import Dimension
from weimin.cases import queries as case_queries
from weimin.cases.rules import Decision, EventKind
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
    return days_totals(hall, day, day, now)[day]


def days_totals(hall: Hall, first: date, last: date, now: datetime) -> dict[date, DayTotals]:
    """``day_totals`` of every day from ``first`` to ``last``, read together."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    totals: dict[date, defaultdict] = {day: defaultdict(rules.Totals) for day in days}
    evening = evening_from()
    _add_tickets(totals, hall, first, last, evening)
    start, end = day_bounds(hall, first)[0], day_bounds(hall, last)[1]
    _add_cases(totals, hall, start, end, evening)
    for level, window_id, clerk_id, item_id, at in rating_queries.rated_between(hall.pk, start, end):
        local = at.astimezone(hall.tz)
        day_rows = totals[local.date()]
        for key in _keys(item_id, window_id, clerk_id, rules.half_hour(local)):
            rules.add_rating(day_rows[key], level)
    for window_id, user_id, started_at, ended_at in shift_queries.duties_between(hall.pk, start, end):
        # A duty counts on the day it began, until that day's end (or ``now`` while it runs).
        day = hall.local_date(started_at)
        day_start, day_end = day_bounds(hall, day)
        until = min(ended_at or now, day_end)
        held = max((until - started_at).total_seconds(), 0)
        day_rows = totals[day]
        for key in ((Dimension.HALL, 0), (Dimension.WINDOW, window_id), (Dimension.STAFF, user_id)):
            day_rows[key].held_seconds += held
        for slot, seconds in seconds_by_half_hour(day_start, started_at, until):
            day_rows[Dimension.SLOT, slot].held_seconds += seconds
    return {day: dict(day_rows) for day, day_rows in totals.items()}


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


def _add_tickets(totals: dict[date, defaultdict], hall: Hall, first: date, last: date, evening: time) -> None:
    tickets, events = queue.days_records(hall.pk, first, last)
    by_ticket = defaultdict(list)
    for ticket_id, *event in events:
        # Waits and service times are differences of instants: no time zone needed for the events.
        by_ticket[ticket_id].append(rules.TicketEventRecord(*event))
    # Each row's tickets are gathered first and added in one pass (``Totals.add_tickets``).
    gathered: dict[tuple[date, str, int], list[rules.TicketFacts]] = defaultdict(list)
    for ticket_id, day, item_id, issued_at in tickets:
        local = issued_at.astimezone(hall.tz)
        facts = rules.ticket_facts(local, by_ticket.get(ticket_id, ()), evening)
        for key in _keys(item_id, facts.window_id, facts.staff_id, rules.half_hour(local)):
            gathered[day, *key].append(facts)
    for (day, *key), facts in gathered.items():
        totals[day][tuple(key)].add_tickets(facts, saturday=rules.is_saturday(day))


def _add_cases(totals: dict[date, defaultdict], hall: Hall, start: datetime, end: datetime, evening: time) -> None:
    """Each case's events of each day, in day order; a 补正 counts as a repeat when the case had one before
    that day (before ``start``, or on an earlier day of the run)."""
    by_case_day = defaultdict(list)
    for event in case_queries.events_between(hall.pk, start, end):
        by_case_day[event.at.astimezone(hall.tz).date(), event.case_id].append(event)
    case_ids = {case_id for _, case_id in by_case_day}
    corrections = defaultdict(int, case_queries.corrections_before(list(case_ids), start))
    concluded_cases = case_queries.concluded_with_pauses(
        [case_id for (_, case_id), events in by_case_day.items() if any(e.kind == EventKind.CONCLUDED for e in events)]
    )
    calendar, promised = HallCalendar(hall), {}
    for (day, case_id), case_events in sorted(by_case_day.items(), key=lambda item: item[0][0]):
        first = case_events[0]
        opened = next((e for e in case_events if e.kind == EventKind.OPENED), None)
        decided = [e for e in case_events if e.kind == EventKind.DECIDED]
        concluded = next((e for e in case_events if e.kind == EventKind.CONCLUDED), None)
        due = None
        if concluded is not None:
            case = concluded_cases[case_id]
            # Cases of one item accepted, paused and concluded on the same days share their due date.
            pauses = tuple((p.started_on, p.ended_on) for p in case.pauses.all())
            key = (case.accepted_on, case.item_id, pauses, day)
            if key not in promised:
                promised[key] = case_queries.due_dates(case, day, calendar).promised
            due = promised[key]
        decisions = tuple(e.detail["decision"] for e in decided if (e.detail or {}).get("decision"))
        anchor = decided[0] if decided else first  # the window and clerk the day's work is counted for
        record = rules.CaseDayRecord(
            opened=opened is not None,
            company=first.applicant_kind == "company",
            evening=opened is not None and opened.at.astimezone(hall.tz).time() >= evening,
            decisions=decisions,
            earlier_corrections=corrections[case_id],
            fast_lane_ticket=any(e.kind == EventKind.RESUBMISSION_TICKET for e in case_events),
            result=(concluded.detail or {}).get("result") if concluded else None,
            due=due,
            concluded_on=day if concluded else None,
        )
        corrections[case_id] += decisions.count(Decision.CORRECTION)
        slot = rules.half_hour((opened or anchor).at.astimezone(hall.tz))
        for key in _keys(first.item_id, anchor.window_id, anchor.actor_id, slot):
            rules.add_case_day(totals[day][key], record)
