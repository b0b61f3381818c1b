"""The effect's statistics (analytics.effect) on hand-made weeks."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.analytics.effect import EPSILON, Verdict, compare, periods
from weimin.analytics.rules import Totals

TARGET = 15


def week(visits: int, evening: int = 0, *, waits: int = 0, wait_minutes: float = 0, cases=0, company=0) -> Totals:
    return Totals(
        served=visits,
        evening_served=evening,
        waits=waits,
        wait_seconds=wait_minutes * 60,
        cases=cases,
        evening_cases=cases,
        evening_company_cases=company,
    )


def test_a_clear_rise_is_significant_with_an_interval_above_zero():
    before = [week(v) for v in (100, 104, 98, 101, 97, 103)]
    after = [week(v) for v in (130, 127, 133, 129, 131, 128)]
    visits = compare(before, after, TARGET).changes["visits"]
    assert visits.before == pytest.approx(603 / 6) and visits.after == pytest.approx(778 / 6)
    assert visits.absolute == pytest.approx(175 / 6)
    assert visits.relative == pytest.approx(778 / 603 - 1)
    assert 0 < visits.low <= visits.absolute <= visits.high
    assert visits.verdict == Verdict.RISE and visits.significant


def test_noise_is_within_normal_variation():
    before = [week(v) for v in (100, 140, 80, 120, 90, 130)]
    after = [week(v) for v in (110, 85, 135, 95, 125, 105)]
    visits = compare(before, after, TARGET).changes["visits"]
    assert visits.low < 0 < visits.high
    assert visits.verdict == Verdict.WITHIN and not visits.significant


def test_a_fall_is_significant_below_zero():
    before = [week(100, waits=100, wait_minutes=w) for w in (2000, 2100, 1900, 2050)]
    after = [week(100, waits=100, wait_minutes=w) for w in (900, 1000, 950, 1050)]
    wait = compare(before, after, TARGET).changes["mean_wait_minutes"]
    assert wait.before == pytest.approx(20.125) and wait.after == pytest.approx(9.75)
    assert wait.low <= wait.high < 0 and wait.verdict == Verdict.FALL


def test_ratios_come_from_the_summed_weeks_not_a_mean_of_weekly_ratios():
    # Weekly evening shares 10/10 = 100 % and 0/90 = 0 %: their mean is 50 %, the period's share 10 %.
    before = [week(10, 10), week(90, 0), week(100, 10)]
    after = [week(100, 30), week(100, 30), week(100, 30)]
    evening = compare(before, after, TARGET).changes["evening_share"]
    assert evening.before == pytest.approx(20 / 200) and evening.after == pytest.approx(0.3)
    # Mean wait: 1 wait of 60 minutes and 99 waits of 1 minute = 159/100, not (60 + 1) / 2.
    waits = [week(1, waits=1, wait_minutes=60), week(99, waits=99, wait_minutes=99), week(0)]
    assert compare(waits, waits, TARGET).changes["mean_wait_minutes"].before == pytest.approx(1.59)


def test_share_under_target_from_the_histograms():
    before = [Totals(waits=4, wait_histogram=Counter({3: 2, 14: 1, 15: 1}))] * 3
    after = [Totals(waits=4, wait_histogram=Counter({3: 4}))] * 3
    under = compare(before, after, TARGET).changes["under_target_share"]
    assert (under.before, under.after, under.verdict) == (0.75, 1.0, Verdict.RISE)


def test_who_uses_the_evening():
    before = [week(50, cases=10, company=2)] * 4
    after = [week(50, cases=10, company=2), week(50, cases=10, company=8), week(50, cases=10, company=5), week(50)]
    company = compare(before, after, TARGET).changes["company_share_evening"]
    assert company.before == pytest.approx(0.2) and company.after == pytest.approx(15 / 30)


def test_no_figure_on_a_side_is_not_judged():
    before = [week(50)] * 4  # no evening cases before the start: no company share
    after = [week(50, cases=10, company=5)] * 4
    company = compare(before, after, TARGET).changes["company_share_evening"]
    assert (company.before, company.after, company.absolute, company.verdict) == (None, 0.5, None, Verdict.NOT_JUDGED)


def test_too_few_weeks_are_not_judged():
    visits = compare([week(100), week(100)], [week(200), week(200)], TARGET).changes["visits"]
    assert visits.absolute == 100 and (visits.low, visits.high, visits.verdict) == (None, None, Verdict.NOT_JUDGED)


def test_the_same_weeks_give_the_same_interval():
    before = [week(v, v // 5) for v in (100, 140, 80, 120)]
    after = [week(v, v // 4) for v in (110, 85, 135, 95)]
    first, again = compare(before, after, TARGET), compare(before, after, TARGET)
    assert first == again
    assert compare(before, after, TARGET, seed=1) != first  # the seed, not the weeks, is all that varies


def test_identical_periods_change_nothing():
    weeks = [week(120, 30, waits=120, wait_minutes=600)] * 5
    for change in compare(weeks, weeks, TARGET).changes.values():
        if change.before is not None:
            assert change.verdict == Verdict.WITHIN and change.absolute == pytest.approx(0)


def test_periods_are_whole_closed_weeks_after_the_first_records():
    start = date(2017, 10, 23)
    found = periods(start, 8, first_recorded=date(2017, 9, 1), last_closed=date(2017, 12, 7))
    assert found.before == [date(2017, 9, 4), date(2017, 9, 11), date(2017, 9, 18), date(2017, 9, 25),
                            date(2017, 10, 2), date(2017, 10, 9), date(2017, 10, 16)]  # fmt: skip
    assert found.before_too_early == 1  # the week of 2017-08-28 began before the records
    assert found.after == [date(2017, 10, 23) + n * (date(2017, 10, 30) - date(2017, 10, 23)) for n in range(6)]
    assert found.after_not_over == 2  # the weeks of 12-04 (not over on Thursday 12-07) and 12-11
    with pytest.raises(ValueError):
        periods(date(2017, 10, 25), 8, None, date(2017, 12, 7))


weeks = st.lists(
    st.builds(
        lambda visits, evening, waits, minutes: week(visits, min(evening, visits), waits=waits, wait_minutes=minutes),
        st.integers(0, 500), st.integers(0, 500), st.integers(1, 400), st.floats(0, 5000),
    ),
    min_size=3, max_size=10,
)  # fmt: skip


@given(weeks, weeks)
def test_the_interval_contains_the_estimate(before, after):
    effect = compare(before, after, TARGET, resamples=200)
    for change in effect.changes.values():
        if change.low is not None:
            assert change.low <= change.absolute <= change.high
            # Significant when the interval leaves zero by more than float noise (a wait of 1e-221 s is none).
            assert change.significant == (change.low > EPSILON or change.high < -EPSILON)
    visits = effect.changes["visits"]
    # A mean of drawn weeks lies between the smallest and the largest week.
    assert visits.high <= max(w.served for w in after) - min(w.served for w in before) + 1e-9
    assert visits.low >= min(w.served for w in after) - max(w.served for w in before) - 1e-9
