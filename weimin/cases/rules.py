"""Case rules (no Django): the decision at the window (行政许可法 Art. 32) and deadlines with pauses."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
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
