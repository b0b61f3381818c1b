"""The national calendar as weimin decides it: office entries first, then the published package."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from weimin.calendars import rules
from weimin.calendars.choices import CalendarDayKind
from weimin.calendars.models import CalendarDay, CalendarYear
from weimin.calendars.rules import CalendarUnknown, DayKind, DayStatus
from weimin.core.cache import TimedCache

# chinesecalendar names holidays in English; these are the names people here use.
HOLIDAY_DISPLAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist War Victory Day"),
}


def holiday_display_name(name: str | None) -> str:
    if not name:
        return ""
    return str(HOLIDAY_DISPLAY_NAMES.get(name, name))


_entries = TimedCache()


def office_entries() -> tuple[dict, set]:
    """The office's entered days and years, read at most once a cache period per process."""
    return _entries.get(
        lambda: (
            {d.date: d for d in CalendarDay.objects.all()},
            set(CalendarYear.objects.values_list("year", flat=True)),
        )
    )


def forget_office_entries(**kwargs) -> None:
    _entries.clear()


class NationalCalendar:
    """Answers a day's national status from the office's entries, then the published package."""

    def __init__(self) -> None:
        self.entered_days, self.entered_years = office_entries()

    def status(self, day: date) -> DayStatus:
        """Raises CalendarUnknown for a day nobody has published."""
        entry = self.entered_days.get(day)
        if entry is not None:
            kind = DayKind.HOLIDAY if entry.kind == CalendarDayKind.HOLIDAY else DayKind.MAKEUP_WORKDAY
            return DayStatus(day, kind, entry.name)
        if day.year in self.entered_years:
            return rules.status_by_weekday(day)
        return rules.status_from_package(day)

    def is_working_day(self, day: date) -> bool:
        return self.status(day).is_working_day

    def knows(self, year: int) -> bool:
        return year in self.entered_years or rules.package_knows(year)


def warn_from(year: int) -> date:
    """The day of ``year`` from which a missing next year is warned about (WEIMIN_CALENDAR_WARN_FROM)."""
    month, day = (int(part) for part in settings.WEIMIN_CALENDAR_WARN_FROM.split("-"))
    return date(year, month, day)


def missing_years(today: date) -> list[int]:
    """The years someone must enter now: this year if unknown, and next year from the warning date."""
    calendar = NationalCalendar()
    wanted = [today.year, today.year + 1] if today >= warn_from(today.year) else [today.year]
    return [year for year in wanted if not calendar.knows(year)]


__all__ = ["NationalCalendar", "CalendarUnknown", "holiday_display_name", "missing_years"]
