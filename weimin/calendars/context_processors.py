from django.utils import timezone

from weimin.accounts.permissions import Action, hall_ids_of, may
from weimin.calendars.national import missing_years
from weimin.core import clock


def calendar_warning(request) -> dict:
    """The missing-year banner (base.html) for those who watch deadlines: the district office, hall
    managers and approvers (who may see the cases due); the link to the entry form for the office."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (may(user, Action.CASES_DUE, None) or any(may(user, Action.CASES_DUE, pk) for pk in hall_ids_of(user))):
        return {}
    missing = missing_years(timezone.localdate(clock.now()))
    if not missing:
        return {}
    return {"calendar_missing": missing, "calendar_may_enter": may(user, Action.CALENDAR_ENTER, None)}
