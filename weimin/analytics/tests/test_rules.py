"""The measures' pure rules: a ticket's facts from its events, totals that add up, percentiles."""

from collections import Counter
from datetime import datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from weimin.analytics.rules import (
    CaseDayRecord,
    Outcome,
    TicketEventRecord,
    Totals,
    add_case_day,
    half_hour,
    percentile,
    ticket_facts,
)

EVENING = time(18)


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2017-12-08T{hhmm}")


def facts(*events, issued="09:00"):
    return ticket_facts(at(issued), [TicketEventRecord(kind, at(t), w, w) for kind, t, w in events], EVENING)


def test_a_no_show_that_never_came_back_has_a_wait_and_no_service():
    f = facts(("issued", "09:00", None), ("called", "09:12", 5), ("no_show", "09:14", 5))
    assert (f.outcome, f.wait_seconds, f.service_seconds, f.window_id) == (Outcome.NO_SHOW, 720, None, 5)


def test_a_cancelled_ticket_and_one_left_open():
    assert facts(("issued", "09:00", None), ("cancelled", "09:05", None)).outcome == Outcome.CANCELLED
    waiting = facts(("issued", "09:00", None))
    assert (waiting.outcome, waiting.wait_seconds) == (Outcome.OPEN, None)
    closed = facts(("issued", "09:00", None), ("closed", "23:59", None))
    assert closed.outcome == Outcome.UNSERVED_AT_CLOSE


def test_a_recall_is_the_same_call():
    f = facts(("issued", "09:00", None), ("called", "09:10", 5), ("recalled", "09:12", 5), ("completed", "09:20", 5))
    assert (f.wait_seconds, f.service_seconds) == (600, 600)


def test_evening_is_from_the_former_closing_on():
    assert facts(issued="17:59").evening is False and facts(issued="18:00").evening is True
    assert (half_hour(time(0, 0)), half_hour(time(17, 59)), half_hour(time(18, 0))) == (0, 35, 36)


def test_percentile_by_nearest_rank():
    assert percentile(Counter(), 0.5) is None
    assert percentile(Counter({3: 1}), 0.9) == 3
    assert percentile(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2  # rank ceil(2) = 2
    assert percentile(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.9) == 4  # rank ceil(3.6) = 4
    assert percentile(Counter({0: 9, 60: 1}), 0.9) == 0


def test_a_second_correction_is_not_told_at_once_and_not_a_same_day_return():
    totals = Totals()
    add_case_day(totals, CaseDayRecord(opened=True, decisions=("correction",), fast_lane_ticket=True))
    add_case_day(totals, CaseDayRecord(decisions=("correction",), earlier_corrections=1, fast_lane_ticket=True))
    figures = totals.figures(15)
    assert (totals.corrections, totals.repeat_corrections, totals.same_day_returns) == (2, 1, 1)
    assert (figures["told_at_once_share"], figures["same_day_return_share"]) == (0.5, 0.5)


waits = st.lists(st.integers(0, 300 * 60), max_size=30)


@given(waits, waits)
def test_totals_add_up_in_any_order(first, second):
    def totals_of(seconds):
        t = Totals()
        called = [TicketEventRecord("called", at("09:00") + timedelta(seconds=s)) for s in seconds]
        t.add_tickets([ticket_facts(at("09:00"), [event], EVENING) for event in called], saturday=False)
        return t

    a, b, both = totals_of(first), totals_of(second), totals_of(first + second)
    assert a + b == b + a
    assert (a + b).wait_histogram == both.wait_histogram and (a + b).waits == both.waits
    assert (a + b).wait_seconds == both.wait_seconds  # whole seconds: exact in floating point
    assert (a + b).figures(15) == both.figures(15)
