from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from weimin.calendars.choices import CalendarDayKind
from weimin.calendars.models import CalendarDay, CalendarYear
from weimin.calendars.rules import CalendarUnknown
from weimin.conftest import local
from weimin.halls.choices import DayReason
from weimin.halls.hours import HallCalendar, add_working_days
from weimin.halls.models import OpeningSchedule, SpecialDay, SpecialDaySession


def hhmm(day):
    return [(f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in day.sessions]


def test_weekday_hours_before_and_after_the_extension(hall):
    calendar = HallCalendar(hall)
    before = calendar.day(date(2017, 10, 20))  # Friday
    after = calendar.day(date(2017, 10, 23))  # Monday, first day of extended service
    assert hhmm(before) == [("09:00", "12:00"), ("14:00", "18:00")]
    assert hhmm(after) == [("09:00", "12:00"), ("14:00", "19:30")]
    assert before.reason == after.reason == DayReason.WORKDAY


def test_saturdays_before_and_after_the_extension(hall):
    calendar = HallCalendar(hall)
    assert not calendar.day(date(2017, 10, 21)).open
    assert calendar.day(date(2017, 10, 21)).reason == DayReason.WEEKEND
    assert hhmm(calendar.day(date(2017, 10, 28))) == [("09:00", "13:00")]
    assert not calendar.day(date(2017, 10, 29)).open  # Sundays stay closed


def test_statutory_holiday_closes_the_hall(hall):
    day = HallCalendar(hall).day(date(2026, 10, 1))
    assert not day.open
    assert day.reason == DayReason.HOLIDAY
    assert day.note == "国庆节"


def test_make_up_workday_keeps_the_weekday_schedule(hall):
    day = HallCalendar(hall).day(date(2026, 2, 14))  # Saturday worked in lieu of the Spring Festival
    assert day.reason == DayReason.MAKEUP_WORKDAY
    assert hhmm(day) == [("09:00", "12:00"), ("14:00", "19:30")]


def test_cut_off_before_each_closing(hall):
    calendar = HallCalendar(hall)
    morning, evening = calendar.day(date(2017, 12, 8)).sessions
    assert f"{morning.last_ticket:%H:%M}" == "11:30"
    assert f"{evening.last_ticket:%H:%M}" == "19:00"
    assert calendar.accepts_tickets_at(local("2017-12-08 19:00"))
    assert not calendar.accepts_tickets_at(local("2017-12-08 19:10"))
    assert calendar.is_open(local("2017-12-08 19:10"))  # still serving those already waiting
    assert not calendar.is_open(local("2017-12-08 19:30"))


def test_cut_off_is_a_setting_and_a_hall_may_override_it(hall):
    with override_settings(WEIMIN_TICKET_CUTOFF_MINUTES=15):
        assert not HallCalendar(hall).accepts_tickets_at(local("2017-12-08 19:16"))
        assert HallCalendar(hall).accepts_tickets_at(local("2017-12-08 19:14"))
    hall.ticket_cutoff_minutes = 0
    assert HallCalendar(hall).accepts_tickets_at(local("2017-12-08 19:29"))


def test_open_at_instants_across_the_switch(hall):
    calendar = HallCalendar(hall)
    assert not calendar.is_open(local("2017-10-20 18:40"))
    assert calendar.is_open(local("2017-10-23 18:40"))
    assert not calendar.is_open(local("2017-10-23 12:30"))  # lunch break
    assert calendar.is_open(local("2017-12-08 18:30"))  # the article's Friday evening


def test_instants_are_read_in_the_hall_time_zone(hall):
    calendar = HallCalendar(hall)
    assert calendar.is_open(datetime(2017, 12, 8, 10, 40, tzinfo=UTC))  # 18:40 in Shenzhen
    assert not calendar.is_open(datetime(2017, 12, 8, 5, 0, tzinfo=UTC))  # 13:00: lunch break
    # 23:30 UTC on Friday is already Saturday 07:30 in Shenzhen: the business day is the local one.
    assert calendar.hall.local_date(datetime(2017, 12, 8, 23, 30, tzinfo=UTC)) == date(2017, 12, 9)


def test_next_opening(hall):
    calendar = HallCalendar(hall)
    assert calendar.next_opening(local("2017-10-20 18:40")).start == local("2017-10-23 09:00")  # no Saturday yet
    assert calendar.next_opening(local("2017-12-08 19:45")).start == local("2017-12-09 09:00")  # Saturday session
    assert calendar.next_opening(local("2017-12-08 12:15")).start == local("2017-12-08 14:00")
    assert calendar.next_opening(local("2026-09-30 20:00")).start == local("2026-10-08 09:00")


def test_next_opening_into_an_unpublished_year_is_provisional(hall):
    calendar = HallCalendar(hall)
    assert calendar.next_opening(local("2026-12-31 20:00")).start == local("2027-01-01 09:00")
    status = calendar.status_at(local("2026-12-31 20:00"))
    assert not status.today.provisional and status.provisional  # today is known, the next opening is not


def test_unpublished_year_keeps_the_weekly_schedule_marked_provisional(hall):
    calendar = HallCalendar(hall)
    monday, sunday = calendar.day(date(2027, 1, 4)), calendar.day(date(2027, 1, 3))
    assert monday.provisional and monday.reason == DayReason.WORKDAY and hhmm(monday)[0] == ("09:00", "12:00")
    assert sunday.provisional and not sunday.open and sunday.reason == DayReason.WEEKEND
    status = calendar.status_at(local("2027-01-04 10:00"))
    assert status.open_now and status.provisional
    with pytest.raises(CalendarUnknown):  # but a working day, which deadlines count, is never guessed
        calendar.is_working_day(date(2027, 1, 4))


def test_office_entered_year_makes_it_decidable(hall):
    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(date=date(2027, 1, 4), kind=CalendarDayKind.HOLIDAY, name="元旦")
    calendar = HallCalendar(hall)
    assert not calendar.day(date(2027, 1, 4)).open and calendar.day(date(2027, 1, 5)).open
    assert not calendar.day(date(2027, 1, 5)).provisional


def test_special_days_closure_and_special_hours(hall):
    SpecialDay.objects.create(hall=hall, date=date(2017, 12, 13), closed=True, reason="系统升级")
    extra = SpecialDay.objects.create(hall=hall, date=date(2017, 12, 10), reason="集中办理日")
    SpecialDaySession.objects.create(special_day=extra, start=time(9), end=time(12))
    calendar = HallCalendar(hall)
    closed = calendar.day(date(2017, 12, 13))
    assert (closed.open, closed.reason, closed.note) == (False, DayReason.CLOSURE, "系统升级")
    sunday = calendar.day(date(2017, 12, 10))
    assert sunday.reason == DayReason.SPECIAL_HOURS and hhmm(sunday) == [("09:00", "12:00")]
    # The office can close any day, even in a year nobody has published.
    SpecialDay.objects.create(hall=hall, date=date(2027, 1, 5), closed=True, reason="装修")
    closure = HallCalendar(hall).day(date(2027, 1, 5))
    assert closure.reason == DayReason.CLOSURE and not closure.open


def test_no_schedule_in_force(hall):
    day = HallCalendar(hall).day(date(2009, 6, 1))
    assert not day.open and day.reason == DayReason.NO_SCHEDULE


def test_add_working_days_national_and_per_hall(hall):
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    SpecialDay.objects.create(hall=hall, date=date(2026, 10, 8), closed=True, reason="停电")
    assert add_working_days(date(2026, 9, 30), 1, hall) == date(2026, 10, 9)
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2026, 12, 30), 5)


def test_overlapping_schedules_are_refused(hall):
    clash = OpeningSchedule(hall=hall, valid_from=date(2018, 1, 1), name="冬季")
    with pytest.raises(ValidationError) as raised:
        clash.full_clean()
    assert "valid_from" in raised.value.message_dict
