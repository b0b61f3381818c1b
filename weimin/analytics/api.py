"""The analytics API: a period's figures for a hall or the district, any breakdown of them, and the
extended-service effect — the same ``queries`` and ``effect_report`` the pages and ``weimin analytics``
read, so every answer agrees with them."""

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from weimin.accounts.auth import BearerToken
from weimin.analytics import actions, effect_report, periods, queries
from weimin.analytics.effect import MAX_WEEKS
from weimin.analytics.queries import By
from weimin.analytics.schemas import BreakdownOut, SummaryOut
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted
from weimin.core.text import Day, Text

router = Router(tags=["analytics"])
staff = BearerToken()


def _scope(user, code: str | None) -> list:
    """The hall asked for, or the whole district (the office's standing)."""
    if code:
        return [queries.hall_for(user, code)]
    if not queries.sees_district(user):
        raise NotPermitted(_("Only the district office sees the whole district: name a hall."), field="hall")
    return queries.halls_for(user)


def _asked(user, first: date, last: date, code: str | None):
    period = periods.checked(first, last)
    halls = _scope(user, code)
    actions.refresh_if_stale(clock.now())
    return period, halls


@router.get("/analytics/summary", response=SummaryOut, by_alias=True, auth=staff)
def summary(
    request,
    first: Day() = Query(..., alias="from"),
    last: Day() = Query(..., alias="to"),
    hall: Text(40) | None = None,
):
    """Every measure over [from, to] (at most 1,098 days, three years) for a hall, or the district when `hall` is
    omitted (the district office only)."""
    period, halls = _asked(request.auth, first, last, hall)
    figures = queries.figures(queries.total(halls, period.first, period.last))
    return {"hall": hall or None, "from": period.first, "to": period.last, "figures": figures}


@router.get("/analytics/breakdown", response=BreakdownOut, by_alias=True, auth=staff)
def breakdown(
    request,
    by: Text(10),
    first: Day() = Query(..., alias="from"),
    last: Day() = Query(..., alias="to"),
    hall: Text(40) | None = None,
):
    """The measures by `by` — hall, item, category, window, staff, hour, weekday, day, week or month —
    and their total."""
    if by not in By.ALL:
        raise InvalidInput(_("Choose one of: %(choices)s.") % {"choices": ", ".join(By.ALL)}, field="by")
    period, halls = _asked(request.auth, first, last, hall)
    groups = queries.breakdown(halls, period.first, period.last, by)
    return {
        "hall": hall or None,
        "from": period.first,
        "to": period.last,
        "by": by,
        "figures": queries.figures(queries.total(halls, period.first, period.last)),
        "groups": [{"key": str(group.key), "label": group.label, "figures": group.figures} for group in groups],
    }


@router.get("/analytics/effect", auth=staff)
def effect(
    request,
    start: Day(),
    weeks: Annotated[int, Field(ge=1, le=MAX_WEEKS)] = effect_report.DEFAULT_WEEKS,
    hall: Text(40) | None = None,
) -> dict:
    """The extended-service effect (延时服务效果) of what began on ``start`` (a Monday), ``weeks`` weeks on each
    side: the same JSON as ``weimin analytics effect`` (README). ``hall`` omitted: the whole district,
    for the district office."""
    halls = _scope(request.auth, hall)
    now = clock.now()
    actions.refresh_if_stale(now)
    return effect_report.build(halls, start, weeks, now, hall=halls[0] if hall else None).as_json()
