"""``weimin check``: a warning while a year the halls need has no national calendar, dated by
weimin's clock (the demo clock included)."""

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from weimin.core import clock


@checks.register()
def calendar_years(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from weimin.calendars.national import missing_years, warn_from

    try:
        warn_from(2000)
    except ValueError:
        return [checks.Error("WEIMIN_CALENDAR_WARN_FROM must be a day of the year as MM-DD, e.g. 11-01.",
                             id="calendars.E001")]  # fmt: skip
    try:
        missing = missing_years(timezone.localdate(clock.now()))
    except DatabaseError:
        return []  # not migrated yet: nothing entered to look at
    return [
        checks.Warning(
            f"The national holidays of {year} are not known: halls open on their weekly schedule, marked "
            f"provisional, and deadlines reaching into {year} are pending.",
            hint=f"Enter {year} from the State Council's notice at /calendar/years/ (docs/calendar.md).",
            id="calendars.W001",
        )
        for year in missing
    ]
