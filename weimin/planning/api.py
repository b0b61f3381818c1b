"""The planning API (read): a hall's rosters of a week and one roster with its shifts — the same rows and plan
figures the planning page and ``weimin plan`` show. Planning, editing and approving are the page's and the
command's (a plan runs the solver for up to a minute)."""

from django.http import Http404
from ninja import Router

from weimin.accounts.auth import BearerToken
from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, authorize
from weimin.core.errors import InvalidInput
from weimin.core.text import Id, Text
from weimin.halls.lookups import hall_or_404
from weimin.halls.models import Hall
from weimin.planning import queries
from weimin.planning.models import Roster
from weimin.planning.plan import PlanningError, monday_of

router = Router(tags=["planning"])
staff = BearerToken()


def _readable(user, code: str) -> Hall:
    hall = hall_or_404(code)
    authorize(user, Action.PLANNING_READ, hall)
    return hall


def _summary(roster: Roster) -> dict:
    return {
        "id": roster.pk,
        "hall": roster.hall.code,
        "week_start": roster.week_start.isoformat(),
        "status": roster.status,
        "planned_at": roster.planned_at.isoformat(),
        "approved_at": roster.approved_at.isoformat() if roster.approved_at else None,
    }


@router.get("/planning/rosters", auth=staff)
def rosters(request, hall: Text(40), week: Text(10)) -> list[dict]:
    """The rosters of ``hall`` for ``week`` (ISO, e.g. 2017-W50): the approved one first, then drafts."""
    found = _readable(request.auth, hall)
    try:
        monday = monday_of(week)
    except PlanningError as error:
        raise InvalidInput(str(error), field="week") from None
    return [_summary(roster) for roster in queries.rosters_of(found, monday)]


@router.get("/planning/rosters/{roster_id}", auth=staff)
def roster(request, roster_id: Id()) -> dict:
    """One roster: its plan (the JSON of ``weimin plan``) and its shifts as they are now (edits included)."""
    found = Roster.objects.select_related("hall").filter(pk=roster_id).first()
    if found is None:
        raise Http404(roster_id)
    authorize(request.auth, Action.PLANNING_READ, found.hall)
    shifts = [
        {
            "staff": person_name(s.user),
            "day": s.day.isoformat(),
            "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M"),
            "break_minutes": s.break_minutes,
        }  # fmt: skip
        for s in queries.shifts_of(found)
    ]
    return {**_summary(found), "plan": found.plan, "shifts": shifts}
