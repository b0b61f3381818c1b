"""Changes to the national calendar: the office enters a year from the State Council's notice."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from weimin.accounts.permissions import Action, authorize
from weimin.calendars.choices import CalendarDayKind
from weimin.calendars.models import CalendarDay, CalendarYear
from weimin.calendars.national import forget_office_entries
from weimin.calendars.rules import DayKind, NoticeRow

KIND_CHOICE = {DayKind.HOLIDAY: CalendarDayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY: CalendarDayKind.MAKEUP_WORKDAY}


@transaction.atomic
def enter_year(user, year: int, source: str, rows: list[NoticeRow], now: datetime) -> CalendarYear:
    """Record ``year`` as the notice lists it (``rows`` from ``rules.parse_notice``), replacing what
    the office entered for that year before.

    From then on the year's days are known: halls drop the provisional mark and due dates waiting for
    the year are counted (they are read, not stored).
    """
    authorize(user, Action.CALENDAR_ENTER, None)
    listed = {day: row for row in rows for day in row.days()}
    CalendarDay.objects.filter(date__year=year).exclude(date__in=list(listed)).delete()
    for day, row in listed.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": KIND_CHOICE[row.kind], "name": row.name})
    entered, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source, "entered_at": now})
    # The signals clear this process's cache row by row inside the transaction; clear it again once
    # committed, so a request that read the calendar meanwhile does not keep the old year.
    transaction.on_commit(forget_office_entries)
    return entered
