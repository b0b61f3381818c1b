"""National working-day rules (no Django): statutory holidays, make-up workdays, deadlines.

A day's status is data, not a weekday rule (国务院办公厅 annual holiday notice): the State Council publishes each year's
holidays and the weekend days that become workdays (调休). The ``chinesecalendar`` package knows the
published years; for any other year we refuse to guess and raise :class:`CalendarUnknown`.
"""

from __future__ import annotations

import enum
import functools
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


@functools.lru_cache(maxsize=8192)
def status_from_package(day: date) -> DayStatus:
    """Status from the published schedules in ``chinesecalendar``; raises CalendarUnknown outside them.
    Kept per process: the package's schedules do not change while it runs (deadlines count day by day)."""
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


def package_knows(year: int) -> bool:
    """Whether ``chinesecalendar`` has the State Council's schedule for ``year``."""
    try:
        status_from_package(date(year, 6, 1))
    except CalendarUnknown:
        return False
    return True


# --- a year's notice as the office enters it (docs/calendar.md) ---
#
# One row per holiday period or make-up workday: ``date_or_range,kind,name``, e.g.
# ``2027-02-06..2027-02-13,holiday,春节`` and ``2027-02-14,workday,春节``. A header row, blank lines and
# lines starting with ``#`` are skipped.

NOTICE_COLUMNS = ("date_or_range", "kind", "name")
NOTICE_KINDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.MAKEUP_WORKDAY,
    "班": DayKind.MAKEUP_WORKDAY,
}
RANGE_SEPARATORS = ("..", "~", "～")
MAX_PERIOD_DAYS = 15  # the longest holiday period ever announced is 9 days (春节 2026)
MAX_NAME_LENGTH = 60  # CalendarDay.name
STATUTORY_HOLIDAYS = 7  # 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆 (全国年节及纪念日放假办法)


class NoticeProblem(enum.StrEnum):
    """What can be wrong in a row; pages say it in words, with row and column."""

    COLUMNS = "columns"
    DATE = "date"
    RANGE_ORDER = "range_order"
    RANGE_LENGTH = "range_length"
    OUTSIDE_YEAR = "outside_year"
    KIND = "kind"
    WORKDAY_WEEKDAY = "workday_weekday"
    WORKDAY_RANGE = "workday_range"
    NAME = "name"
    OVERLAP = "overlap"
    EMPTY = "empty"


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the text as entered
    column: str  # one of NOTICE_COLUMNS
    problem: NoticeProblem
    other_row: int | None = None  # the row an overlapping date was first listed on


@dataclass(frozen=True)
class NoticeRow:
    row: int
    first: date
    last: date
    kind: DayKind
    name: str

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _parse_period(text: str) -> tuple[date | None, date | None]:
    for separator in RANGE_SEPARATORS:
        if separator in text:
            first, _, last = text.partition(separator)
            return _parse_day(first), _parse_day(last)
    day = _parse_day(text)
    return day, day


def parse_notice(rows: list[list[str]], year: int) -> tuple[list[NoticeRow], list[RowError]]:
    """The rows of a year's notice (already split into cells) → its periods, or every problem found.

    Dates may reach into the December before ``year``: a notice can move a New Year's holiday or a
    make-up workday there (e.g. the 2019 notice, 2018-12-29..2019-01-01). A date listed twice is an
    overlap, named with the row that listed it first.
    """
    found, errors, listed = [], [], {}
    for number, cells in enumerate(rows, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#") or (number == 1 and cells[0] == NOTICE_COLUMNS[0]):
            continue
        if len(cells) != len(NOTICE_COLUMNS):
            errors.append(RowError(number, NOTICE_COLUMNS[0], NoticeProblem.COLUMNS))
            continue
        period, kind_text, name = cells
        first, last = _parse_period(period)
        kind = NOTICE_KINDS.get(kind_text.lower())
        problems = []
        if first is None or last is None:
            problems.append(RowError(number, "date_or_range", NoticeProblem.DATE))
        elif last < first:
            problems.append(RowError(number, "date_or_range", NoticeProblem.RANGE_ORDER))
        elif (last - first).days >= MAX_PERIOD_DAYS:
            problems.append(RowError(number, "date_or_range", NoticeProblem.RANGE_LENGTH))
        elif not (date(year - 1, 12, 1) <= first and last <= date(year, 12, 31)):
            problems.append(RowError(number, "date_or_range", NoticeProblem.OUTSIDE_YEAR))
        if kind is None:
            problems.append(RowError(number, "kind", NoticeProblem.KIND))
        elif kind == DayKind.MAKEUP_WORKDAY and first and last and not problems:
            if first != last:
                problems.append(RowError(number, "date_or_range", NoticeProblem.WORKDAY_RANGE))
            elif not is_weekend(first):
                problems.append(RowError(number, "date_or_range", NoticeProblem.WORKDAY_WEEKDAY))
        if not name or len(name) > MAX_NAME_LENGTH:
            problems.append(RowError(number, "name", NoticeProblem.NAME))
        if problems:
            errors.extend(problems)
            continue
        row = NoticeRow(number, first, last, kind, name)
        earlier = next((listed[day] for day in row.days() if day in listed), None)
        if earlier is not None:
            errors.append(RowError(number, "date_or_range", NoticeProblem.OVERLAP, earlier))
            continue
        listed.update(dict.fromkeys(row.days(), number))
        found.append(row)
    if not found and not errors:
        errors.append(RowError(1, NOTICE_COLUMNS[0], NoticeProblem.EMPTY))
    return found, errors


def holiday_names(rows: list[NoticeRow]) -> list[str]:
    """The holidays a notice lists, in order of first appearance."""
    return list(dict.fromkeys(row.name for row in rows if row.kind == DayKind.HOLIDAY))
