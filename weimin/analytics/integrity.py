"""The rollups' invariant: each hall's recent days, as stored, equal a recount of their records.

Days with records newer than the last refresh are not compared: they wait for the next refresh.
"""

from collections.abc import Iterator
from datetime import timedelta

from weimin.analytics.actions import changed_days
from weimin.analytics.models import RefreshMark, Rollup
from weimin.analytics.records import day_totals
from weimin.halls.models import Hall

RECENT_DAYS = 7


def problems() -> Iterator[dict]:
    mark = RefreshMark.objects.first()
    halls = {hall.pk: hall for hall in Hall.objects.all()}
    if mark is None:
        return  # never refreshed: nothing stored to compare
    _, waiting = changed_days(mark, halls, lookback=0)
    for hall in halls.values():
        last = hall.local_date(mark.refreshed_at)
        for day in (last - timedelta(days=n) for n in range(RECENT_DAYS)):
            if (hall.pk, day) in waiting:
                continue
            stored = {(r.dimension, r.key): r.totals() for r in Rollup.objects.filter(hall=hall, business_date=day)}
            if stored != day_totals(hall, day, mark.refreshed_at):
                yield {"check": "analytics_rollup", "hall": hall.code, "day": day.isoformat(),
                       "detail": "the stored rollups differ from a recount of the day's records"}  # fmt: skip
