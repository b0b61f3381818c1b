"""Demand analysis on hand-made history with hand-computed answers.

**The busy Saturday** (period Friday 2017-12-08 – Saturday 2017-12-09, the extended hours: weekdays
09:00–12:00 and 14:00–19:30, Saturday 09:00–13:00):

| session | open h | tickets | window-hours held | visitors / window-hour | against median 2 |
|---|---|---|---|---|---|
| Friday morning | 3 | 6 (10 min each) | 3 (window 5) | 2 | 1 |
| Friday afternoon | 4 | 8 (10 min) | 4 (window 5) | 2 | 1 |
| Friday evening | 1.5 | 3 (10 min) | 4.5 (windows 5, 6, 7) | 0.67 | 0.33: under-used |
| Saturday | 4 | 40 (12 min) | 4 (window 5) | 10 | 5: over-used |

Saturday: λ = 40 / 4 h = 10 an hour, s = 12 min, one window open on average. a = 2 Erlangs; with
c = 3, P(W ≤ 15) = 1 − (4/9)·e^(−15/12) = 0.873 ≥ 0.8 (c = 2 is unstable): 3 windows. Over the
period (2/7 of a week) that is +2 windows × 14 open hours a week = +28 window-hours a week.
Friday evening: λ = 2 an hour, s = 10 min, a = 1/3; one window: C = 1/3, P(W ≤ 15) =
1 − (1/3)·e^(−(2/3)·1.5) = 0.877: 1 window instead of 3 → −2 × 5.25 h = −10.5 window-hours a week.
"""

from datetime import date

import pytest

from weimin.analytics import actions, demand
from weimin.analytics.demand import SessionKind, Use
from weimin.analytics.tests.conftest import FRIDAY, SATURDAY
from weimin.analytics.tests.history import every, hold, served
from weimin.halls.models import Window


def test_sessions_per_open_window_hour(hall, busy_saturday):
    uses = {u.kind: u for u in demand.sessions([hall], FRIDAY, SATURDAY)}
    assert list(uses) == [SessionKind.MORNING, SessionKind.AFTERNOON, SessionKind.EVENING, SessionKind.SATURDAY]
    rates = {kind: (u.open_hours, u.arrivals, u.held_hours) for kind, u in uses.items()}
    assert rates == {
        SessionKind.MORNING: (3, 6, 3),
        SessionKind.AFTERNOON: (4, 8, 4),
        SessionKind.EVENING: (1.5, 3, 4.5),
        SessionKind.SATURDAY: (4, 40, 4),
    }
    assert uses[SessionKind.EVENING].per_window_hour == pytest.approx(2 / 3)
    assert {u.median for u in uses.values()} == {2}
    assert {kind: u.use for kind, u in uses.items()} == {
        SessionKind.MORNING: Use.NORMAL,
        SessionKind.AFTERNOON: Use.NORMAL,
        SessionKind.EVENING: Use.UNDER,
        SessionKind.SATURDAY: Use.OVER,
    }


def test_an_over_used_saturday_gets_the_erlang_c_windows(hall, busy_saturday):
    uses = demand.sessions([hall], FRIDAY, SATURDAY)
    saturday, evening = demand.recommendations(uses, FRIDAY, SATURDAY)  # ranked: the bigger change first
    assert saturday.session.kind == SessionKind.SATURDAY
    assert (saturday.arrivals_per_hour, saturday.windows_open, saturday.mean_service_minutes) == (10, 1, 12)
    assert saturday.windows_needed == 3
    assert saturday.window_hours_per_week == pytest.approx(28)
    assert saturday.sentence() == (
        "龙岗区行政服务大厅，周六：每小时 10.0 位办事群众，平均开放 1.0 个窗口；"
        "开 3 个窗口即可让 80% 的等候在 15 分钟以内。建议增至 3 个窗口（现为 1.0 个）。"
    )
    assert evening.session.kind == SessionKind.EVENING
    assert (evening.windows_needed, evening.windows_open) == (1, 3)
    assert evening.window_hours_per_week == pytest.approx(-10.5)
    assert evening.action() == "建议减至 1 个窗口（现为 3.0 个）。"


def test_the_target_share_is_a_setting(hall, busy_saturday, settings):
    settings.WEIMIN_ANALYTICS_TARGET_SHARE = 0.95  # c = 3: 0.873; c = 4: 1 − C(4, 2)·e^(−2·1.25) > 0.95
    uses = demand.sessions([hall], FRIDAY, SATURDAY)
    assert demand.recommendations(uses, FRIDAY, SATURDAY)[0].windows_needed == 4


def test_thresholds_are_settings(hall, busy_saturday, settings):
    settings.WEIMIN_ANALYTICS_OVER_USED = 6  # Saturday's 5 × the median is no longer over-used
    settings.WEIMIN_ANALYTICS_UNDER_USED = 0.2
    uses = demand.sessions([hall], FRIDAY, SATURDAY)
    assert {u.use for u in uses} == {Use.NORMAL} and demand.recommendations(uses, FRIDAY, SATURDAY) == []


def test_heat_map_means_per_open_day_of_the_weekday(hall, item, other_item, window, make_clerk, freeze):
    """Two weeks, 2017-12-04 – 12-17: two Mondays and two Saturdays open, Sundays closed.
    Monday 09:00–09:30: item A at 09:10 and 09:25 on the 4th and at 09:25 on the 11th, item B at 09:20 on the
    4th → (2 + 1 + 1) / 2 Mondays = 2.0 for the hall, 1.5 for A, 0.5 for B. Saturday 09:00: three of A on
    the 9th, none on the 16th → 1.5."""
    freeze("2017-12-04 08:00")
    huang = make_clerk("huang")
    served(hall, item, window, huang, "2017-12-04", ["09:10", "09:25"], service_minutes=5)
    served(hall, other_item, window, huang, "2017-12-04", ["09:20"], service_minutes=5)
    served(hall, item, window, huang, "2017-12-11", ["09:25"], service_minutes=5)
    served(hall, item, window, huang, "2017-12-09", ["09:05", "09:06", "09:07"], service_minutes=5)
    actions.refresh(freeze("2017-12-18 08:00"))
    first, last = date(2017, 12, 4), date(2017, 12, 17)
    whole = demand.heat_map([hall], first, last)
    assert (whole.cells[0, 18], whole.cells[0, 19], whole.cells[5, 18], whole.cells[1, 18]) == (2.0, 0, 1.5, 0)
    assert whole.slots == range(18, 39)  # 09:00 up to the half-hour ending at 19:30
    assert whole.weekdays() == [0, 1, 2, 3, 4, 5]  # Sundays closed
    assert (0, 26) not in whole.cells and (5, 28) not in whole.cells  # 13:00 on Monday, 14:00 on Saturday: closed
    assert whole.peak == 2.0
    assert demand.heat_map([hall], first, last, item).cells[0, 18] == 1.5
    assert demand.heat_map([hall], first, last, other_item).cells[0, 18] == 0.5
    assert demand.slot_label(38) == "19:00"


def test_a_hall_with_no_evening_session_has_no_evening_row(hall, item, window, make_clerk, freeze):
    """September 2017, before the extended hours: 09:00–12:00 and 14:00–18:00, no Saturday."""
    freeze("2017-09-04 08:00")
    huang = make_clerk("huang")
    hold(huang, window, "2017-09-04", ("09:00", "12:00"), ("14:00", "18:00"))
    served(hall, item, window, huang, "2017-09-04", ["09:30", "15:00", "17:50"], service_minutes=10)
    actions.refresh(freeze("2017-09-10 08:00"))
    uses = demand.sessions([hall], date(2017, 9, 4), date(2017, 9, 9))
    assert [(u.kind, u.days, u.open_hours) for u in uses] == [
        (SessionKind.MORNING, 5, 15), (SessionKind.AFTERNOON, 5, 20),
    ]  # fmt: skip
    assert [u.arrivals for u in uses] == [1, 2]
    assert demand.heat_map([hall], date(2017, 9, 4), date(2017, 9, 9)).slots == range(18, 36)


def test_items_driving_evening_and_saturday(hall, item, other_item, window, make_clerk, freeze):
    """A (消防验收): 2 daytime, 2 evening, 1 Saturday; B (设计审查): 1 evening, 3 Saturday.
    B brings 4 of the 7 evening-or-Saturday visits: first; it has 1/3 of the evening visits and 3/4 of
    Saturday's, and 3 of its 4 visits are on Saturday."""
    freeze("2017-12-08 08:00")
    huang = make_clerk("huang")
    served(hall, item, window, huang, "2017-12-08", ["10:00", "15:00", "18:00", "18:30"], service_minutes=5)
    served(hall, other_item, window, huang, "2017-12-08", ["19:00"], service_minutes=5)
    served(hall, item, window, huang, "2017-12-09", ["09:00"], service_minutes=5)
    served(hall, other_item, window, huang, "2017-12-09", ["09:10", "09:20", "09:30"], service_minutes=5)
    actions.refresh(freeze("2017-12-10 08:00"))
    b, a = demand.drivers([hall], FRIDAY, SATURDAY)
    assert (b.label, b.visits, b.evening, b.saturday) == ("消防设计审查", 4, 1, 3)
    assert (b.evening_of_all, b.saturday_of_all, b.saturday_of_item) == (pytest.approx(1 / 3), 0.75, 0.75)
    assert (a.label, a.visits, a.evening, a.saturday, a.evening_of_item) == ("建设工程消防验收", 5, 2, 1, 0.4)


def test_a_district_adds_its_halls(hall, busy_saturday, district):
    from weimin.halls.models import Hall

    quiet = Hall.objects.create(district=district, code="quiet", name="静静街道", kind=hall.kind, position=9)
    both = demand.demand([hall, quiet], FRIDAY, SATURDAY)
    assert both.heat_map.cells[5, 18] == demand.heat_map([hall], FRIDAY, SATURDAY).cells[5, 18] == 5
    assert {u.hall for u in both.sessions} == {hall}  # the quiet hall has no schedule: no sessions


def test_windows_open_for_nobody_are_the_most_under_used(hall, item, window, make_clerk, freeze):
    """Friday: one window for 6 visitors in the morning and 8 in the afternoon (2 a window-hour each), two
    windows 18:00–19:30 for nobody (0): under-used, and one window is enough (service 10 minutes, the hall's)."""
    freeze("2017-12-08 08:00")
    huang, li = make_clerk("huang"), make_clerk("li")
    six = Window.objects.create(hall=hall, number=6)
    hold(huang, window, "2017-12-08", ("09:00", "12:00"), ("14:00", "19:30"))
    hold(li, six, "2017-12-08", ("18:00", "19:30"))
    served(hall, item, window, huang, "2017-12-08", every("09:00", 30, 6) + every("14:00", 30, 8), service_minutes=10)
    actions.refresh(freeze("2017-12-09 08:00"))
    uses = demand.sessions([hall], FRIDAY, FRIDAY)
    assert [(u.kind, u.per_window_hour, u.use) for u in uses] == [
        (SessionKind.MORNING, 2, Use.NORMAL),
        (SessionKind.AFTERNOON, 2, Use.NORMAL),
        (SessionKind.EVENING, 0, Use.UNDER),
    ]
    (evening,) = demand.recommendations(uses, FRIDAY, FRIDAY)
    assert (evening.arrivals_per_hour, evening.windows_open, evening.mean_service_minutes) == (0, 2, 10)
    assert evening.windows_needed == 1 and evening.action() == "建议减至 1 个窗口（现为 2.0 个）。"
