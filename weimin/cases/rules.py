"""Case rules (no Django): the life cycle, the decision at the window (行政许可法 Art. 32) and deadlines
with pauses."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from weimin.calendars.rules import add_working_days


class MaterialState(enum.StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    NON_COMPLIANT = "non_compliant"


class Decision(enum.StrEnum):
    ACCEPT = "accept"  # 受理
    ACCEPT_ON_PROMISE = "accept_on_promise"  # 容缺受理
    CORRECTION = "correction"  # 补正
    REFUSE = "refuse"  # 不予受理 / 不受理


class Status(enum.StrEnum):
    INTAKE = "intake"  # 收件: being checked at the window
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # 补正
    PROCESSING = "processing"  # 受理 / 容缺受理: 办理中
    CONCLUDED = "concluded"  # 办结
    READY = "ready"  # 待领取
    DELIVERED = "delivered"
    REFUSED = "refused"  # 不予受理
    WITHDRAWN = "withdrawn"  # 容缺: the promised materials did not arrive in time


class EventKind(enum.StrEnum):
    OPENED = "opened"
    DECIDED = "decided"  # detail: decision, notice, gaps
    RESUBMISSION_TICKET = "resubmission_ticket"
    SUPPLIED = "supplied"
    CONCLUDED = "concluded"  # detail: result
    READY = "ready"
    EXTENDED = "extended"
    PAUSED = "paused"
    RESUMED = "resumed"
    DELIVERED = "delivered"  # detail: method, collector
    WITHDRAWN = "withdrawn"
    HANDED_OVER = "handed_over"  # detail: to (a username, or None for the hall's pool), reason


# The status groups other apps read.
# Held by a clerk at the window: awaiting their decision, the applicant's supplements, or pick-up.
HELD_STATUSES = frozenset({Status.INTAKE, Status.AWAITING_SUPPLEMENT, Status.READY})
# Accepted (受理 or 容缺受理): the deadlines run from the day of acceptance.
ACCEPTED_STATUSES = frozenset({Status.PROCESSING, Status.CONCLUDED, Status.READY, Status.DELIVERED})
# Decided for good, so the applicant may rate the service (好差评).
RATABLE_STATUSES = frozenset({Status.CONCLUDED, Status.READY, Status.DELIVERED, Status.REFUSED})
# A decision at the window is due (行政许可法 Art. 32).
DECIDABLE_STATUSES = frozenset({Status.INTAKE, Status.AWAITING_SUPPLEMENT})

# Where each decision leads (行政许可法 Art. 32): accepted cases are processed, a correction waits for
# the supplements (one notice listing every gap), a refusal ends the case.
DECISION_LEADS_TO: Mapping[Decision, Status] = {
    Decision.ACCEPT: Status.PROCESSING,
    Decision.ACCEPT_ON_PROMISE: Status.PROCESSING,
    Decision.CORRECTION: Status.AWAITING_SUPPLEMENT,
    Decision.REFUSE: Status.REFUSED,
}
# A pause starts while the case is processed; it may be ended after the case moved on.
_PROCESSED = frozenset({Status.PROCESSING, Status.CONCLUDED, Status.READY, Status.DELIVERED, Status.WITHDRAWN})

# (event, decision) → (statuses it may follow, status it leads to; None keeps the status).
# Only the decided event has a decision; opening starts from no status.
TRANSITIONS: Mapping[tuple[EventKind, Decision | None], tuple[frozenset[Status | None], Status | None]] = {
    (EventKind.OPENED, None): (frozenset({None}), Status.INTAKE),
    **{(EventKind.DECIDED, d): (DECIDABLE_STATUSES, to) for d, to in DECISION_LEADS_TO.items()},
    (EventKind.RESUBMISSION_TICKET, None): (frozenset({Status.AWAITING_SUPPLEMENT}), None),
    (EventKind.SUPPLIED, None): (frozenset({Status.PROCESSING}), None),
    (EventKind.CONCLUDED, None): (frozenset({Status.PROCESSING}), Status.CONCLUDED),
    (EventKind.READY, None): (frozenset({Status.CONCLUDED}), Status.READY),
    (EventKind.EXTENDED, None): (frozenset({Status.PROCESSING}), None),  # 行政许可法 Art. 42
    (EventKind.PAUSED, None): (frozenset({Status.PROCESSING}), None),  # 行政许可法 Art. 45
    (EventKind.RESUMED, None): (_PROCESSED, None),
    (EventKind.DELIVERED, None): (frozenset({Status.READY}), Status.DELIVERED),
    (EventKind.WITHDRAWN, None): (frozenset({Status.PROCESSING}), Status.WITHDRAWN),
    (EventKind.HANDED_OVER, None): (HELD_STATUSES, None),
}


class IllegalTransition(ValueError):
    def __init__(self, status: Status | None, kind: EventKind, decision: Decision | None = None):
        self.status, self.kind, self.decision = status, kind, decision
        event = f"{kind}:{decision}" if decision else str(kind)
        super().__init__(f"a case that is {status or 'not yet opened'} cannot be {event.replace('_', '-')}")


def may_follow(status: Status | None, kind: EventKind) -> bool:
    """Whether ``kind`` may happen to a case in ``status`` (for the decided event: some decision may)."""
    return any(k == kind and status in allowed for (k, _decision), (allowed, _to) in TRANSITIONS.items())


def after(status: Status | None, kind: EventKind, decision: Decision | None = None) -> Status:
    """The status a case has after ``kind`` (with its ``decision`` when decided); raises IllegalTransition.

    The decided event needs its decision and no other event has one: asking otherwise is a ValueError."""
    try:
        allowed_from, to = TRANSITIONS[(EventKind(kind), Decision(decision) if decision else None)]
    except KeyError:
        raise ValueError(f"{kind} with decision {decision!r} is not an event of the life cycle") from None
    if status not in allowed_from:
        raise IllegalTransition(status, kind, decision)
    return status if to is None else to


def replay(events: Iterable[tuple[EventKind, Decision | None]]) -> Status | None:
    """The status a sequence of (event, decision) leads to; raises IllegalTransition at the first illegal one."""
    status: Status | None = None
    for kind, decision in events:
        status = after(status, kind, decision)
    return status


def event_code(kind: EventKind, detail: Mapping) -> str:
    """The short code the API's case history shows for an event: ``decided:accept``, ``status:concluded``,
    ``delivered:window``, or the kind itself."""
    if kind == EventKind.DECIDED:
        return f"decided:{detail.get('decision', '')}"
    if kind in (EventKind.CONCLUDED, EventKind.READY):
        return f"status:{kind}"
    if kind == EventKind.DELIVERED:
        return f"delivered:{detail.get('method', '')}"
    return str(kind)


@dataclass(frozen=True)
class CheckedMaterial:
    material_id: int
    required: bool
    tolerance_eligible: bool
    state: MaterialState


class DecisionNotAllowed(ValueError):
    """``code`` says why: gaps, nothing_missing, not_eligible, no_promise, nothing_to_correct."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def is_gap(required: bool, state: MaterialState) -> bool:
    """What a notice must list: a required material missing, or any material non-compliant."""
    return state == MaterialState.NON_COMPLIANT or (required and state == MaterialState.MISSING)


def allowed_decision(checked: Iterable[CheckedMaterial], wanted: Decision, *, promise_signed: bool) -> Decision:
    """Check the clerk's decision against the checklist (行政许可法 Art. 32; 优化营商环境条例 Art. 36).

    受理 needs every required material present and none non-compliant; 容缺受理 allows only
    容缺-eligible required materials missing, with a signed promise; 补正 needs something to correct;
    不予受理 is always possible.
    """
    checked = list(checked)
    problems = [m for m in checked if is_gap(m.required, m.state)]
    if wanted == Decision.REFUSE:
        return wanted
    if wanted == Decision.ACCEPT:
        if problems:
            raise DecisionNotAllowed("gaps")
        return wanted
    if wanted == Decision.ACCEPT_ON_PROMISE:
        if not problems:
            raise DecisionNotAllowed("nothing_missing")
        if any(m.state == MaterialState.NON_COMPLIANT or not m.tolerance_eligible for m in problems):
            raise DecisionNotAllowed("not_eligible")
        if not promise_signed:
            raise DecisionNotAllowed("no_promise")
        return wanted
    if not problems:
        raise DecisionNotAllowed("nothing_to_correct")
    return wanted


def due_date(
    start: date, working_days: int, is_working_day: Callable[[date], bool], paused: Iterable[tuple[date, date]] = ()
) -> date:
    """The ``working_days``-th working day after ``start``, days inside pauses (inclusive) not counted
    (行政许可法 Art. 45: hearings, testing, appraisal and expert review do not count). For a pause
    still running, pass today as its end: the date moves on each day it lasts."""
    pauses = list(paused)

    def counts(day: date) -> bool:
        return is_working_day(day) and not any(a <= day <= b for a, b in pauses)

    return add_working_days(start, working_days, counts)
