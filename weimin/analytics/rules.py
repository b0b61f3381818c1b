"""The measures (统计口径), defined once — no Django.

Every figure the analytics pages, exports and commands show is computed here from the event records,
through two steps:

1. **Facts of one record**: ``ticket_facts`` reads one ticket's events (issued, called, recalled,
   serving, completed, no-show, transferred, rejoined, cancelled, closed) and says what the visit was:
   its outcome, its wait (issue → *first* call, so a no-show who rejoined waits from the first issue),
   its service time (the *last* call → completion, so a transferred ticket counts the window that
   served it), the window and clerk of that last call, and whether it arrived in the evening (at or
   after ``evening_from``, the former 18:00 closing) or on a Saturday.
2. **Totals**: ``Totals`` adds facts up — counters and whole-minute histograms of waits and service
   times — and any two totals add up again, so a hall's days, a district's halls or a month's weeks
   give the same figures summed in any order. The rollup tables store ``Totals`` per hall, day and
   dimension; a full scan builds the same ``Totals`` from the events.

Definitions (each one named on the page that shows it, ``MEASURES``):

- **visits** (服务人次): tickets served to completion.
- **tickets by outcome**: served, no-show (ended as 过号 and did not rejoin), cancelled, left unserved
  at close (closed by 日结 while waiting or at a window), still open (a day not yet closed).
- **cases** (办件量): applications received (case opened at a window); **decisions** counted on the
  day of each decision (受理, 容缺受理, 补正, 不予受理) — a case corrected and later accepted counts both.
- **told everything at once** (一次性告知): the share of 补正 decisions that were a case's first and only
  补正; **same-day return** (当日补正回访): the share of 补正 decisions whose applicant took a fast-lane
  ticket the same day.
- **waiting time** issue → first call, **service time** last call → completion: mean in seconds;
  median and p90 by nearest rank on whole minutes (the minute a wait falls in, so "median 7" means
  half waited less than 8 minutes); **under target**: the share of first calls within
  ``wait_target_minutes`` (setting, default 15).
- **finished on time** (按时办结): cases concluded (办结) on or before their due date, among those
  concluded whose due date is known.
- **ratings** (好差评): count, mean level (1–5), bad share (levels 1–2), defaults included.
- **window utilisation**: service time ÷ time the window was held (signed in), per window or clerk.
- **evening share**: visits issued at or after ``evening_from``; **Saturday share**: visits on a
  Saturday.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from typing import NamedTuple

from weimin.tickets.rules import TRANSITIONS, Event, Status

# Whole minutes a histogram tells apart; longer waits are counted in the last bucket.
HISTOGRAM_MINUTES = 240


class Outcome(enum.StrEnum):
    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    UNSERVED_AT_CLOSE = "unserved_at_close"
    OPEN = "open"  # the day is not closed yet


# The ticket life cycle's final statuses → outcome.
_OUTCOME_OF_STATUS = {
    Status.COMPLETED: Outcome.SERVED,
    Status.NO_SHOW: Outcome.NO_SHOW,
    Status.CANCELLED: Outcome.CANCELLED,
    Status.CLOSED: Outcome.UNSERVED_AT_CLOSE,
}
# Ticket event kind (a string equals its enum member) → the status it leads to: the targets of the
# tickets' own life cycle table.
_STATUS_AFTER = {event: to for event, (_, to) in TRANSITIONS.items()}


class TicketEventRecord(NamedTuple):
    """One ticket event as the measures read it."""

    kind: str
    at: datetime
    window_id: int | None = None
    actor_id: int | None = None


class TicketFacts(NamedTuple):
    outcome: Outcome
    issued_at: datetime
    wait_seconds: float | None  # issue → first call; None if never called
    service_seconds: float | None  # last call → completion; None unless served
    window_id: int | None  # the window of the last call
    staff_id: int | None  # the clerk of the last call
    evening: bool


def ticket_facts(issued_at: datetime, events: Iterable[TicketEventRecord], evening_from: time) -> TicketFacts:
    """What one visit was, from its events in the order they happened (instants in hall-local time)."""
    status = None
    first_call = last_call = completed = None
    window_id = staff_id = None
    for event in events:
        status = _STATUS_AFTER[event.kind]
        if event.kind == Event.CALLED:
            first_call = first_call or event.at
            last_call = event.at
            window_id, staff_id = event.window_id, event.actor_id
        elif event.kind == Event.COMPLETED:
            completed = event.at
    outcome = _OUTCOME_OF_STATUS.get(status, Outcome.OPEN)
    served = outcome == Outcome.SERVED and last_call is not None
    return TicketFacts(
        outcome=outcome,
        issued_at=issued_at,
        wait_seconds=(first_call - issued_at).total_seconds() if first_call else None,
        service_seconds=(completed - last_call).total_seconds() if served else None,
        window_id=window_id,
        staff_id=staff_id,
        evening=issued_at.time() >= evening_from,
    )


def half_hour(moment: datetime | time) -> int:
    """The half-hour of the day (0–47) a hall-local instant falls in."""
    return moment.hour * 2 + moment.minute // 30


def whole_minutes(seconds: float) -> int:
    return min(max(int(seconds // 60), 0), HISTOGRAM_MINUTES)


def percentile(histogram: Mapping[int, int], share: float) -> int | None:
    """Nearest-rank percentile of a whole-minute histogram: the smallest minute m such that at least
    ``share`` of the counted values are at most m. None when nothing is counted."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    running = 0
    for minute in sorted(histogram):
        running += histogram[minute]
        if running >= rank:
            return minute
    raise AssertionError("unreachable: the ranks are within the total")


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass
class Totals:
    """Additive counters of a set of records; ``+`` adds two sets. Field names are the rollup's columns."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    unserved_at_close: int = 0
    still_open: int = 0
    waits: int = 0
    wait_seconds: float = 0
    services: int = 0
    service_seconds: float = 0
    evening_served: int = 0
    saturday_served: int = 0
    cases: int = 0
    company_cases: int = 0
    evening_cases: int = 0
    evening_company_cases: int = 0
    accepted: int = 0
    accepted_on_promise: int = 0
    corrections: int = 0
    repeat_corrections: int = 0
    same_day_returns: int = 0
    refused: int = 0
    concluded_approved: int = 0
    concluded_refused: int = 0
    concluded_with_due: int = 0
    concluded_on_time: int = 0
    ratings: int = 0
    rating_points: int = 0
    bad_ratings: int = 0
    held_seconds: float = 0
    wait_histogram: Counter = field(default_factory=Counter)
    service_histogram: Counter = field(default_factory=Counter)

    def __add__(self, other: Totals) -> Totals:
        result = Totals()
        result += self
        result += other
        return result

    def __iadd__(self, other: Totals) -> Totals:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wait_histogram.update(other.wait_histogram)
        self.service_histogram.update(other.service_histogram)
        return self

    def add_tickets(self, tickets: Iterable[TicketFacts], *, saturday: bool) -> None:
        """Adds tickets of one day (``saturday`` or not) — in one pass, as a catch-up adds millions."""
        outcomes = dict.fromkeys(Outcome, 0)
        waits = services = evening_served = served = 0
        wait_seconds = service_seconds = 0.0
        wait_histogram, service_histogram = self.wait_histogram, self.service_histogram
        for facts in tickets:
            outcomes[facts.outcome] += 1
            if facts.wait_seconds is not None:
                waits += 1
                wait_seconds += facts.wait_seconds
                wait_histogram[whole_minutes(facts.wait_seconds)] += 1
            if facts.service_seconds is not None:
                services += 1
                service_seconds += facts.service_seconds
                service_histogram[whole_minutes(facts.service_seconds)] += 1
            if facts.outcome == Outcome.SERVED:
                served += 1
                evening_served += facts.evening
        for outcome, n in outcomes.items():
            if n:
                setattr(self, _OUTCOME_FIELD[outcome], getattr(self, _OUTCOME_FIELD[outcome]) + n)
        self.issued += sum(outcomes.values())
        self.waits += waits
        self.wait_seconds += wait_seconds
        self.services += services
        self.service_seconds += service_seconds
        self.evening_served += evening_served
        self.saturday_served += served if saturday else 0

    # Figures -----------------------------------------------------------------------------------

    @property
    def visits(self) -> int:
        return self.served

    def mean_wait_minutes(self) -> float | None:
        return self.wait_seconds / self.waits / 60 if self.waits else None

    def mean_service_minutes(self) -> float | None:
        return self.service_seconds / self.services / 60 if self.services else None

    def under_target_share(self, target_minutes: int) -> float | None:
        within = sum(n for minute, n in self.wait_histogram.items() if minute < target_minutes)
        return share(within, self.waits)

    def utilisation(self) -> float | None:
        return share(self.service_seconds, self.held_seconds)

    def figures(self, wait_target_minutes: int) -> dict[str, float | int | None]:
        """Every measure of ``MEASURES`` by its key."""
        decided = self.accepted + self.accepted_on_promise + self.corrections + self.refused
        return {
            "visits": self.served,
            "issued": self.issued,
            "no_show": self.no_show,
            "cancelled": self.cancelled,
            "unserved_at_close": self.unserved_at_close,
            "still_open": self.still_open,
            "cases": self.cases,
            "decided": decided,
            "accepted": self.accepted,
            "accepted_on_promise": self.accepted_on_promise,
            "corrections": self.corrections,
            "refused": self.refused,
            "concluded_approved": self.concluded_approved,
            "concluded_refused": self.concluded_refused,
            "told_at_once_share": share(self.corrections - self.repeat_corrections, self.corrections),
            "same_day_return_share": share(self.same_day_returns, self.corrections),
            "mean_wait_minutes": self.mean_wait_minutes(),
            "median_wait_minutes": percentile(self.wait_histogram, 0.5),
            "p90_wait_minutes": percentile(self.wait_histogram, 0.9),
            "under_target_share": self.under_target_share(wait_target_minutes),
            "mean_service_minutes": self.mean_service_minutes(),
            "median_service_minutes": percentile(self.service_histogram, 0.5),
            "p90_service_minutes": percentile(self.service_histogram, 0.9),
            "on_time_share": share(self.concluded_on_time, self.concluded_with_due),
            "ratings": self.ratings,
            "mean_rating": share(self.rating_points, self.ratings),
            "bad_rating_share": share(self.bad_ratings, self.ratings),
            "utilisation": self.utilisation(),
            "evening_share": share(self.evening_served, self.served),
            "saturday_share": share(self.saturday_served, self.served),
            "company_share_evening": share(self.evening_company_cases, self.evening_cases),
            "company_share_daytime": share(
                self.company_cases - self.evening_company_cases, self.cases - self.evening_cases
            ),
        }


_HISTOGRAMS = ("wait_histogram", "service_histogram")
COUNTERS = tuple(f.name for f in fields(Totals) if f.name not in _HISTOGRAMS)
_OUTCOME_FIELD = {
    Outcome.SERVED: "served",
    Outcome.NO_SHOW: "no_show",
    Outcome.CANCELLED: "cancelled",
    Outcome.UNSERVED_AT_CLOSE: "unserved_at_close",
    Outcome.OPEN: "still_open",
}


def is_saturday(day: date) -> bool:
    return day.weekday() == 5


@dataclass(frozen=True)
class CaseDayRecord:
    """What one case did on one day, as the measures count it (built from its events)."""

    opened: bool = False
    company: bool = False
    evening: bool = False  # opened at or after evening_from
    decisions: tuple[str, ...] = ()  # cases.rules.Decision values decided that day, in order
    earlier_corrections: int = 0  # 补正 decisions of the case before that day
    fast_lane_ticket: bool = False  # a fast-lane (补正回访) ticket taken that day
    result: str | None = None  # concluded that day: approved / refused
    due: date | None = None  # its due date, when concluded and known
    concluded_on: date | None = None


def add_case_day(totals: Totals, record: CaseDayRecord) -> None:
    if record.opened:
        totals.cases += 1
        totals.company_cases += record.company
        totals.evening_cases += record.evening
        totals.evening_company_cases += record.company and record.evening
    corrections_before = record.earlier_corrections
    for decision in record.decisions:
        if decision == "accept":
            totals.accepted += 1
        elif decision == "accept_on_promise":
            totals.accepted_on_promise += 1
        elif decision == "refuse":
            totals.refused += 1
        elif decision == "correction":
            totals.corrections += 1
            totals.repeat_corrections += corrections_before > 0
            # Same-day return: the applicant came back through the fast lane the day of the first notice.
            totals.same_day_returns += record.fast_lane_ticket and corrections_before == 0
            corrections_before += 1
    if record.result == "approved":
        totals.concluded_approved += 1
    elif record.result == "refused":
        totals.concluded_refused += 1
    if record.result and record.due is not None and record.concluded_on is not None:
        totals.concluded_with_due += 1
        totals.concluded_on_time += record.concluded_on <= record.due


def add_rating(totals: Totals, level: int) -> None:
    totals.ratings += 1
    totals.rating_points += level
    totals.bad_ratings += level <= 2
