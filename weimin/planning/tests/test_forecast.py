"""The arrival forecast on a seeded synthetic hall (``synthetic.py``: the demo history's features, no database)."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.planning.forecast import (
    DayInfo,
    ForecastSettings,
    WeekKind,
    backtest,
    describe_days,
    forecast_week,
    half_hours,
    seasonal_naive,
    wape,
)
from weimin.planning.tests.synthetic import History, generate, slot


@functools.cache
def summer_autumn() -> History:
    """2017-07-01 … 2017-12-03: National Day week closed, make-up Saturday 2017-09-30, the extension."""
    return generate(date(2017, 7, 1), date(2017, 12, 3))


@functools.cache
def spring_festival() -> History:
    """2017-10-23 … 2018-03-04: Saturday service days, make-up 2018-02-11 (Sunday) and 2018-02-24 (Saturday)."""
    return generate(date(2017, 10, 23), date(2018, 3, 4), seed=2)


def day_total(forecast, day: date, slots=None) -> float:
    return sum(c.expected for c in forecast.cells if c.date == day and (slots is None or c.slot in slots))


def true_total(history: History, day: date) -> float:
    return sum(mean for (d, _, _), mean in history.intensity.items() if d == day)


def test_describe_days_finds_surge_and_pre_holiday_from_the_sequence():
    days = {d.date: d for d in summer_autumn().days}
    assert days[date(2017, 9, 30)].makeup_workday and days[date(2017, 9, 30)].before_closure
    assert days[date(2017, 9, 30)].profile(makeup_follows_weekday=0) == 0
    assert [days[date(2017, 10, n)].after_closure for n in (9, 10, 11)] == [1, 2, 0]
    assert not days[date(2017, 10, 5)].open
    # An ordinary weekend (two days closed) is no long closure.
    assert days[date(2017, 9, 15)].before_closure is False and days[date(2017, 9, 18)].after_closure == 0
    assert days[date(2017, 10, 28)].open and days[date(2017, 10, 28)].profile(0) == 5  # a Saturday service day


def test_backtest_beats_seasonal_naive_in_normal_weeks_and_around_a_holiday():
    history = summer_autumn()
    weeks = [date(2017, 9, 11), date(2017, 9, 18), date(2017, 9, 25), date(2017, 10, 2), date(2017, 10, 9)]
    weeks += [date(2017, 11, 13), date(2017, 11, 20)]
    report = backtest(history.arrivals, history.days, weeks)
    kinds = {w.week_start: w.kind for w in report.weeks}
    assert kinds[date(2017, 9, 25)] == kinds[date(2017, 10, 9)] == WeekKind.HOLIDAY
    assert kinds[date(2017, 11, 13)] == WeekKind.NORMAL
    closed = next(w for w in report.weeks if w.week_start == date(2017, 10, 2))
    assert closed.actual == 0 and closed.model.wape is None  # nothing open, nothing to score
    assert report.model_mean["normal"] < report.naive_mean["normal"]
    assert report.model_mean["holiday"] < report.naive_mean["holiday"]
    for week in report.weeks:
        if week.model.wape is not None:
            assert week.model.wape < week.naive.wape
            # Half-hours of ~13 visitors are Poisson: 22 % is the noise floor here, so a forecast within reach of it.
            assert week.model.wape < 0.28
            assert set(week.model.by_group) == {"business", "household", "tax"}
    # The surge after National Day week: Monday 2017-10-09 forecast near its 1.55 × demand from the prior.
    surge = forecast_week(history.arrivals, history.days, date(2017, 10, 9))
    assert day_total(surge, date(2017, 10, 9)) == pytest.approx(true_total(history, date(2017, 10, 9)), rel=0.15)


def test_closed_days_and_closed_half_hours_forecast_zero():
    history = summer_autumn()
    closed_week = forecast_week(history.arrivals, history.days, date(2017, 10, 2))
    assert closed_week.cells == ()
    assert closed_week.expected(date(2017, 10, 2), slot("10:00"), "business") == 0
    week = forecast_week(history.arrivals, history.days, date(2017, 9, 25))
    assert week.expected(date(2017, 10, 1), slot("10:00"), "business") == 0  # Sunday, and National Day
    assert week.expected(date(2017, 9, 25), slot("12:30"), "business") == 0  # the lunch closure
    assert week.expected(date(2017, 9, 25), slot("10:00"), "business") > 0
    assert all(c.slot in range(slot("09:00"), slot("18:00")) for c in week.cells)


def test_a_makeup_workday_is_forecast_like_a_working_day_not_a_weekend():
    history = spring_festival()  # no make-up workday in its history before 2018-02-11
    week = forecast_week(history.arrivals, history.days, date(2018, 2, 5))
    saturday, makeup_sunday = date(2018, 2, 10), date(2018, 2, 11)
    morning = set(range(slot("09:00"), slot("12:00")))
    assert day_total(week, makeup_sunday, morning) > 1.8 * day_total(week, saturday, morning)
    assert day_total(week, makeup_sunday) == pytest.approx(true_total(history, makeup_sunday), rel=0.15)
    assert week.expected(makeup_sunday, slot("18:30"), "business") > 0  # it keeps a working day's hours
    # After Spring Festival: surge on Thursday 2018-02-22, the make-up Saturday 2018-02-24 a full day.
    after = forecast_week(history.arrivals, history.days, date(2018, 2, 19))
    for day in (date(2018, 2, 22), date(2018, 2, 24)):
        assert day_total(after, day) == pytest.approx(true_total(history, day), rel=0.2)


def test_bookings_raise_a_slot_to_at_least_the_booked_count():
    history = summer_autumn()
    monday = date(2017, 11, 27)
    plain = forecast_week(history.arrivals, history.days, monday)
    busy, quiet = (monday, slot("10:00"), "tax"), (monday, slot("15:00"), "business")
    lunch = (monday, slot("12:30"), "tax")
    booked = {busy: plain.expected(*busy) + 10, quiet: 1, lunch: 5}
    week = forecast_week(history.arrivals, history.days, monday, bookings=booked)
    assert week.expected(*busy) == booked[busy]
    assert week.expected(*quiet) == plain.expected(*quiet)  # bookings within the usual are part of it
    assert week.expected(*lunch) == 0  # closed: nobody is served
    cell = next(c for c in week.cells if (c.date, c.slot, c.group) == busy)
    assert cell.booked == booked[busy] and cell.model == plain.expected(*busy)
    assert sum(week.by_slot().values()) == pytest.approx(sum(plain.by_slot().values()) + 10, abs=1e-6)


def test_seasonal_naive_steps_back_over_a_closed_reference_day():
    history = summer_autumn()
    naive = seasonal_naive(history.arrivals, history.days, date(2017, 10, 9))
    key = (date(2017, 10, 9), slot("10:00"), "business")
    assert naive.expected(*key) == history.arrivals.get((date(2017, 9, 25), slot("10:00"), "business"), 0)
    extended = seasonal_naive(history.arrivals, history.days, date(2017, 10, 23))
    assert extended.expected(date(2017, 10, 23), slot("18:30"), "business") == 0  # never open before
    # The first Saturday service day: the latest Saturday open at 10:00 was the make-up workday 2017-09-30.
    make_up = history.arrivals.get((date(2017, 9, 30), slot("10:00"), "business"), 0)
    assert extended.expected(date(2017, 10, 28), slot("10:00"), "business") == make_up
    assert extended.expected(date(2017, 10, 28), slot("12:30"), "business") == 0  # never open on a Saturday


def test_wape():
    assert wape([10, 0, 10], [8, 1, 12]) == pytest.approx(0.25)
    assert wape([0, 0], [1, 2]) is None


def test_inputs_with_a_gap_or_a_bad_slot_are_refused_naming_the_parameter():
    history = summer_autumn()
    days, arrivals, monday = history.days, history.arrivals, date(2017, 11, 13)
    gap = [d for d in days if d.date != date(2017, 9, 5)]
    with pytest.raises(ValueError, match=r"^days: the dates have a gap from 2017-09-04 to 2017-09-06"):
        forecast_week(arrivals, gap, monday)
    with pytest.raises(ValueError, match=r"^arrivals: slot 48"):
        forecast_week({**arrivals, (date(2017, 9, 5), 48, "tax"): 1}, days, monday)
    bad_day = [dataclasses.replace(d, open_slots=frozenset({-1})) if d.date == monday else d for d in days]
    with pytest.raises(ValueError, match=r"^days: slot -1 on 2017-11-13"):
        forecast_week(arrivals, bad_day, monday)
    with pytest.raises(ValueError, match=r"^arrivals: count -2"):
        forecast_week({**arrivals, (date(2017, 9, 5), 20, "tax"): -2}, days, monday)
    with pytest.raises(ValueError, match=r"^arrivals: 2017-06-30 has no day info"):
        forecast_week({**arrivals, (date(2017, 6, 30), 20, "tax"): 2}, days, monday)
    quiet_day = {k: v for k, v in arrivals.items() if k[0] != date(2017, 9, 5)}
    with pytest.raises(ValueError, match=r"^arrivals: none recorded on 2017-09-05, an open day"):
        forecast_week(quiet_day, days, monday)
    with pytest.raises(ValueError, match=r"^bookings: 2017-11-20 is not in the week"):
        forecast_week(arrivals, days, monday, bookings={(date(2017, 11, 20), 20, "tax"): 1})
    with pytest.raises(ValueError, match=r"^days: the target week needs day info for 2017-12-18"):
        forecast_week(arrivals, days, date(2017, 12, 14))
    with pytest.raises(ValueError, match=r"^arrivals: none recorded in the open hours up to 2017-06-30"):
        forecast_week(arrivals, days, date(2017, 7, 1))
    with pytest.raises(ValueError, match=r"^openings: the dates have a gap"):
        describe_days({date(2017, 9, 4): [20], date(2017, 9, 6): [20]})
    with pytest.raises(ValueError, match=r"^week_starts"):
        backtest(arrivals, days, [])
    with pytest.raises(ValueError, match=r"^settings: makeup_follows_weekday"):
        ForecastSettings(makeup_follows_weekday=6)
    with pytest.raises(ValueError, match=r"^days: after_closure 3"):
        forecast_week(arrivals, [*days[:-1], DayInfo(days[-1].date, frozenset({20}), after_closure=3)], monday)


def test_half_hours_of_sessions():
    sessions = [(time(9), time(12)), (time(14), time(19, 30))]
    assert half_hours(sessions) == frozenset(range(18, 24)) | frozenset(range(28, 39))
    assert half_hours([(time(8, 45), time(9, 1))]) == {17, 18}
    assert half_hours([]) == frozenset()
    with pytest.raises(ValueError, match=r"^spans: 12:00:00–09:00:00"):
        half_hours([(time(12), time(9))])


def test_planning_on_a_friday_fits_only_the_days_recorded():
    history = summer_autumn()
    friday, monday = date(2017, 11, 17), date(2017, 11, 20)
    recorded = {k: v for k, v in history.arrivals.items() if k[0] < friday}  # today is not history yet
    with pytest.raises(ValueError, match=r"^arrivals: none recorded on 2017-11-17"):
        forecast_week(recorded, history.days, monday)
    week = forecast_week(recorded, history.days, monday, recorded_until=friday - timedelta(days=1))
    full = forecast_week(history.arrivals, history.days, monday)
    assert sum(week.by_slot().values()) == pytest.approx(sum(full.by_slot().values()), rel=0.05)
    naive = seasonal_naive(recorded, history.days, monday, recorded_until=friday - timedelta(days=1))
    key = (monday, slot("10:00"), "tax")
    assert naive.expected(*key) == history.arrivals.get((date(2017, 11, 13), slot("10:00"), "tax"), 0)
    friday_key = (date(2017, 11, 24), slot("10:00"), "tax")  # a week earlier is today: two weeks back
    assert naive.expected(*friday_key) == history.arrivals.get((date(2017, 11, 10), slot("10:00"), "tax"), 0)
    with pytest.raises(ValueError, match=r"^recorded_until: 2017-11-20 is not before"):
        forecast_week(recorded, history.days, monday, recorded_until=monday)


@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_describe_days_flags_match_their_definition(pattern):
    start = date(2018, 1, 1)
    openings = {start + timedelta(days=n): [20] if is_open else [] for n, is_open in enumerate(pattern)}
    open_dates = [d for d, slots in openings.items() if slots]

    def long_gap(earlier: date, later: date) -> bool:
        return (later - earlier).days - 1 >= 3

    for info in describe_days(openings):
        if not info.open:
            assert (info.after_closure, info.before_closure) == (0, False)
            continue
        n = open_dates.index(info.date)
        following = open_dates[n + 1] if n + 1 < len(open_dates) else None
        assert info.before_closure == (following is not None and long_gap(info.date, following))
        first = n >= 1 and long_gap(open_dates[n - 1], info.date)
        second = n >= 2 and long_gap(open_dates[n - 2], open_dates[n - 1])
        assert info.after_closure == (1 if first else 2 if second else 0)
