"""Expropriation campaign rules (征拆, no Django): a household's life cycle, the tasks a contact creates and
their due times, and the progress arithmetic (signing rates, area cleared, the daily rate a deadline needs).

A household (one property with its owners) goes not contacted → in negotiation → signed → moved out →
demolished; an owner retracting a signed agreement is a breach (违约/反悔), its own status, left only by
re-negotiation. Every change is an event; replaying a household's events gives its status."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal


class Status(enum.StrEnum):
    NOT_CONTACTED = "not_contacted"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"  # 已签约
    MOVED_OUT = "moved_out"  # 已腾空
    DEMOLISHED = "demolished"  # 已拆除
    BREACHED = "breached"  # 反悔: a signed agreement retracted


class EventKind(enum.StrEnum):
    REGISTERED = "registered"  # the household entered the project (import or back office)
    CONTACTED = "contacted"  # first contact: negotiation starts
    SIGNED = "signed"  # detail: agreement number
    BREACHED = "breached"  # the owner retracts the agreement; reason required
    RENEGOTIATING = "renegotiating"  # talks resume after a breach
    MOVED_OUT = "moved_out"
    DEMOLISHED = "demolished"
    REASSIGNED = "reassigned"  # detail: cadre, leader (by username); the status stays


# event → (statuses it may follow, status it leads to; None keeps the status).
TRANSITIONS: Mapping[EventKind, tuple[frozenset[Status | None], Status | None]] = {
    EventKind.REGISTERED: (frozenset({None}), Status.NOT_CONTACTED),
    EventKind.CONTACTED: (frozenset({Status.NOT_CONTACTED}), Status.NEGOTIATING),
    EventKind.SIGNED: (frozenset({Status.NEGOTIATING}), Status.SIGNED),
    EventKind.BREACHED: (frozenset({Status.SIGNED}), Status.BREACHED),
    EventKind.RENEGOTIATING: (frozenset({Status.BREACHED}), Status.NEGOTIATING),
    EventKind.MOVED_OUT: (frozenset({Status.SIGNED}), Status.MOVED_OUT),
    EventKind.DEMOLISHED: (frozenset({Status.MOVED_OUT}), Status.DEMOLISHED),
    EventKind.REASSIGNED: (frozenset(Status), None),
}
# The status a person asks for → the event that leads there from where the household is.
STEP_TO: Mapping[Status, EventKind] = {
    Status.NEGOTIATING: EventKind.CONTACTED,
    Status.SIGNED: EventKind.SIGNED,
    Status.BREACHED: EventKind.BREACHED,
    Status.MOVED_OUT: EventKind.MOVED_OUT,
    Status.DEMOLISHED: EventKind.DEMOLISHED,
}
# Steps whose reason is required: a breach must say why the owner went back on the agreement.
REASON_REQUIRED = frozenset({EventKind.BREACHED, EventKind.RENEGOTIATING, EventKind.REASSIGNED})
# Signed and not retracted: what the signing rate counts.
SIGNED_STATUSES = frozenset({Status.SIGNED, Status.MOVED_OUT, Status.DEMOLISHED})
# The building is empty and handed over: what the area cleared counts.
CLEARED_STATUSES = frozenset({Status.MOVED_OUT, Status.DEMOLISHED})


class IllegalTransition(ValueError):
    def __init__(self, status: Status | None, kind: EventKind):
        self.status, self.kind = status, kind
        super().__init__(f"a household that is {status or 'not registered'} cannot be {kind}")


def event_for(status: Status, wanted: Status) -> EventKind:
    """The event that takes a household from ``status`` to ``wanted``: from a breach, only back to talks."""
    if status == Status.BREACHED and wanted == Status.NEGOTIATING:
        return EventKind.RENEGOTIATING
    if wanted not in STEP_TO:
        raise IllegalTransition(status, EventKind.REGISTERED)
    return STEP_TO[wanted]


def after(status: Status | None, kind: EventKind) -> Status:
    allowed, to = TRANSITIONS[EventKind(kind)]
    if status not in allowed:
        raise IllegalTransition(status, EventKind(kind))
    return status if to is None else to


def replay(events: Iterable[EventKind]) -> Status | None:
    """The status a household's events lead to; raises IllegalTransition at the first illegal one."""
    status: Status | None = None
    for kind in events:
        status = after(status, kind)
    return status


# --- Tasks a contact creates ---


class Channel(enum.StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    WECHAT = "wechat"
    WALK_IN = "walk_in"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class Outcome(enum.StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"


class Purpose(enum.StrEnum):
    NEGOTIATION = "negotiation"
    ENQUIRY = "enquiry"
    COMPLAINT = "complaint"
    OTHER = "other"


class TaskKind(enum.StrEnum):
    VISIT = "visit"  # go to the owner's door to negotiate
    CALLBACK = "callback"  # call back a missed call or an unknown caller


def task_for(direction: Direction, outcome: Outcome, purpose: Purpose) -> TaskKind | None:
    """What a contact asks of the team: a missed inbound call is called back; an owner asking to
    negotiate gets a visit ("when an owner wants to negotiate, we go to their door at once")."""
    if direction == Direction.IN and outcome == Outcome.MISSED:
        return TaskKind.CALLBACK
    if direction == Direction.IN and purpose == Purpose.NEGOTIATION:
        return TaskKind.VISIT
    return None


def callback_due(at: datetime, minutes: int) -> datetime:
    """A missed call is returned within ``minutes`` (WEIMIN_CAMPAIGN_CALLBACK_MINUTES, default 60)."""
    return at + timedelta(minutes=minutes)


def visit_due(at: datetime, days: int) -> datetime:
    """A visit asked for at ``at`` (aware, local time) is due by the end of the day ``days`` later
    (WEIMIN_CAMPAIGN_VISIT_DUE_DAYS; 0: the same day, 23:59:59 local)."""
    day = at.date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=at.tzinfo)


def dialled(phone: str) -> str:
    """A checked phone number as the owners' phones are kept and matched: digits only, a mainland mobile
    without its country code (+86 138-0013-8000 is 13800138000), so a call finds its owner however the
    number was typed or exported."""
    digits = "".join(c for c in phone if c.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix) :]
    return digits


def is_overdue(due_at: datetime, done_at: datetime | None, now: datetime) -> bool:
    return done_at is None and due_at < now


# --- Progress ---


@dataclass(frozen=True)
class Household:
    status: Status
    area: Decimal


@dataclass(frozen=True)
class Progress:
    target_area: Decimal
    cleared_area: Decimal
    signed_area: Decimal
    total_area: Decimal
    households: dict[str, int]
    signing_rate_households: float
    signing_rate_area: float
    days_left: int
    required_daily: Decimal


def rate(part, whole) -> float:
    """A share rounded to 4 places (0.8125), 0 of nothing."""
    return round(float(part) / float(whole), 4) if whole else 0.0


def days_left(today: date, deadline: date) -> int:
    """Working days are every day in a campaign: today and the deadline both count; 0 once past it."""
    return max((deadline - today).days + 1, 0)


def required_daily(remaining: Decimal, left: int) -> Decimal:
    """The area to clear each day from today to make the deadline; past it, all that remains."""
    daily = remaining / left if left else remaining
    return max(Decimal(daily), Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def progress(households: Iterable[Household], target_area: Decimal, today: date, deadline: date) -> Progress:
    """The campaign's figures: area cleared against the target, signing rates by households and by area,
    households by status (every status, zero included), and the daily rate the deadline needs."""
    counts = {status.value: 0 for status in Status}
    cleared = signed = total = Decimal(0)
    signed_count = 0
    for household in households:
        counts[household.status] += 1
        total += household.area
        if household.status in CLEARED_STATUSES:
            cleared += household.area
        if household.status in SIGNED_STATUSES:
            signed += household.area
            signed_count += 1
    left = days_left(today, deadline)
    return Progress(
        target_area=target_area,
        cleared_area=cleared,
        signed_area=signed,
        total_area=total,
        households=counts,
        signing_rate_households=rate(signed_count, sum(counts.values())),
        signing_rate_area=rate(signed, total),
        days_left=left,
        required_daily=required_daily(target_area - cleared, left),
    )


def burn_down(cleared_by_day: Mapping[date, Decimal], target: Decimal, start: date, until: date, deadline: date):
    """The area still to clear at the end of each day from ``start`` to ``until`` (actual), and the even
    line from the target at ``start`` to zero at ``deadline`` (ideal): [(day, actual or None, ideal)]."""
    span = max((deadline - start).days, 1)
    remaining = target
    rows = []
    day = start
    while day <= deadline:
        remaining -= cleared_by_day.get(day, Decimal(0))
        ideal = max(target - target * (day - start).days / span, Decimal(0))
        rows.append((day, remaining if day <= until else None, ideal.quantize(Decimal("0.01"))))
        day += timedelta(days=1)
    return rows
