from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weimin.calendars.choices import CalendarDayKind
from weimin.calendars.models import CalendarDay, CalendarYear
from weimin.calendars.national import NationalCalendar
from weimin.calendars.rules import CalendarUnknown, DayKind

pytestmark = pytest.mark.django_db


def test_package_years_without_office_entries():
    calendar = NationalCalendar()
    assert calendar.status(date(2026, 10, 1)).kind == DayKind.HOLIDAY
    assert calendar.is_working_day(date(2026, 2, 14))
    with pytest.raises(CalendarUnknown, match="2027"):
        calendar.status(date(2027, 3, 1))


def test_office_enters_a_year_the_package_does_not_know():
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=date(2027, 2, 20), kind=CalendarDayKind.MAKEUP_WORKDAY, name="春节")
    calendar = NationalCalendar()
    assert calendar.status(date(2027, 1, 1)).kind == DayKind.HOLIDAY
    assert calendar.status(date(2027, 1, 1)).holiday_name == "元旦"
    assert calendar.status(date(2027, 2, 20)).kind == DayKind.MAKEUP_WORKDAY
    assert calendar.status(date(2027, 3, 1)).kind == DayKind.WORKDAY
    assert calendar.status(date(2027, 3, 6)).kind == DayKind.WEEKEND
    with pytest.raises(CalendarUnknown):
        calendar.status(date(2028, 1, 3))


def test_a_single_entered_day_is_decided_but_its_year_is_not():
    CalendarDay.objects.create(date=date(2027, 10, 1), kind=CalendarDayKind.HOLIDAY, name="国庆节")
    calendar = NationalCalendar()
    assert calendar.status(date(2027, 10, 1)).kind == DayKind.HOLIDAY
    with pytest.raises(CalendarUnknown):
        calendar.status(date(2027, 10, 8))


def test_office_entry_overrides_the_package():
    CalendarDay.objects.create(date=date(2026, 12, 31), kind=CalendarDayKind.HOLIDAY, name="临时调整")
    assert NationalCalendar().status(date(2026, 12, 31)).kind == DayKind.HOLIDAY


def test_make_up_workday_must_be_a_weekend_day():
    with pytest.raises(ValidationError) as raised:
        CalendarDay(date=date(2027, 2, 22), kind=CalendarDayKind.MAKEUP_WORKDAY, name="x").full_clean()
    assert "kind" in raised.value.message_dict
