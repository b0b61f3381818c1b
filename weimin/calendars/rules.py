"""National working-day rules (no Django): statutory holidays, make-up workdays, deadlines.

A day's status is data, not a weekday rule (国务院办公厅 annual holiday notice): the State Council publishes each year's
holidays and the weekend days that become workdays (调休). The ``chinesecalendar`` package knows the
published years; for any other year we refuse to guess and raise :class:`CalendarUnknown`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


class DayKind(enum.StrEnum):
    WORKDAY = "workday"
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班日: a Saturday or Sunday worked in lieu
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # 法定节假日, including the weekend days inside a holiday period


@dataclass(frozen=True)
class DayStatus:
    day: date
    kind: DayKind
    holiday_name: str | None = None

    @property
    def is_working_day(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


class CalendarUnknown(Exception):
    """The national calendar for this date's year has not been published to weimin."""

    def __init__(self, day: date):
        self.day = day
        super().__init__(
            f"{day.isoformat()}: the holidays and make-up workdays of {day.year} are not known; "
            f"the district office must enter year {day.year} in the national calendar"
        )


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def status_by_weekday(day: date) -> DayStatus:
    """A year the office declared complete: every day not listed is an ordinary weekday or weekend."""
    return DayStatus(day, DayKind.WEEKEND if is_weekend(day) else DayKind.WORKDAY)


def status_from_package(day: date) -> DayStatus:
    """Status from the published schedules in ``chinesecalendar``; raises CalendarUnknown outside them."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise CalendarUnknown(day) from None
    if is_holiday:
        return DayStatus(day, DayKind.HOLIDAY if name else DayKind.WEEKEND, name)
    if is_weekend(day):
        return DayStatus(day, DayKind.MAKEUP_WORKDAY, name)
    return DayStatus(day, DayKind.WORKDAY)


def add_working_days(start: date, days: int, is_working_day: Callable[[date], bool], *, limit: int = 2000) -> date:
    """The ``days``-th working day after ``start``.

    民法典 Art. 201: the day the period starts is not counted; 行政许可法 Art. 82: periods in working
    days skip statutory holidays. ``days == 0`` gives ``start`` itself.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if days > limit:
        raise ValueError(f"days must be at most {limit}")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
