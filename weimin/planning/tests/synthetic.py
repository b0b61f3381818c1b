"""A seeded synthetic hall history for the forecast's tests and benchmark (no Django, no database).

The same features as the demo's history (``weimin.demo.history``): weekday demand (Monday busiest), the
half-hour profile with its lunch closure, Friday afternoons quieter, groups that come more in the evening,
the national calendar (``chinesecalendar``: holidays closed, make-up workdays open on Monday's hours
and demand), the surge on the first two open days after a closure of three days or more, and from the
extension date the evening session to 19:30, Saturday mornings and a weekly rise; each day's demand
varies log-normally and each half-hour's arrivals are Poisson. ``intensity`` holds the Poisson means
without the day's variation: the best any forecast could know (the benchmark's noise floor).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from weimin.calendars.rules import DayKind, status_from_package
from weimin.planning.forecast import DayInfo, describe_days


def slot(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 2 + int(minutes) // 30


def slots(start: str, end: str) -> range:
    return range(slot(start), slot(end))


# Half-hours open for tickets on a working day and on a Saturday: before the extension and from it.
BEFORE = ((*slots("09:00", "12:00"), *slots("14:00", "18:00")), ())
EXTENDED = ((*slots("09:00", "12:00"), *slots("14:00", "19:30")), tuple(slots("09:00", "13:00")))
DAY_SHAPE = {
    "09:00": 0.75, "09:30": 1.05, "10:00": 1.3, "10:30": 1.35, "11:00": 1.15, "11:30": 0.7,
    "12:00": 0.6, "12:30": 0.5,
    "14:00": 0.7, "14:30": 1.0, "15:00": 1.15, "15:30": 1.1, "16:00": 1.0, "16:30": 0.9, "17:00": 0.75,
    "17:30": 0.6, "18:00": 1.3, "18:30": 1.2, "19:00": 0.6,
}  # fmt: skip


@dataclass(frozen=True)
class SyntheticHall:
    """A hall's demand; rates are arrivals per half-hour at profile 1 on an ordinary weekday (factor 1)."""

    rates: dict[str, float] = field(default_factory=lambda: {"business": 6.0, "household": 4.0, "tax": 3.0})
    evening: dict[str, float] = field(default_factory=lambda: {"business": 1.5, "household": 0.65, "tax": 1.35})
    weekday_demand: tuple[float, ...] = (1.22, 1.05, 1.0, 0.97, 0.92, 0.55, 0.0)
    day_shape: dict[int, float] = field(default_factory=lambda: {slot(k): v for k, v in DAY_SHAPE.items()})
    friday_afternoon: float = 0.8
    surge: tuple[float, ...] = (1.55, 1.25)
    closure_days: int = 3
    extension: date = date(2017, 10, 23)
    hours_before: tuple[tuple[int, ...], tuple[int, ...]] = BEFORE
    hours_extended: tuple[tuple[int, ...], tuple[int, ...]] = EXTENDED
    weekly_growth: float = 0.015
    day_noise: float = 0.07


@dataclass
class History:
    arrivals: dict[tuple[date, int, str], int]
    days: list[DayInfo]
    intensity: dict[tuple[date, int, str], float]  # the Poisson means without the day's variation


def opening(day: date, kind: DayKind, hall: SyntheticHall) -> tuple[int, ...]:
    working, saturday = hall.hours_extended if day >= hall.extension else hall.hours_before
    if kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY):
        return working
    return saturday if kind == DayKind.WEEKEND and day.weekday() == 5 else ()


def generate(first: date, last: date, hall: SyntheticHall | None = None, seed: int = 1) -> History:
    """Arrivals from ``first`` to ``last``; the day info runs two weeks past ``last`` (closures after it)."""
    hall = hall or SyntheticHall()
    rng = random.Random(seed)
    kinds, day = {}, first
    while day <= last + timedelta(days=14):
        kinds[day] = status_from_package(day).kind
        day += timedelta(days=1)
    openings = {d: opening(d, k, hall) for d, k in kinds.items()}
    days = describe_days(
        openings,
        [d for d, k in kinds.items() if k == DayKind.MAKEUP_WORKDAY],
        closure_days=hall.closure_days,
        surge_days=len(hall.surge),
    )
    arrivals, intensity = {}, {}
    for info in days:
        if info.date > last or not info.open:
            continue
        weekday = 0 if info.makeup_workday else info.date.weekday()
        factor = hall.weekday_demand[weekday]
        if info.date >= hall.extension:
            factor *= 1 + hall.weekly_growth * (info.date - hall.extension).days / 7
        if info.after_closure:
            factor *= hall.surge[info.after_closure - 1]
        noise = math.exp(rng.gauss(0, hall.day_noise))
        for s in sorted(info.open_slots):
            shape = hall.day_shape.get(s, 0.6)
            if weekday == 4 and s >= slot("12:00"):
                shape *= hall.friday_afternoon
            for group, rate in hall.rates.items():
                mean = rate * factor * shape * (hall.evening.get(group, 1.0) if s >= slot("18:00") else 1.0)
                intensity[info.date, s, group] = mean
                count = poisson(rng, mean * noise)
                if count:
                    arrivals[info.date, s, group] = count
    return History(arrivals, [d for d in days if d.date >= first], intensity)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: counting exponential gaps (means here are small)."""
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count
