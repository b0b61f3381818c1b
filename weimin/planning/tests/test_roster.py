"""The CP-SAT roster on small weeks: every roster it returns passes the independent labour check."""

import threading
from datetime import date, datetime, time, timedelta

import pytest

from weimin.planning.labour import LabourRules, Preference, StaffMember, check_roster, week_overtime_minutes
from weimin.planning.roster import (
    FreeShifts,
    OpeningDay,
    RequiredWindows,
    Roster,
    RosterProblem,
    ShiftPattern,
    Week,
    headcount_answer,
    solve_roster,
)

MONDAY = date(2017, 12, 4)
WEEKDAYS = frozenset(range(5))
EARLY = ShiftPattern("early", time(9), time(17, 30), 60, time(12), weekdays=WEEKDAYS)
LATE = ShiftPattern("late", time(11), time(19, 30), 60, time(13), evening=True, weekdays=WEEKDAYS)
SATURDAY = ShiftPattern("saturday", time(9), time(13), saturday=True, weekdays=frozenset({5}))
PATTERNS = (EARLY, LATE, SATURDAY)


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def hall_week(days=range(5), saturday=True) -> Week:
    opening = [OpeningDay(day(d), time(9), time(19, 30)) for d in days]
    if saturday:
        opening.append(OpeningDay(day(5), time(9), time(13)))
    return Week(MONDAY, tuple(opening))


def flat(week: Week, windows: dict[str, int]) -> tuple[RequiredWindows, ...]:
    return tuple(
        RequiredWindows(opening.day, time(start // 60, start % 60), group, count)
        for opening in week.days
        for start in opening.half_hours
        for group, count in windows.items()
    )


def clerk(name: str, *skills: str, **fields) -> StaffMember:
    return StaffMember(name, name, frozenset(skills or {"tax"}), **fields)


def solved(problem: RosterProblem, **kwargs) -> Roster:
    roster = solve_roster(problem, time_limit_seconds=kwargs.pop("time_limit_seconds", 10), **kwargs)
    assert check_roster(roster.shifts, problem.staff, MONDAY, problem.rules, problem.week.working_days) == []
    for plan in roster.staff:
        own = [s for s in roster.shifts if s.staff == plan.staff]
        assert plan.overtime_minutes == week_overtime_minutes(own, plan.due_minutes, problem.rules)
        assert plan.planned_minutes == sum(s.span_minutes - s.break_minutes for s in own)
    for shift in roster.shifts:  # the half-hours it covers are its span less its break
        assert len(shift.cover) * 30 == shift.span_minutes - shift.break_minutes
    return roster


def test_covers_a_requirement_it_can_and_reports_the_gap():
    week = hall_week()
    problem = RosterProblem(week, flat(week, {"tax": 2}), tuple(clerk(f"c{i}") for i in range(6)), PATTERNS)
    roster = solved(problem)
    assert roster.short_half_hours == 0
    assert all(i.rostered >= i.required for i in roster.coverage)
    report = roster.solver
    assert report.status == "OPTIMAL"
    assert report.bound <= report.objective
    assert report.gap == pytest.approx((report.objective - report.bound) / max(1, abs(report.objective)))
    assert report.gap == 0 and report.seconds > 0 and report.solutions >= 1


def test_reports_a_shortage_it_cannot_cover():
    week = hall_week(days=range(1), saturday=False)
    problem = RosterProblem(week, flat(week, {"tax": 3}), (clerk("a"), clerk("b")), PATTERNS)
    roster = solved(problem)
    # Two people cover at most two windows; before 11:00 and after 17:30 only one shift is there at all.
    assert roster.short_half_hours == sum(i.required - i.rostered for i in roster.coverage)
    assert roster.short_half_hours == 3 * 21 - 2 * 15  # each shift works 15 of the day's 21 half-hours
    assert roster.short_staff_hours == roster.short_half_hours / 2
    assert roster.shortage_by_group() == {"tax": roster.short_half_hours}


def test_overtime_covers_a_gap_within_the_daily_limit():
    week = hall_week(days=range(1), saturday=False)
    long_day = ShiftPattern("long", time(9), time(19, 30), 60, time(12, 30))  # 9.5 h: 1.5 h overtime
    problem = RosterProblem(
        week, flat(week, {"tax": 1}), (clerk("a"), clerk("b", overtime_minutes_this_month=2160)), (EARLY, long_day)
    )
    roster = solved(problem)
    assert [(s.staff, s.pattern) for s in roster.shifts if s.pattern == "long"] == [("a", "long")]
    assert {p.staff: p.overtime_minutes for p in roster.staff}["a"] == 90
    assert {p.staff: p.overtime_minutes for p in roster.staff}["b"] == 0  # no allowance left this month


def test_gives_everyone_a_rest_day_in_a_seven_day_week():
    week = Week(MONDAY, tuple(OpeningDay(day(d), time(9), time(13)) for d in range(7)))
    short = ShiftPattern("morning", time(9), time(13))
    problem = RosterProblem(week, flat(week, {"tax": 1}), (clerk("a"),), (short,))
    roster = solved(problem)
    assert len(roster.shifts) == 6
    assert roster.short_half_hours == 8
    two_off = RosterProblem(week, problem.requirement, problem.staff, (short,), LabourRules(rest_days_per_week=2))
    assert len(solved(two_off).shifts) == 5


def test_respects_leave_unavailability_and_skills():
    week = hall_week(saturday=False)
    doctor = (datetime.combine(day(3), time(8)), datetime.combine(day(3), time(12)))
    staff = (
        clerk("a", "tax", leave_days=frozenset({day(1)})),
        clerk("b", "tax", unavailable=(doctor,)),
        clerk("c", "fire"),
        clerk("d", "fire", "tax"),
    )
    problem = RosterProblem(week, flat(week, {"tax": 2, "fire": 1}), staff, PATTERNS)
    roster = solved(problem)
    assert not [s for s in roster.shifts if s.staff == "a" and s.day == day(1)]
    assert [s.pattern for s in roster.shifts if s.staff == "b" and s.day == day(3)] in ([], ["late"])
    assert {g for s in roster.shifts if s.staff == "c" for _, g in s.cover} == {"fire"}
    served = {g for s in roster.shifts if s.staff == "d" for _, g in s.cover}
    assert served <= {"fire", "tax"}


def test_rest_between_shifts_with_free_starts():
    week = Week(MONDAY, (OpeningDay(day(0), time(7), time(22)), OpeningDay(day(1), time(7), time(22))))
    need = (
        RequiredWindows(day(0), time(21, 30), "tax", 1),
        RequiredWindows(day(1), time(7, 0), "tax", 1),
    )
    free = FreeShifts(min_minutes=240, max_minutes=480)
    roster = solved(RosterProblem(week, need, (clerk("a"),), free))
    assert roster.short_half_hours == 1  # 22:00 to 07:00 is only 9 h
    rested = RosterProblem(week, need, (clerk("a"),), free, LabourRules(min_rest_minutes=9 * 60))
    assert solved(rested).short_half_hours == 0


def test_fairness_moves_evening_duty_to_whoever_had_fewest():
    week = hall_week(days=range(1), saturday=False)
    need = flat(week, {"tax": 1})
    for tired, fresh in (("a", "b"), ("b", "a")):
        staff = (clerk(tired, recent_evening_sessions=3), clerk(fresh, recent_evening_sessions=0))
        roster = solved(RosterProblem(week, need, staff, PATTERNS))
        assert [s.staff for s in roster.shifts if s.evening] == [fresh]


def test_saturdays_shared_over_four_weeks():
    week = hall_week(days=(), saturday=True)
    staff = tuple(clerk(n, recent_saturday_sessions=k) for n, k in (("a", 2), ("b", 1), ("c", 3)))
    roster = solved(RosterProblem(week, flat(week, {"tax": 1}), staff, PATTERNS))
    assert [(s.staff, s.saturday) for s in roster.shifts] == [("b", True)]
    assert {p.staff: p.saturday_sessions for p in roster.staff} == {"a": 0, "b": 1, "c": 0}


def test_comp_time_goes_to_the_highest_balance():
    week = Week(MONDAY, hall_week(days=range(1), saturday=False).days, working_days=1)  # 8 h due
    staff = (clerk("a", comp_time_minutes=600), clerk("b", comp_time_minutes=3000), clerk("c"))
    roster = solved(RosterProblem(week, flat(week, {"tax": 1}), staff, (EARLY, LATE)))
    assert sorted(s.staff for s in roster.shifts) == ["a", "c"]  # b, owed most, takes the day off
    assert {p.staff: p.comp_time_minutes for p in roster.staff}["b"] == 480


def test_preferences_are_kept_when_they_cost_no_coverage():
    week = hall_week(days=range(1), saturday=False)
    need = flat(week, {"tax": 1})
    staff = (clerk("a", preferences=(Preference(False, pattern="early"),)), clerk("b"))
    roster = solved(RosterProblem(week, need, staff, (EARLY, LATE)))
    assert {(s.staff, s.pattern) for s in roster.shifts} == {("a", "late"), ("b", "early")}
    assert all(p.unmet_preferences == 0 for p in roster.staff)


def test_progress_is_reported_and_a_stop_keeps_the_best_roster_so_far():
    week = hall_week()
    problem = RosterProblem(
        week, flat(week, {"tax": 3, "fire": 2}), tuple(clerk(f"c{i}", "tax", "fire") for i in range(12)), PATTERNS
    )
    stop, seen = threading.Event(), []

    def on_progress(progress):
        seen.append(progress)
        if len(seen) == 3:
            stop.set()

    roster = solved(problem, on_progress=on_progress, stop=stop)
    assert all(p.objective >= p.bound for p in seen)
    assert [p.objective for p in seen] == sorted((p.objective for p in seen), reverse=True)
    assert roster.solver.status in ("FEASIBLE", "OPTIMAL") and roster.shifts
    assert roster.solver.objective == seen[-1].objective
    assert roster.solver.solutions == len(seen)

    stop.set()  # before the search: it ends at once, with or without a roster
    early = solved(problem, stop=stop)
    assert early.solver.seconds < 2 and early.solver.status in ("UNKNOWN", "FEASIBLE", "OPTIMAL")


def test_a_gap_limit_ends_the_search_once_reached():
    week = hall_week()
    staff = tuple(clerk(f"c{i}", "tax", "fire") for i in range(12))
    roster = solved(RosterProblem(week, flat(week, {"tax": 3, "fire": 2}), staff, PATTERNS), gap_limit=0.5)
    assert roster.solver.gap <= 0.5 and roster.shifts


def test_headcount_when_staff_suffice():
    week = hall_week(days=range(1), saturday=False)
    problem = RosterProblem(week, flat(week, {"tax": 1}), (clerk("a"), clerk("b")), PATTERNS)
    today = solve_roster(problem, time_limit_seconds=10)
    answer = headcount_answer(problem, time_limit_seconds=10, today=today)
    assert answer.roster is today  # not solved again
    assert answer.sufficient and answer.short_half_hours == 0 and answer.additional_staff == {}
    assert answer.overtime_minutes == 0


def test_headcount_names_the_fewest_hires_by_group():
    week = hall_week(days=range(2), saturday=False)
    staff = (clerk("a", "tax"), clerk("b", "tax", "fire"))
    answer = headcount_answer(
        RosterProblem(week, flat(week, {"tax": 2, "fire": 1}), staff, PATTERNS), time_limit_seconds=10
    )
    assert not answer.sufficient and answer.short_half_hours > 0
    # Three windows open 10.5 h need six early/late shifts a day: four more people, whatever their group mix.
    assert sum(answer.additional_staff.values()) == 4
    assert answer.remaining_short_half_hours == 0 and answer.search.status == "OPTIMAL"
    extended = answer.extended
    hires = [
        StaffMember(p.staff, p.staff, frozenset({p.staff.split(":")[1]}))
        for p in extended.staff
        if p.staff.startswith("extra:")
    ]
    assert check_roster(extended.shifts, staff + tuple(hires), MONDAY) == []


def test_bad_problems_are_refused():
    week = hall_week(days=range(1), saturday=False)
    with pytest.raises(ValueError, match="works more than"):
        RosterProblem(week, (), (clerk("a"),), (ShiftPattern("marathon", time(8), time(20)),))
    with pytest.raises(ValueError, match="closed"):
        RosterProblem(week, (RequiredWindows(day(0), time(20), "tax", 1),), (clerk("a"),), PATTERNS)
    with pytest.raises(ValueError, match="half-hour"):
        ShiftPattern("odd", time(9, 15), time(12))
    with pytest.raises(ValueError, match="Monday"):
        Week(day(1), ())
    with pytest.raises(ValueError, match="gap_limit"):
        solve_roster(RosterProblem(week, (), (clerk("a"),), PATTERNS), gap_limit=1)
    with pytest.raises(ValueError, match="time_limit_seconds"):
        solve_roster(RosterProblem(week, (), (clerk("a"),), PATTERNS), time_limit_seconds=0)
