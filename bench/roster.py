"""Roster benchmark (issue 12, point 3): the district hall's week by weimin's CP-SAT roster against pyworkforce 0.5.1.

    .venv/bin/python bench/roster.py                          # 60 s each, 8 workers, with the headcount answer
    .venv/bin/python bench/roster.py --time-limit 20 --no-headcount   # quicker
    .venv/bin/python bench/roster.py --staff 24                # too few: the headcount answer names the hires
    .venv/bin/python bench/roster.py --free 30 --no-headcount  # free starts on the half-hour instead of patterns
    .venv/bin/python bench/roster.py --before                  # the same staff and visitors before the extension

The demo district hall (龙岗区行政服务大厅, ``weimin.demo.data``): its 29 windows in 7 skill groups (item categories),
35 staff (synthetic, seeded: a primary group each in proportion to the windows, every third person a second group,
two part-timers, leave, a training afternoon, overtime already worked this month, 补休 balances, evening and Saturday
sessions of the previous three weeks, a few preferences), the week of Monday 2017-12-04, open Monday–Friday
09:00–19:30 and Saturday 09:00–13:00, in half-hours. Arrivals: ``--tickets`` a weekday (1,000, as in
``bench/analytics.py``) times the same weekday factors, Saturday 0.45; shared among the categories and over the day
by a two-peak profile; the requirement per half-hour and group is the Erlang C ``windows_needed``
(``weimin.analytics.queueing``) for 80 % of visitors called within 15 minutes at the category's mean handling time,
at most the group's windows. Shift patterns the manager might define: two early and two late shifts with staggered
breaks, an evening shift, a long day with overtime, Saturday morning.

In the same run, the same requirement and patterns go to pyworkforce 0.5.1: ``MinRequiredResources`` (how many of
each shift a day, no people, no skills: the requirement summed over groups) and then ``MinHoursRoster`` (35 named
people to those shifts, leave as banned shifts; it has no skills, weekly cap, overtime allowance or fairness). Its
roster's group coverage is computed as generously as possible (a maximum matching of the people at work to the
groups they can serve, per half-hour), and it is put through the same labour check (``weimin.planning.labour``).

Printed side by side: solver status, gap and seconds; the required window-hours, covered share, shortage and
surplus; people and person-hours; overtime; labour-rule violations; fairness of evening and Saturday duty over four
weeks (max − min and standard deviation of each person's count). Then the headcount answer for the same week, from
the roster just made.
pyworkforce sets ``num_search_workers`` on the solver object, which CP-SAT ignores, so it runs with CP-SAT's default
workers; the time limit is the same for both.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time as clock
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# In place of this script's folder, whose queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimin.test_settings")  # the demo's model needs its apps, no database
django.setup()

from weimin.analytics.queueing import windows_needed  # noqa: E402
from weimin.demo import data, history  # noqa: E402
from weimin.halls.choices import HallKind  # noqa: E402
from weimin.planning.labour import (  # noqa: E402
    Preference,
    StaffMember,
    check_roster,
    due_minutes,
    week_overtime_minutes,
)
from weimin.planning.roster import (  # noqa: E402
    FreeShifts,
    OpeningDay,
    RequiredWindows,
    Roster,
    RosteredShift,
    RosterProblem,
    ShiftPattern,
    Week,
    headcount_answer,
    solve_roster,
)

MONDAY = date(2017, 12, 4)
# The demo's demand model (weimin/demo/history.py): each category's windows draw visitors at the district hall's
# UTILISATION of their capacity, by weekday, Friday afternoon, half-hour shape (the hall closes 12:00–14:00 on
# weekdays), evening mix by category, and the growth since the extended hours began (six weeks before MONDAY).
UTILISATION = history.UTILISATION[HallKind.DISTRICT]
GROWTH = (1 + history.WEEKLY_GROWTH) ** 6
TARGET_MINUTES, TARGET_SHARE = 15, 0.8
WEEKDAYS = frozenset(range(5))
PATTERNS = (
    ShiftPattern("early", time(9), time(17, 30), 60, time(12), weekdays=WEEKDAYS),
    ShiftPattern("day", time(9), time(18), 60, time(12), weekdays=WEEKDAYS),
    ShiftPattern("late", time(11), time(19, 30), 30, time(12), evening=True, weekdays=WEEKDAYS),
    ShiftPattern("evening", time(14), time(19, 30), evening=True, weekdays=WEEKDAYS),
    ShiftPattern("long-day", time(9), time(19, 30), 90, time(12), evening=True, weekdays=WEEKDAYS),
    ShiftPattern("morning", time(9), time(13), weekdays=WEEKDAYS),
    ShiftPattern("saturday", time(9), time(13), saturday=True, weekdays=frozenset({5})),
)


def hall_week(before: bool = False) -> Week:
    """The week with the extended hours, or (``before``) the hours before 2017-10-23: weekdays to 18:00, no
    Saturday."""
    closes = time(18) if before else time(19, 30)
    days = [OpeningDay(MONDAY + timedelta(days=d), time(9), closes) for d in range(5)]
    if not before:
        days.append(OpeningDay(MONDAY + timedelta(days=5), time(9), time(13)))
    return Week(MONDAY, tuple(days))


def requirement(week: Week, demand: float, growth: float = GROWTH) -> tuple[RequiredWindows, ...]:
    """Erlang C windows per half-hour and group for the demo's arrivals × ``demand``, at most the group's windows."""
    handling = defaultdict(list)
    for item in data.ITEMS:
        handling[item.category].append(item.handling_minutes)
    needs = []
    for opening in week.days:
        weekday = opening.day.weekday()
        for start in opening.half_hours:
            moment = time(start // 60, start % 60)
            shape = (
                history.DAY_SHAPE.get(f"{moment:%H:%M}", 0.0)
                if weekday == 5 or not time(12) <= moment < time(14)
                else 0
            )
            for group, windows in data.DISTRICT_WINDOWS.items():
                mean = statistics.fmean(handling[group])
                per_hour = demand * UTILISATION * windows * 60 / mean * growth * history.WEEKDAY_DEMAND[weekday] * shape
                if weekday == 4 and moment >= time(14):
                    per_hour *= history.FRIDAY_AFTERNOON
                if moment >= history.EVENING_STARTS:
                    per_hour *= history.EVENING_CATEGORY[group]
                count = min(windows_needed(per_hour, mean, TARGET_MINUTES, TARGET_SHARE), windows) if per_hour else 0
                needs.append(RequiredWindows(opening.day, moment, group, count))
    return tuple(needs)


def staff(seed: int, count: int) -> tuple[StaffMember, ...]:
    rng = random.Random(seed)
    groups = list(data.DISTRICT_WINDOWS)
    primary = [g for g, windows in data.DISTRICT_WINDOWS.items() for _ in range(windows)]
    primary = (
        rng.sample(primary, count) if count < len(primary) else primary + rng.choices(groups, k=count - len(primary))
    )
    people = []
    for k, group in enumerate(primary):
        skills = {group}
        if k % 3 == 2:
            skills.add(rng.choice([g for g in groups if g != group]))
        leave = frozenset({MONDAY + timedelta(days=rng.randrange(5))}) if k % 11 == 4 else frozenset()
        if k == 7:
            leave = frozenset(MONDAY + timedelta(days=d) for d in range(2, 5))
        unavailable = ()
        if k == 12:  # a training afternoon
            unavailable = ((datetime.combine(MONDAY + timedelta(days=1), time(14)),
                            datetime.combine(MONDAY + timedelta(days=1), time(18))),)  # fmt: skip
        wishes = ()
        if k % 9 == 1:
            wishes = (Preference(False, day=MONDAY + timedelta(days=rng.randrange(5))),)
        elif k % 9 == 5:
            wishes = (Preference(False, pattern="evening"),)
        people.append(
            StaffMember(
                id=f"s{k + 1:02d}",
                name=f"窗口{k + 1:02d}",
                skills=frozenset(skills),
                contracted_minutes=1200 if k in (10, 25) else 2400,
                leave_days=leave,
                unavailable=unavailable,
                overtime_minutes_this_month=2100 if k == 3 else rng.randrange(0, 1200, 30),
                comp_time_minutes=rng.randrange(0, 2400, 30),
                recent_evening_sessions=rng.randrange(0, 7),
                recent_saturday_sessions=rng.randrange(0, 3),
                preferences=wishes,
            )
        )
    return tuple(people)


def matched_coverage(working: list[frozenset[str]], needed: dict[str, int]) -> int:
    """The most required windows the people at work can fill: a maximum bipartite matching (Kuhn's augmenting
    paths) of people to the windows of the groups they serve."""
    seats = [group for group, count in needed.items() for _ in range(count)]
    holder: dict[int, int] = {}

    def place(person: int, seen: set[int]) -> bool:
        for seat, group in enumerate(seats):
            if group in working[person] and seat not in seen:
                seen.add(seat)
                if seat not in holder or place(holder[seat], seen):
                    holder[seat] = person
                    return True
        return False

    return sum(place(person, set()) for person in range(len(working)))


def summary(name, shifts, people, week, needs, patterns, solver_line, coverage=None) -> dict:
    """The figures compared, for a roster (``shifts``) of ``people``; ``coverage`` (day, start, group) → windows
    filled, else the best matching."""
    required = {(n.day, n.start, n.group): n.windows for n in needs}
    skills = {p.id: p.skills for p in people}
    if coverage is None:
        coverage = {}
        at_work: dict[tuple[date, time], list[frozenset[str]]] = defaultdict(list)
        for shift in shifts:
            pattern = next(p for p in patterns if p.name == shift.pattern)
            for start in pattern.covered:
                at_work[(shift.day, time(start // 60, start % 60))].append(skills[shift.staff])
        for (day, start), working in at_work.items():
            needed = {g: w for (d, s, g), w in required.items() if d == day and s == start}
            coverage[(day, start)] = (matched_coverage(working, needed), len(working))
    need_total = sum(required.values())
    covered = sum(filled for filled, _ in coverage.values())
    worked = sum(at_work for _, at_work in coverage.values())
    by_person = defaultdict(list)
    for shift in shifts:
        by_person[shift.staff].append(shift)
    overtime = [week_overtime_minutes(by_person[p.id], due_minutes(p, week.start, week.working_days)) for p in people]
    evenings = [p.recent_evening_sessions + sum(s.evening for s in by_person[p.id]) for p in people]
    saturdays = [p.recent_saturday_sessions + sum(s.saturday for s in by_person[p.id]) for p in people]
    violations = Counter(v.rule for v in check_roster(shifts, people, week.start, working_days=week.working_days))
    return {
        "name": name,
        "solver": solver_line,
        "required window-h": need_total / 2,
        "covered": f"{covered / need_total:.1%}",
        "short window-h": (need_total - covered) / 2,
        "surplus window-h": f"{(worked - covered) / 2} ({(worked - covered) / need_total:.0%})",
        "people rostered": len(by_person),
        "person-hours": sum(s.span_minutes - s.break_minutes for s in shifts) / 60,
        "overtime h (max/person)": f"{sum(overtime) / 60:.1f} ({max(overtime) / 60:.1f})",
        "labour violations": ", ".join(f"{rule} {n}" for rule, n in sorted(violations.items())) or "none",
        "evenings 4 wk max−min (sd)": f"{max(evenings) - min(evenings)} ({statistics.pstdev(evenings):.2f})",
        "Saturdays 4 wk max−min (sd)": f"{max(saturdays) - min(saturdays)} ({statistics.pstdev(saturdays):.2f})",
    }


def run_weimin(problem: RosterProblem, args) -> tuple[Roster, dict]:
    shown, within = [-10.0], []

    def progress(p):
        if p.gap <= 0.01 and not within:
            within.append(p.seconds)
        if p.seconds - shown[0] >= 2 or p.gap <= 0.01:  # a line every 2 s at most, and each one within 1 %
            shown[0] = p.seconds
            print(
                f"  {p.seconds:6.1f} s  objective {p.objective:,.0f}  bound {p.bound:,.0f}  gap {p.gap:.2%}", flush=True
            )

    print(f"weimin CP-SAT ({args.workers} workers, {args.time_limit:.0f} s):", flush=True)
    roster = solve_roster(problem, time_limit_seconds=args.time_limit, num_workers=args.workers, on_progress=progress)
    report = roster.solver
    coverage = defaultdict(lambda: [0, 0])
    for interval in roster.coverage:
        coverage[(interval.day, interval.start)][0] += min(interval.rostered, interval.required)
        coverage[(interval.day, interval.start)][1] += interval.rostered
    line = f"{report.status} gap {report.gap:.2%} {report.seconds:.1f} s"
    if within:
        line += f" (≤ 1 % at {within[0]:.1f} s)"
    return roster, summary(
        "weimin", roster.shifts, problem.staff, problem.week, problem.requirement, (), line, coverage
    )


def run_pyworkforce(problem: RosterProblem, args) -> list[dict]:
    from pyworkforce.rostering import MinHoursRoster
    from pyworkforce.scheduling import MinRequiredResources

    week, people, patterns = problem.week, problem.staff, problem.patterns
    day_starts = list(week.days[0].half_hours)  # the longest day's half-hours; Saturday needs none after 13:00
    totals = defaultdict(int)
    for need in problem.requirement:
        totals[(need.day, need.start.hour * 60 + need.start.minute)] += need.windows
    required = [[totals[(o.day, start)] for start in day_starts] for o in week.days]
    coverage = {p.name: [int(start in p.covered) for start in day_starts] for p in patterns}
    began = clock.perf_counter()
    scheduler = MinRequiredResources(
        num_days=len(week.days),
        periods=len(day_starts),
        shifts_coverage=coverage,
        required_resources=required,
        max_period_concurrency=len(people),
        max_shift_concurrency=len(people),
        cost_dict={p.name: p.working_minutes // 30 for p in patterns},  # person-half-hours, as weimin counts them
        max_search_time=float(args.time_limit),
    )
    shifts_needed = scheduler.solve()
    seconds = clock.perf_counter() - began
    if shifts_needed["status"] not in ("OPTIMAL", "FEASIBLE"):  # it cannot leave a half-hour short
        line = f"{shifts_needed['status']} {seconds:.1f} s"
        print(f"pyworkforce MinRequiredResources: {line}", flush=True)
        return [{"name": "pyworkforce MinRequiredResources", "solver": line}]
    per_day = defaultdict(int)
    for row in shifts_needed["resources_shifts"]:
        per_day[row["day"]] += row["resources"]
    offered = sum(row["resources"] * sum(coverage[row["shift"]]) for row in shifts_needed["resources_shifts"])
    need_total = sum(map(sum, required))
    first = {
        "name": "pyworkforce MinRequiredResources",
        "solver": f"{shifts_needed['status']} {seconds:.1f} s",
        "required window-h": need_total / 2,
        "covered": "100% of the total (no groups)",
        "surplus window-h": f"{(offered - need_total) / 2} ({(offered - need_total) / need_total:.0%})",
        "shifts a day (max)": max(per_day.values()),
        "person-hours": sum(
            row["resources"] * next(p for p in patterns if p.name == row["shift"]).working_minutes
            for row in shifts_needed["resources_shifts"]
        )
        / 60,
    }
    print(f"pyworkforce MinRequiredResources: {first['solver']}, at most {first['shifts a day (max)']} shifts a day")
    banned = [
        {"resource": p.id, "shift": pattern.name, "day": d}
        for p in people
        for d, opening in enumerate(week.days)
        for pattern in patterns
        if opening.day in p.leave_days
    ]
    per_shift = {p.name: [0] * len(week.days) for p in patterns}
    for row in shifts_needed["resources_shifts"]:
        per_shift[row["shift"]][row["day"]] = row["resources"]
    began = clock.perf_counter()
    rostering = MinHoursRoster(
        num_days=len(week.days),
        resources=[p.id for p in people],
        shifts=[p.name for p in patterns],
        shifts_hours=[p.working_minutes // 30 for p in patterns],  # half-hours: it needs integers
        min_working_hours=0,
        banned_shifts=banned,
        max_resting=len(week.days),
        required_resources=per_shift,
        max_search_time=float(args.time_limit),
    )
    solution = rostering.solve()
    seconds = clock.perf_counter() - began
    line = f"{solution['status']} {seconds:.1f} s"
    print(f"pyworkforce MinHoursRoster: {line}", flush=True)
    if solution["status"] not in ("OPTIMAL", "FEASIBLE"):
        return [first, {"name": "pyworkforce MinHoursRoster", "solver": line}]
    pattern_of = {p.name: p for p in patterns}
    shifts = [
        RosteredShift(
            row["resource"],
            day,
            shape.start,
            shape.end,
            shape.break_minutes,
            pattern=shape.name,
            evening=shape.evening,
            saturday=shape.saturday or day.weekday() == 5,
        )
        for row in solution["resource_shifts"]
        for day, shape in [(week.days[row["day"]].day, pattern_of[row["shift"]])]
    ]
    return [first, summary("pyworkforce MinHoursRoster", shifts, people, week, problem.requirement, patterns, line)]


def print_table(rows: list[dict]) -> None:
    keys = list(dict.fromkeys(k for row in rows for k in row if k != "name"))
    width = max(map(len, keys)) + 2
    columns = [max(len(str(row.get(k, ""))) for k in [*keys, "name"]) + 2 for row in rows]
    print("".ljust(width) + "".join(str(row["name"]).ljust(c) for row, c in zip(rows, columns, strict=True)))
    for key in keys:
        print(key.ljust(width) + "".join(str(row.get(key, "—")).ljust(c) for row, c in zip(rows, columns, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demand", type=float, default=1.0, help="arrivals × the demo's (1: about 390 a weekday)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each solve")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--staff", type=int, default=data.DISTRICT_STAFF, help="window staff (the demo hall's 35)")
    parser.add_argument("--free", type=int, metavar="STEP", help="free starts every STEP minutes, not the patterns")
    parser.add_argument("--before", action="store_true", help="the hours before 2017-10-23 (to 18:00, no Saturday)")
    parser.add_argument("--no-headcount", dest="headcount", action="store_false")
    args = parser.parse_args()
    week = hall_week(args.before)
    shifts = PATTERNS
    if args.free:  # the lunch closure is everyone's break
        shifts = FreeShifts(min_minutes=240, max_minutes=630, step_minutes=args.free, break_from=time(12))
    needs = requirement(week, args.demand, 1.0 if args.before else GROWTH)
    problem = RosterProblem(week, needs, staff(args.seed, args.staff), shifts)
    needed = sum(n.windows for n in problem.requirement) / 2
    print(
        f"district hall, week of {MONDAY}: {len(problem.staff)} staff, {len(problem.patterns)} patterns, "
        f"{needed:.0f} window-hours required (demand × {args.demand})",
        flush=True,
    )
    today, row = run_weimin(problem, args)
    rows = [row, *run_pyworkforce(problem, args)]
    print()
    print_table(rows)
    if args.headcount:
        print(f"\nheadcount answer ({args.time_limit:.0f} s a search):", flush=True)
        answer = headcount_answer(problem, time_limit_seconds=args.time_limit, num_workers=args.workers, today=today)
        if answer.sufficient:
            print(f"  current staff suffice: {answer.overtime_minutes / 60:.1f} h overtime (owed as 补休), "
                  f"{answer.comp_time_minutes / 60:.1f} h 补休 granted")  # fmt: skip
        else:
            search = answer.search
            print(
                f"  short {answer.short_half_hours} window-half-hours = {answer.short_staff_hours:.1f} staff-hours; "
                f"overtime {answer.overtime_minutes / 60:.1f} h; additional staff {answer.additional_staff} "
                f"(total {sum(answer.additional_staff.values())}) leave {answer.remaining_short_half_hours} short; "
                f"{search.status} gap {search.gap:.2%} {search.seconds:.1f} s"
            )


if __name__ == "__main__":
    main()
