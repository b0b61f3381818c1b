"""The analytics API (/api/analytics/…): the pages' and the command's figures as JSON, for staff tokens."""

from typing import Annotated

from ninja import Field, Router

from weimin.accounts.auth import BearerToken
from weimin.accounts.permissions import Action, authorize
from weimin.analytics import actions, effect_report, queries
from weimin.analytics.effect import MAX_WEEKS
from weimin.core import clock
from weimin.core.text import Day, Text
from weimin.halls.models import Hall

router = Router(tags=["analytics"])
staff = BearerToken()


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
    if hall:
        halls = [queries.hall_for(request.auth, hall)]
    else:
        authorize(request.auth, Action.ANALYTICS_VIEW, None)
        halls = list(Hall.objects.all())
    now = clock.now()
    actions.refresh_if_stale(now)
    return effect_report.build(halls, start, weeks, now, hall=halls[0] if hall else None).as_json()
