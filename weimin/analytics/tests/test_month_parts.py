"""Reads add up (hall, month) parts kept in the process (issue 11, point 6): a part must be recomputed
as soon as any day of its month is rebuilt, and what a read returns must not depend on what was read
before it."""

from datetime import date

from weimin.analytics import actions, queries
from weimin.analytics.queries import By
from weimin.tickets import actions as ticket_actions

NOVEMBER_30 = date(2017, 11, 30)
DECEMBER_1 = date(2017, 12, 1)


def test_a_rebuilt_day_replaces_its_month_part(hall, item, window, make_clerk, freeze):
    huang = make_clerk("huang", window)

    def serve(issued: str, called: str, done: str) -> None:
        ticket = ticket_actions.issue_ticket(hall, item, freeze(issued)).ticket
        assert ticket_actions.call_next(huang, window, freeze(called)) == ticket
        ticket_actions.complete(huang, ticket, freeze(done))

    serve("2017-11-30 09:00", "2017-11-30 09:04", "2017-11-30 09:10")
    serve("2017-12-01 09:00", "2017-12-01 09:20", "2017-12-01 09:30")
    actions.refresh(freeze("2017-12-01 09:40"))
    assert queries.total([hall], NOVEMBER_30, DECEMBER_1).served == 2
    by_month = {g.key: g.totals for g in queries.breakdown([hall], NOVEMBER_30, DECEMBER_1, By.MONTH)}
    assert {month: totals.served for month, totals in by_month.items()} == {NOVEMBER_30.replace(day=1): 1,
                                                                            DECEMBER_1: 1}  # fmt: skip

    serve("2017-12-01 10:00", "2017-12-01 10:30", "2017-12-01 10:40")  # December changes, November not
    actions.refresh(freeze("2017-12-01 10:45"))
    totals = queries.total([hall], NOVEMBER_30, DECEMBER_1)
    assert (totals.served, totals.wait_seconds) == (3, (4 + 20 + 30) * 60)
    by_month = {g.key: g.totals.served for g in queries.breakdown([hall], NOVEMBER_30, DECEMBER_1, By.MONTH)}
    assert by_month == {NOVEMBER_30.replace(day=1): 1, DECEMBER_1: 2}
    # A span inside a month is its own part, not the whole month's.
    assert queries.total([hall], DECEMBER_1, DECEMBER_1).served == 2

    kept = {by: [g.figures for g in queries.breakdown([hall], NOVEMBER_30, DECEMBER_1, by)] for by in By.ALL}
    queries.forget_parts()  # a new server process: nothing kept
    for by in By.ALL:
        assert [g.figures for g in queries.breakdown([hall], NOVEMBER_30, DECEMBER_1, by)] == kept[by], by
    by_category = queries.breakdown([hall], NOVEMBER_30, DECEMBER_1, By.CATEGORY)
    assert [g.totals.served for g in by_category] == [3]


def test_kept_parts_are_bounded_by_the_totals_they_hold():
    kept = queries._KeptParts(limit=3)
    kept.put("a", {1: None, 2: None})
    kept.put("b", {1: None})
    assert kept.get("a") is not None  # used last: "b" is now the oldest
    kept.put("c", {1: None})
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ({1: None, 2: None}, None, {1: None})
    assert kept.held == 3


def test_a_parts_fingerprint_sums_integers_only():
    """A float sum is not reproducible under a parallel aggregate: a part keyed by one would never match."""
    from django.db import models

    from weimin.analytics.models import Rollup

    columns = [Rollup._meta.get_field(name) for name in queries.FINGERPRINTED]
    assert columns and all(isinstance(c, models.IntegerField | models.AutoField) for c in columns), columns
    assert len(queries._FINGERPRINT) == len(queries.FINGERPRINTED) + 1  # and the count of rows
