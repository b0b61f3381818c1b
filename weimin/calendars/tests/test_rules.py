from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.calendars.rules import (
    CalendarUnknown,
    DayKind,
    add_working_days,
    status_by_weekday,
    status_from_package,
)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        (date(2026, 10, 1), DayKind.HOLIDAY, "National Day"),
        (date(2026, 10, 3), DayKind.HOLIDAY, "National Day"),  # a Saturday inside the holiday
        (date(2026, 10, 10), DayKind.MAKEUP_WORKDAY, "National Day"),
        (date(2026, 2, 14), DayKind.MAKEUP_WORKDAY, "Spring Festival"),
        (date(2026, 2, 16), DayKind.HOLIDAY, "Spring Festival"),
        (date(2017, 12, 8), DayKind.WORKDAY, None),
        (date(2017, 12, 9), DayKind.WEEKEND, None),
        (date(2017, 9, 30), DayKind.MAKEUP_WORKDAY, "National Day"),
        (date(2018, 1, 1), DayKind.HOLIDAY, "New Year's Day"),
    ],
)
def test_status_from_package(day, kind, name):
    status = status_from_package(day)
    assert status.kind == kind
    assert status.holiday_name == name
    assert status.is_working_day == (kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY))


@pytest.mark.parametrize("day", [date(2027, 1, 4), date(2003, 6, 2), date(2030, 10, 1)])
def test_unpublished_years_are_refused_not_guessed(day):
    with pytest.raises(CalendarUnknown) as raised:
        status_from_package(day)
    assert raised.value.day == day
    assert str(day.year) in str(raised.value)


def test_status_by_weekday():
    assert status_by_weekday(date(2027, 1, 4)).kind == DayKind.WORKDAY
    assert status_by_weekday(date(2027, 1, 9)).kind == DayKind.WEEKEND


def package_working_day(day: date) -> bool:
    return status_from_package(day).is_working_day


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # across the National Day week
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # the make-up Saturday counts
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-autumn 25–27 September
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # make-up Saturday
        (date(2017, 12, 8), 20, date(2018, 1, 8)),  # 行政许可法 Art. 42's 20 days across New Year
        (date(2017, 12, 8), 0, date(2017, 12, 8)),
        (date(2017, 12, 9), 1, date(2017, 12, 11)),  # start on a Saturday: Monday is day one
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days, package_working_day) == expected


def test_add_working_days_refuses_negative_and_absurd_counts():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2020, 1, 1), -1, package_working_day)
    with pytest.raises(ValueError, match="at most"):
        add_working_days(date(2020, 1, 1), 5000, package_working_day, limit=2000)


def test_add_working_days_raises_when_it_runs_into_an_unpublished_year():
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2026, 12, 20), 30, package_working_day)


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=80),
)
def test_add_working_days_properties(start, days):
    result = add_working_days(start, days, package_working_day)
    between = [start + timedelta(n) for n in range(1, (result - start).days + 1)]
    # Exactly `days` working days after the start day, the last of them being the result.
    assert sum(package_working_day(d) for d in between) == days
    if days:
        assert package_working_day(result)
    else:
        assert result == start
    # Working days are a monotone count: one more day never lands earlier.
    assert add_working_days(start, days + 1, package_working_day) > result
