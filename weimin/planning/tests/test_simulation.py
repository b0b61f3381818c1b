"""The hall-day simulation: against Erlang C, against weimin's own call order, and its edges."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weimin.analytics import queueing
from weimin.planning.simulation import (
    HallDay,
    HandlingTimes,
    SkillGroup,
    Tickets,
    Window,
    draw_tickets,
    erlang_windows,
    pooled_windows_by_simulation,
    run,
    seconds_of,
    simulate,
    slot_edges_between,
    windows_for_requirement,
)
from weimin.tickets.rules import Waiting, call_order

NINE, NOON, HALF_PAST_SEVEN = seconds_of(time(9)), seconds_of(time(12)), seconds_of(time(19, 30))
TEN_MINUTES = HandlingTimes(mean_seconds=600, cv=0.5)


def small_day(**changes) -> HallDay:
    edges = slot_edges_between(NINE, NOON)
    day = HallDay(
        slot_edges=edges,
        groups=(SkillGroup("business", (6.0,) * 6, TEN_MINUTES, priority_share=0.2),),
        windows=(Window("1", frozenset({"business"}), ((NINE, NOON),)),),
    )
    return replace(day, **changes)


def tickets(rows: list[list[tuple[float, int, bool, float]]]) -> Tickets:
    """Replications' tickets given as (arrival, group, priority, occupancy) rows."""
    width = max(len(r) for r in rows)

    def column(index: int, pad, dtype) -> np.ndarray:
        return np.array([[t[index] for t in r] + [pad] * (width - len(r)) for r in rows], dtype=dtype)

    no_show = np.zeros((len(rows), width), dtype=bool)
    return Tickets(column(0, np.inf, float), column(1, -1, int), column(2, False, bool), no_show, column(3, 0.0, float))


def test_agrees_with_erlang_c_on_a_stationary_m_m_c_queue():
    # 5 windows, 24 visitors an hour, exponential handling of mean ≈ 10 min: load 4 Erlangs. The first
    # two hours warm the queue up from empty; the next eight are compared with the steady state.
    rng = np.random.default_rng(7)
    handling = HandlingTimes(tuple(rng.exponential(600, 20_000)))
    mean_minutes = handling.mean() / 60
    day = HallDay(
        slot_edges=(0, 2 * 3600, 10 * 3600),
        groups=(SkillGroup("all", (48.0, 192.0), handling),),
        windows=tuple(Window(str(w), frozenset({"all"}), ((0, 10 * 3600),)) for w in range(5)),
    )
    steady = simulate(day, replications=400, seed=11).slots[1]
    expected_wait = queueing.mean_wait_minutes(5, 24, mean_minutes) * 60
    expected_share = queueing.service_level(5, 24, mean_minutes, 15)
    assert steady.mean_wait.low <= expected_wait <= steady.mean_wait.high
    assert steady.share_within_target.low <= expected_share <= steady.share_within_target.high
    assert steady.utilisation.mean == pytest.approx(24 * mean_minutes / 60 / 5, rel=0.03)


def reference_calls(day: HallDay, visits: list[tuple[float, int, bool, float]]) -> list[tuple[float, int]]:
    """(called at, window) of each visit by a plain loop applying ``tickets.rules.call_order`` at every
    call: the engine's arrays must agree with it."""
    epoch = datetime(2017, 12, 8)
    intervals = [list(w.staffed) for w in day.windows]
    for staffed in intervals:
        if staffed and staffed[-1][1] >= day.closing:
            staffed[-1] = (staffed[-1][0], math.inf)
    free = [staffed[0][0] if staffed else math.inf for staffed in intervals]
    current = [0] * len(day.windows)
    recent: list[list[bool]] = [[] for _ in day.windows]
    waiting, calls = set(range(len(visits))), [(math.nan, -1)] * len(visits)
    names = [g.name for g in day.groups]
    while True:
        best = None
        for w, window in enumerate(day.windows):
            mine = [i for i in waiting if names[visits[i][1]] in window.groups]
            if current[w] < len(intervals[w]) and mine:
                at = max(free[w], min(visits[i][0] for i in mine))
                if best is None or at < best[0]:
                    best = (at, w, mine)
        if best is None:
            return calls
        at, w, mine = best
        if at >= intervals[w][current[w]][1]:
            current[w] += 1
            free[w] = max(free[w], intervals[w][current[w]][0]) if current[w] < len(intervals[w]) else math.inf
            continue
        ready = [Waiting(i, visits[i][1], None, visits[i][2], False, epoch + timedelta(seconds=visits[i][0]))
                 for i in mine if visits[i][0] <= at]  # fmt: skip
        chosen = call_order(ready, day.max_priority_in_row, recent[w])[0]
        recent[w].insert(0, chosen.priority)
        waiting.remove(chosen.id)
        calls[chosen.id] = (at, w)
        free[w] = at + visits[chosen.id][3]


visit = st.tuples(st.integers(0, 7200).map(float), st.integers(0, 1), st.booleans(), st.integers(60, 900).map(float))


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(st.lists(visit, min_size=1, max_size=25, unique_by=lambda v: v[0]), min_size=1, max_size=3),
    most=st.integers(0, 3),
    rosters=st.lists(st.sampled_from(["all day", "morning", "lunch break", "off", "late"]), min_size=1, max_size=4),
    skills=st.lists(st.sampled_from([("a",), ("b",), ("a", "b")]), min_size=4, max_size=4),
)
def test_calls_follow_weimin_call_order(days, most, rosters, skills):
    # Random small days — windows of different skills and rosters, tickets arriving while others are
    # served, several replications side by side — against a plain loop that asks tickets.rules.call_order
    # for every call.
    shifts = {
        "all day": ((0, 7200),),
        "morning": ((0, 3000),),
        "lunch break": ((0, 1800), (3600, 7200)),
        "off": (),
        "late": ((2400, 7200),),
    }
    day = HallDay(
        slot_edges=(0, 3600, 7200),
        groups=(SkillGroup("a", (1, 1), TEN_MINUTES), SkillGroup("b", (1, 1), TEN_MINUTES)),
        windows=tuple(Window(str(w), frozenset(skills[w]), shifts[r]) for w, r in enumerate(rosters)),
        max_priority_in_row=most,
    )
    trace = run(day, tickets(days))
    for replication, visits in enumerate(days):
        expected = reference_calls(day, visits)
        np.testing.assert_array_equal(trace.called_at[replication, : len(visits)], [at for at, _ in expected])
        np.testing.assert_array_equal(trace.window[replication, : len(visits)], [w for _, w in expected])


def test_priority_alternation_at_one_window():
    # Five priority and three normal tickets wait when the window opens; at most two priority calls in a
    # row while normal tickets wait, each lane first come first served.
    visits = [(float(a), 0, p, 60.0) for a, p in enumerate([True, False, True, True, False, True, False, True])]
    day = small_day(windows=(Window("1", frozenset({"business"}), ((NINE + 600, NOON),)),), max_priority_in_row=2)
    visits = [(NINE + a, g, p, s) for a, g, p, s in visits]
    trace = run(day, tickets([visits]))
    order = np.argsort(trace.called_at[0]).tolist()
    assert order == [0, 2, 1, 3, 5, 4, 7, 6]  # P P N P P N P N
    assert trace.called_at[0].tolist() == [NINE + 600 + 60 * order.index(i) for i in range(8)]


def test_a_window_not_staffed_serves_nobody():
    day = small_day(
        windows=(
            Window("closed", frozenset({"business"}), ()),
            Window("ten to eleven", frozenset({"business"}), ((NINE + 3600, NINE + 7200),)),
        )
    )
    trace = run(day, draw_tickets(day, 50, seed=1))
    assert not (trace.window == 0).any()
    called = trace.called_at[trace.window == 1]
    assert called.size and (called >= NINE + 3600).all() and (called < NINE + 7200).all()
    # Nobody serves the group after eleven: those visitors are never called.
    alone = simulate(replace(day, windows=day.windows[:1]), replications=20, seed=1)
    assert alone.day.called.mean == 0 and alone.day.unserved.mean == alone.day.arrivals.mean > 0
    assert all(s.share_within_target.mean == 0 for s in alone.slots)


def test_no_tickets_after_the_cut_off_and_the_waiting_are_served_after_closing():
    day = replace(
        small_day(),
        slot_edges=slot_edges_between(NINE, HALF_PAST_SEVEN),
        groups=(SkillGroup("business", (12.0,) * 21, TEN_MINUTES),),  # more than one window can take
        windows=(Window("1", frozenset({"business"}), ((NINE, HALF_PAST_SEVEN),)),),
        last_ticket=seconds_of(time(19)),
    )
    trace = run(day, draw_tickets(day, 30, seed=2))
    issued = trace.tickets.group >= 0
    assert (trace.tickets.arrival[issued] < seconds_of(time(19))).all()
    assert (trace.called_at[issued] >= 0).all()  # every visitor called, the last well after closing
    assert np.nanmax(trace.called_at) > HALF_PAST_SEVEN + 3600
    result = simulate(day, replications=30, seed=2)
    assert [s.arrivals.mean for s in result.slots[-1:]] == [0.0]
    assert result.day.unserved.mean == 0


def test_same_seed_same_result_and_replications_independent_of_their_number():
    day = small_day(no_show_probability=0.1, no_show_seconds=90)
    assert simulate(day, replications=20, seed=5) == simulate(day, replications=20, seed=5)
    assert simulate(day, replications=20, seed=5) != simulate(day, replications=20, seed=6)
    assert simulate(day, replications=20, seed=5, processes=2) == simulate(day, replications=20, seed=5)
    some, third = draw_tickets(day, 5, seed=5), draw_tickets(day, 1, seed=5, first=2)
    count = int((third.group >= 0).sum())
    np.testing.assert_array_equal(some.arrival[2, :count], third.arrival[0, :count])
    np.testing.assert_array_equal(some.occupancy[2, :count], third.occupancy[0, :count])


def test_no_shows_hold_the_window_for_their_seconds():
    day = small_day(no_show_probability=0.3, no_show_seconds=45)
    drawn = draw_tickets(day, 200, seed=3)
    issued = drawn.group >= 0
    assert drawn.no_show[issued].mean() == pytest.approx(0.3, abs=0.03)
    assert (drawn.occupancy[drawn.no_show] == 45).all()
    result = simulate(day, replications=200, seed=3)
    assert result.day.no_shows.mean == pytest.approx(0.3 * result.day.called.mean, rel=0.1)


def test_handling_times_resampled_or_lognormal():
    rng = np.random.default_rng(1)
    recorded = HandlingTimes(tuple(float(s) for s in (120, 300, 600)) * 20)
    drawn = recorded.sampler()(rng, 5000)
    assert set(drawn) == {120.0, 300.0, 600.0}
    few = HandlingTimes((200.0, 400.0), cv=0.5)  # too few recorded: lognormal with the sample's mean
    drawn = few.sampler()(rng, 50_000)
    assert few.mean() == 300 and drawn.mean() == pytest.approx(300, rel=0.02)
    assert drawn.std() / drawn.mean() == pytest.approx(0.5, rel=0.05)


@pytest.mark.parametrize(
    "changes, parameter",
    [
        ({"slot_edges": (NINE,)}, "slot_edges"),
        ({"slot_edges": (NINE, NINE)}, "slot_edges"),
        ({"groups": ()}, "groups"),
        ({"groups": (SkillGroup("business", (1.0,), TEN_MINUTES),)}, "arrivals"),
        ({"groups": (SkillGroup("business", (-1.0,) * 6, TEN_MINUTES),)}, "arrivals"),
        ({"groups": (SkillGroup("business", (1.0,) * 6, TEN_MINUTES, priority_share=1.5),)}, "priority_share"),
        ({"groups": (SkillGroup("business", (1.0,) * 6, HandlingTimes()),)}, "handling"),
        ({"groups": (SkillGroup("business", (1.0,) * 6, HandlingTimes((0.0,))),)}, "sample_seconds"),
        ({"groups": (SkillGroup("business", (1.0,) * 6, HandlingTimes(mean_seconds=60, cv=-1)),)}, "cv"),
        ({"windows": (Window("1", frozenset({"tax"}), ((NINE, NOON),)),)}, "groups"),
        ({"windows": (Window("1", frozenset({"business"}), ((NOON, NINE),)),)}, "staffed"),
        ({"windows": (Window("1", frozenset({"business"}), ((NINE, NOON), (NINE + 60, NOON))),)}, "staffed"),
        ({"last_ticket": NOON + 60}, "last_ticket"),
        ({"no_show_probability": 1.0}, "no_show_probability"),
        ({"no_show_seconds": -5}, "no_show_seconds"),
        ({"wait_target_seconds": 0}, "wait_target_seconds"),
        ({"max_priority_in_row": -1}, "max_priority_in_row"),
    ],
)
def test_bad_inputs_name_the_parameter(changes, parameter):
    with pytest.raises(ValueError, match=parameter):
        simulate(small_day(**changes), replications=2)


def test_bad_run_parameters_name_the_parameter():
    with pytest.raises(ValueError, match="replications"):
        simulate(small_day(), replications=1)
    with pytest.raises(ValueError, match="processes"):
        simulate(small_day(), replications=2, processes=0)
    with pytest.raises(ValueError, match="seed"):
        simulate(small_day(), replications=2, seed=-1)
    with pytest.raises(ValueError, match="target_share"):
        simulate(small_day(), replications=2).short_slots(0)
    with pytest.raises(ValueError, match="target_share"):
        pooled_windows_by_simulation(small_day(), target_share=1.0)
    with pytest.raises(ValueError, match="requirement"):
        windows_for_requirement((0, 1800), (1, 2), "business")


def test_erlang_c_leaves_the_half_hours_after_a_peak_short_and_simulation_corrects_it():
    # A morning peak, handling times skewed as recorded ones are (cv 2: most visits short, a few very long),
    # 90 % to be called within 15 minutes. Erlang C staffs each half-hour as a steady state of its own, so
    # the windows it drops after the peak leave its backlog of long visits to fewer windows: the half-hours
    # after the peak fall short, those before it do not.
    edges = slot_edges_between(NINE, NOON)
    peak = SkillGroup("business", (6.0, 12.0, 30.0, 30.0, 6.0, 6.0), HandlingTimes(mean_seconds=600, cv=2.0))
    day = HallDay(edges, (peak,), ())
    erlang = erlang_windows(day, target_share=0.9)["business"]
    with_erlang = simulate(replace(day, windows=windows_for_requirement(edges, erlang, "business")), 300, seed=4)
    assert with_erlang.short_slots(0.9) and min(with_erlang.short_slots(0.9)) > 3  # only after the peak

    corrected = pooled_windows_by_simulation(day, target_share=0.9, replications=300, seed=4)  # one group: its own
    assert all(c >= e for c, e in zip(corrected, erlang, strict=True)) and corrected != erlang
    meets = simulate(replace(day, windows=windows_for_requirement(edges, corrected, "business")), 300, seed=4)
    assert meets.meets_target(0.9)


def test_the_fast_estimate_is_erlang_a_when_visitors_are_known_to_give_up():
    edges = slot_edges_between(NINE, NOON)
    group = SkillGroup("business", (20.0,) * 6, HandlingTimes(mean_seconds=900, cv=1.0))
    patient = HallDay(edges, (group,), ())
    impatient = replace(patient, patience_seconds=600.0)
    assert erlang_windows(patient)["business"] == (queueing.windows_needed(40, 15, 15, 0.8),) * 6
    assert erlang_windows(impatient)["business"] == (queueing.windows_needed(40, 15, 15, 0.8, 10),) * 6
    assert erlang_windows(impatient)["business"] < erlang_windows(patient)["business"]
    with pytest.raises(ValueError, match="patience_seconds"):
        simulate(replace(patient, patience_seconds=0.0), 1)


def test_pooled_windows_need_fewer_than_dedicated_ones_and_meet_the_target():
    # Three small groups through a morning: dedicated windows need one each even in the quiet half-hours,
    # general windows serving all three share the idle time.
    edges = slot_edges_between(NINE, NOON)
    groups = tuple(
        SkillGroup(name, (2.0, 3.0, 4.0, 4.0, 3.0, 2.0), HandlingTimes(mean_seconds=600, cv=1.0))
        for name in ("tax", "housing", "business")
    )
    day = HallDay(edges, groups, ())
    dedicated = {
        g.name: pooled_windows_by_simulation(replace(day, groups=(g,)), replications=200, seed=3) for g in groups
    }
    pooled = pooled_windows_by_simulation(day, replications=200, seed=3)
    added_up = [sum(per_slot) for per_slot in zip(*dedicated.values(), strict=True)]
    assert all(p <= d for p, d in zip(pooled, added_up, strict=True)) and sum(pooled) < sum(added_up)
    everything = frozenset(g.name for g in groups)
    staffed = replace(day, windows=windows_for_requirement(edges, pooled, "general", everything))
    assert simulate(staffed, 200, seed=3).meets_target(0.8)
    assert all(w.groups == everything for w in staffed.windows)
