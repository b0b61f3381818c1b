"""Each labour rule on both sides of its boundary, on hand-made rosters."""

from datetime import date, datetime, time, timedelta

import pytest

from weimin.planning.labour import (
    LabourRules,
    Shift,
    StaffMember,
    check_roster,
    due_minutes,
    week_overtime_minutes,
)

MONDAY = date(2017, 12, 4)


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def person(**fields) -> StaffMember:
    return StaffMember(**{"id": "wang", "name": "王芳", "skills": frozenset({"tax"}), **fields})


def rules_broken(shifts, member=None, **kwargs) -> list[tuple[str, str, date | None]]:
    return [(v.rule, v.staff, v.day) for v in check_roster(shifts, [member or person()], MONDAY, **kwargs)]


def shift(offset: int, start: str, end: str, break_minutes: int = 0, groups=("tax",)) -> Shift:
    return Shift("wang", day(offset), time.fromisoformat(start), time.fromisoformat(end), break_minutes, groups)


def test_a_lawful_week_breaks_nothing():
    week = [shift(d, "09:00", "17:30", 60) for d in range(5)]
    assert rules_broken(week) == []


def test_one_shift_a_day():
    assert rules_broken([shift(0, "09:00", "12:00")]) == []
    split = rules_broken([shift(0, "09:00", "12:00"), shift(0, "14:00", "17:00")])
    assert ("one_shift_a_day", "wang", day(0)) in split  # and the 2 h between them is no rest either


def test_daily_overtime_at_most_three_hours_beyond_eight():
    assert rules_broken([shift(0, "08:00", "19:00")]) == []  # 11 h
    assert rules_broken([shift(0, "08:00", "19:30", 30)]) == []  # 11 h after the break
    assert rules_broken([shift(0, "08:00", "19:30")]) == [("daily_overtime", "wang", day(0))]


def test_monthly_overtime_counts_what_the_month_already_holds():
    week = [shift(d, "08:00", "17:00") for d in range(5)]  # 9 h a day: 5 h overtime
    assert week_overtime_minutes(week, due=2400) == 300
    assert rules_broken(week, person(overtime_minutes_this_month=36 * 60 - 300)) == []
    assert rules_broken(week, person(overtime_minutes_this_month=36 * 60 - 299)) == [
        ("monthly_overtime", "wang", day(4))
    ]


def test_weekly_hours_beyond_the_contract_are_overtime():
    six_days = [shift(d, "09:00", "17:00") for d in range(6)]  # 48 h, never more than 8 h a day
    assert week_overtime_minutes(six_days, due=2400) == 480
    assert week_overtime_minutes(six_days, due=2880) == 0
    part_time = [shift(d, "09:00", "18:00") for d in range(3)]  # 27 h against 20 h: 7 h, not just the 3 daily
    assert week_overtime_minutes(part_time, due=1200) == 420
    member = person(contracted_minutes=1200, overtime_minutes_this_month=36 * 60 - 420)
    assert rules_broken(part_time, member) == []
    assert rules_broken(part_time + [shift(3, "09:00", "09:30")], member)[0][0] == "monthly_overtime"


def test_a_full_rest_day_each_week():
    six = [shift(d, "09:00", "13:00") for d in range(6)]
    assert rules_broken(six) == []
    assert rules_broken(six + [shift(6, "09:00", "13:00")]) == [("rest_day", "wang", None)]
    assert rules_broken(six, rules=LabourRules(rest_days_per_week=2)) == [("rest_day", "wang", None)]


def test_rest_between_shifts():
    assert rules_broken([shift(0, "13:00", "21:00"), shift(1, "08:00", "12:00")]) == []  # 11 h
    assert rules_broken([shift(0, "13:30", "21:30"), shift(1, "08:00", "12:00")]) == [
        ("rest_between_shifts", "wang", day(1))
    ]
    assert (
        rules_broken([shift(0, "13:30", "21:30"), shift(1, "08:00", "12:00")], rules=LabourRules(min_rest_minutes=600))
        == []
    )


def test_rest_after_last_weeks_last_shift():
    sunday_evening = datetime.combine(day(-1), time(21, 0))
    assert rules_broken([shift(0, "08:00", "12:00")], person(last_shift_end=sunday_evening)) == []
    assert rules_broken([shift(0, "07:30", "12:00")], person(last_shift_end=sunday_evening)) == [
        ("rest_between_shifts", "wang", day(0))
    ]


def test_a_person_covers_only_their_skill_groups():
    assert rules_broken([shift(0, "09:00", "12:00", groups=("tax",))]) == []
    assert rules_broken([shift(0, "09:00", "12:00", groups=("tax", "fire"))]) == [("skill", "wang", day(0))]


def test_no_shift_on_leave():
    member = person(leave_days=frozenset({day(1)}))
    assert rules_broken([shift(0, "09:00", "17:00"), shift(2, "09:00", "17:00")], member) == []
    assert rules_broken([shift(1, "09:00", "17:00")], member) == [("leave", "wang", day(1))]


def test_no_shift_over_an_unavailable_interval():
    doctor = (datetime.combine(day(2), time(7, 0)), datetime.combine(day(2), time(9, 0)))
    member = person(unavailable=(doctor,))
    assert rules_broken([shift(2, "09:00", "17:00")], member) == []  # starts as it ends
    assert rules_broken([shift(2, "08:30", "17:00")], member) == [("unavailable", "wang", day(2))]


def test_due_time_follows_holidays_and_leave():
    member = person(leave_days=frozenset({day(0), day(9)}))
    assert due_minutes(member, MONDAY) == 4 * 480
    assert due_minutes(member, MONDAY, working_days=4) == 3 * 480
    assert due_minutes(person(contracted_minutes=1200), MONDAY, working_days=6) == 1440


def test_every_violation_names_the_person():
    other = StaffMember("li", "李强", frozenset({"fire"}))
    shifts = [shift(0, "09:00", "12:00", groups=("fire",)), Shift("li", day(0), time(9), time(12), 0, ("fire",))]
    found = check_roster(shifts, [person(), other], MONDAY)
    assert [(v.rule, v.staff) for v in found] == [("skill", "wang")]
    assert "fire" in found[0].detail


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="not among the staff"):
        check_roster([Shift("zhao", day(0), time(9), time(12))], [person()], MONDAY)
    with pytest.raises(ValueError, match="outside the week"):
        check_roster([shift(7, "09:00", "12:00")], [person()], MONDAY)
    with pytest.raises(ValueError, match="ends before it starts"):
        shift(0, "12:00", "09:00")
    with pytest.raises(ValueError, match="break_minutes"):
        shift(0, "09:00", "10:00", 60)
    with pytest.raises(ValueError, match="min_rest_minutes"):
        LabourRules(min_rest_minutes=-1)
    with pytest.raises(ValueError, match="contracted_minutes"):
        person(contracted_minutes=-1)
