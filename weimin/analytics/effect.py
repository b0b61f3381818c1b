"""The extended-service effect (延时服务效果): how the measures changed from the weeks before a start date
to the weeks after, with a confidence interval from the week-to-week variation — no Django.

- **Weeks** run Monday to Sunday. "Before" is the N weeks ending the day before the start (a Monday),
  "after" the N weeks from it; a week counts only when it lies wholly between the first day with
  records and the last closed day (``periods``), so a week not over yet, or one before the records
  begin, never reads as a week with nobody in it.
- **Counts** (visits, cases, evening visits) are compared as their mean per week, so a shorter "after"
  (weeks not over yet) compares fairly. **Ratios** (mean wait, the shares) are the figure of the
  period's summed numerators and denominators — ``rules.Totals.figures`` of the weeks added up — never
  a mean of weekly ratios.
- **Interval**: a percentile bootstrap over weeks. Each of ``RESAMPLES`` rounds draws as many weeks as
  each period has, with replacement, within that period, adds them up and takes the change (after −
  before) of every measure; the interval is the middle ``CONFIDENCE`` of those changes (seeded, so the
  same weeks always give the same interval). It is widened to include the change itself when the
  resamples' percentiles fall short of it (a few very uneven weeks), which only makes a change harder
  to call. With fewer than ``MIN_WEEKS`` weeks on a side there is no interval: the change is not judged.
- **Verdict**: a rise or a fall when the interval excludes 0; within normal variation when it includes 0.
"""

from __future__ import annotations

import enum
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from weimin.analytics.rules import COUNTERS, Totals

RESAMPLES = 2000
CONFIDENCE = 0.95
SEED = 20171023
MIN_WEEKS = 3  # per side: fewer weeks say too little about their variation
MIN_DEFINED = 0.9  # share of resamples in which a ratio must be defined (e.g. some evening cases drawn)
MAX_WEEKS = 52
EPSILON = 1e-9  # sums of fractions differ in the last bits: that is no change


class Unit(enum.StrEnum):
    PER_WEEK = "per_week"  # a count's mean per week
    MINUTES = "minutes"
    SHARE = "share"  # a fraction 0–1; its change is in fractions too (0.05 = 5 percentage points)


class Verdict(enum.StrEnum):
    RISE = "rise"  # the interval lies above 0
    FALL = "fall"  # the interval lies below 0
    WITHIN = "within"  # the interval includes 0: within normal variation
    NOT_JUDGED = "not_judged"  # no interval: too few weeks, or the figure is undefined on a side


# The measures compared, in the order the report shows them: counts by their Totals field, ratios by
# their key in ``Totals.figures``.
COUNTS = {"visits": "served", "cases": "cases", "evening_visits": "evening_served"}
RATIOS = (
    "mean_wait_minutes",
    "under_target_share",
    "evening_share",
    "saturday_share",
    "company_share_evening",
    "company_share_daytime",
)
UNITS = (
    {key: Unit.PER_WEEK for key in COUNTS} | {key: Unit.SHARE for key in RATIOS} | {"mean_wait_minutes": Unit.MINUTES}
)
KEYS = (*COUNTS, *RATIOS)


@dataclass(frozen=True)
class Change:
    key: str
    unit: Unit
    before: float | None
    after: float | None
    absolute: float | None  # after − before
    relative: float | None  # after ÷ before − 1
    low: float | None  # the interval of ``absolute``
    high: float | None
    verdict: Verdict

    @property
    def significant(self) -> bool:
        return self.verdict in (Verdict.RISE, Verdict.FALL)


@dataclass(frozen=True)
class Effect:
    weeks_before: int
    weeks_after: int
    changes: dict[str, Change]


@dataclass(frozen=True)
class Periods:
    before: list[date]  # the Mondays of the weeks counted
    after: list[date]
    before_too_early: int  # weeks before the first day with records: not counted
    after_not_over: int  # weeks not over by the last closed day: not counted
    closed: list[date] = field(default_factory=list)  # the Mondays of weeks without service, left out


def periods(start: date, weeks: int, first_recorded: date | None, last_closed: date) -> Periods:
    """The weeks before and after ``start`` (a Monday) that count."""
    if start.weekday() != 0:
        raise ValueError(f"start {start} is not a Monday")
    before = [start - timedelta(weeks=n) for n in range(weeks, 0, -1)]
    after = [start + timedelta(weeks=n) for n in range(weeks)]
    counted_before = [m for m in before if first_recorded is not None and m >= first_recorded]
    counted_after = [m for m in after if m + timedelta(days=6) <= last_closed]
    # A week before start counts only when it is also closed (a start in the future).
    counted_before = [m for m in counted_before if m + timedelta(days=6) <= last_closed]
    return Periods(counted_before, counted_after, weeks - len(counted_before), weeks - len(counted_after))


def compare(
    before: Sequence[Totals], after: Sequence[Totals], wait_target_minutes: int, *, resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Effect:  # fmt: skip
    """Each measure's change from the ``before`` weeks to the ``after`` weeks, with its interval."""
    target = wait_target_minutes
    before_rows = [_row(week, target) for week in before]
    after_rows = [_row(week, target) for week in after]
    point_before = _measures(_sum(before_rows), len(before_rows), target)
    point_after = _measures(_sum(after_rows), len(after_rows), target)
    draws: dict[str, list[float]] = {key: [] for key in KEYS}
    judged = min(len(before_rows), len(after_rows)) >= MIN_WEEKS
    if judged:
        rng = random.Random(seed)
        for _ in range(resamples):
            drawn_before = _measures(_sum(rng.choices(before_rows, k=len(before_rows))), len(before_rows), target)
            drawn_after = _measures(_sum(rng.choices(after_rows, k=len(after_rows))), len(after_rows), target)
            for key in KEYS:
                if drawn_before[key] is not None and drawn_after[key] is not None:
                    draws[key].append(drawn_after[key] - drawn_before[key])
    changes = {
        key: _change(key, point_before[key], point_after[key], draws[key] if judged else [], resamples) for key in KEYS
    }
    return Effect(len(before_rows), len(after_rows), changes)


def _row(week: Totals, target: int) -> tuple:
    """A week as the counters the measures read, and its waits under and not under the target."""
    under = sum(n for minute, n in week.wait_histogram.items() if minute < target)
    return (*(getattr(week, name) for name in COUNTERS), under, sum(week.wait_histogram.values()) - under)


def _sum(rows: Sequence[tuple]) -> tuple:
    return tuple(sum(column) for column in zip(*rows, strict=True)) if rows else (0,) * (len(COUNTERS) + 2)


def _measures(summed: tuple, weeks: int, target: int) -> dict[str, float | None]:
    """The measures of summed weeks: counts per week, ratios by the one definition (``Totals.figures``)."""
    *counters, under, over = summed
    # Two buckets keep the share under the target exact: minute 0 is under it, minute ``target`` is not.
    totals = Totals(**dict(zip(COUNTERS, counters, strict=True)), wait_histogram=Counter({0: under, target: over}))
    figures = totals.figures(target)
    counts = {key: getattr(totals, name) / weeks if weeks else None for key, name in COUNTS.items()}
    return counts | {key: figures[key] for key in RATIOS}


def _change(key: str, before: float | None, after: float | None, draws: list[float], resamples: int) -> Change:
    unit = UNITS[key]
    if before is None or after is None:
        return Change(key, unit, before, after, None, None, None, None, Verdict.NOT_JUDGED)
    absolute = after - before
    relative = after / before - 1 if before else None
    if len(draws) < MIN_DEFINED * resamples or not draws:
        return Change(key, unit, before, after, absolute, relative, None, None, Verdict.NOT_JUDGED)
    draws.sort()
    tail = int((1 - CONFIDENCE) / 2 * len(draws))
    low, high = min(draws[tail], absolute), max(draws[len(draws) - 1 - tail], absolute)
    verdict = Verdict.RISE if low > EPSILON else Verdict.FALL if high < -EPSILON else Verdict.WITHIN
    return Change(key, unit, before, after, absolute, relative, low, high, verdict)
