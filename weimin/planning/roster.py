"""The week's roster of a hall (排班) by constraint programming (OR-Tools CP-SAT), and the headcount answer — no Django.

**Time.** A week is the 7 calendar days from its Monday; the hall opens on some of them (closed days, such as public
holidays, are simply absent) and the day is cut into half-hours. Shifts start and end on the half-hour; a shift's break
is placed at a fixed half-hour (the pattern's ``break_start``, else the middle of the shift) and its half-hours cover
nothing.

**Decisions.** ``x[i, d, p] = 1`` when person ``i`` works shift pattern ``p`` on day ``d`` (patterns the manager
defines, or every start on the half-hour with a length between a minimum and a maximum, :class:`FreeShifts`, turned
into patterns). A
person with several skill groups (item categories) also chooses, for each half-hour worked, the one group they serve;
with one group the choice is implied.

**Hard rules** (:class:`weimin.planning.labour.LabourRules`): at most one shift a day; none on a leave day or
overlapping an unavailable interval; a day's working time (span less break) at most regular + daily overtime (8 + 3 h);
the week's overtime ``max(Σ_d max(0, worked_d − 8 h), worked − due)`` plus what the duty records show for the month at
most 36 h; at least one calendar day without a shift; at least 11 h between shifts (also after last week's last
shift); a person covers only their groups. ``due`` is the contract pro rata
(:func:`weimin.planning.labour.due_minutes`).

**Objective** (minimised; every weight a field of :class:`ObjectiveWeights`, defaults in brackets), lexicographic in
effect because the weights are far apart:

- shortage: each window-half-hour below the requirement [100,000] — far above everything else, so nothing is traded
  for coverage except the hard rules;
- overtime: each minute [100] — overtime is used to cover, never to over-cover;
- fairness over a rolling four weeks: for evening and Saturday sessions separately, ``Σ_i (recent_i + n_i)² −
  recent_i²`` [1,000 per unit], the sum of squares of each person's four-week count (this week's ``n_i`` added to the
  previous three weeks), linearised exactly by ordered booleans ``n_i ≥ k`` whose marginal cost ``2(recent_i + k) − 1``
  grows with ``k``; minimising a sum of squares at a fixed total evens the counts, and the next session goes to whoever
  has had fewest;
- idle contract time: each minute of due time neither rostered nor granted as 补休 [20];
- surplus: each window-half-hour above the requirement [300, i.e. 10 a minute] — cheaper than idle time, so a person
  is rostered rather than left idle, unless they can take 补休;
- 补休 (comp time) granted, at most the person's balance: each minute costs between 1 and [9], least for the highest
  balance, so slack becomes time off for whoever is owed most, and costs less than surplus;
- preferences: each unmet wish (an unwanted shift given, a wanted one not) [500].

The solver runs with a time limit (default 60 s) on ``num_workers`` (default 8, the portfolio the issue found to
prove fastest even on 2 cores; on the bench's week 2 workers did as well, see docs/benchmarks.md), optionally until
a ``gap_limit``, and reports its status, objective, proven bound and the optimality gap
``(objective − bound) / max(1, |objective|)``. A progress callback receives each improving roster; setting the
``stop`` event ends the search and keeps the best roster so far. With the manager's patterns the district hall's week
(35 staff) is within 1 % in seconds; free starts on the half-hour (about 100 shapes a day) are not, at that size, in
60 s — :class:`FreeShifts` can take a coarser step and put the break at the lunch closure.

**Headcount** (:func:`headcount_answer`): the roster of today's staff gives the shortage; if any, a second model adds,
per short group ``g``, a pool of ``3 · m_g`` optional hires skilled in ``g`` alone (``m_g`` the most windows short in
any half-hour: three people a window can staff it through a 7-day week of two shifts a day within the rules) and
minimises ``shortage · (pool + 1) + hires``: the fewest hires that reach the least shortage, proven when the status is
OPTIMAL; whatever shortage even the pool leaves is reported. It is exact for the model, unlike a bound from the LP
relaxation, which would divide people into fractions and ignore shift shapes and rest days. Hires are drawn from the
short groups only (hiring in another group to free a multi-skilled colleague is not considered).

Assumptions: all of a week's overtime counts against the month it is planned in; a multi-skilled person may change
group between half-hours; a person without the skill of any required group still works (as surplus) in their first.
"""

from __future__ import annotations

import math
import threading
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from ortools.sat.python import cp_model

from weimin.planning.labour import LabourRules, Shift, StaffMember, due_minutes

__all__ = [
    "OpeningDay",
    "Week",
    "RequiredWindows",
    "ShiftPattern",
    "FreeShifts",
    "ObjectiveWeights",
    "RosterProblem",
    "RosteredShift",
    "IntervalCoverage",
    "StaffPlan",
    "SolverReport",
    "Progress",
    "Roster",
    "HeadcountAnswer",
    "solve_roster",
    "headcount_answer",
]

HALF_HOUR = 30
DAY_MINUTES = 24 * 60
SATURDAY = 5


def minute_of_day(moment: time) -> int:
    """A wall-clock time as minutes after midnight."""
    return moment.hour * 60 + moment.minute


def clock_at(minutes: int) -> time:
    """Minutes after midnight as a wall-clock time."""
    return time(minutes // 60, minutes % 60)


def _on_half_hour(moment: time, name: str) -> None:
    if moment.minute % HALF_HOUR or moment.second or moment.microsecond:
        raise ValueError(f"{name} must fall on the half-hour, not {moment}")


@dataclass(frozen=True)
class OpeningDay:
    """A day the hall opens, ``opens``–``closes`` hall-local, both on the half-hour."""

    day: date
    opens: time
    closes: time

    def __post_init__(self) -> None:
        _on_half_hour(self.opens, "opens")
        _on_half_hour(self.closes, "closes")
        if self.closes <= self.opens:
            raise ValueError(f"closes must follow opens on {self.day}")

    @property
    def half_hours(self) -> range:
        """The starts of the day's half-hours, in minutes after midnight."""
        return range(minute_of_day(self.opens), minute_of_day(self.closes), HALF_HOUR)


@dataclass(frozen=True)
class Week:
    """The 7 days from ``start`` (a Monday); ``days`` the hall's opening days among them; ``working_days`` the
    statutory working days (5; 4 in a week with a public holiday; 6 with a make-up workday, 调休)."""

    start: date
    days: tuple[OpeningDay, ...]
    working_days: int = 5

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(f"start must be a Monday, not {self.start}")
        seen = [opening.day for opening in self.days]
        if len(set(seen)) != len(seen):
            raise ValueError("days must not repeat a date")
        for day in seen:
            if not 0 <= (day - self.start).days < 7:
                raise ValueError(f"days: {day} is outside the week of {self.start}")
        if not 0 <= self.working_days <= 7:
            raise ValueError("working_days must lie between 0 and 7")


@dataclass(frozen=True)
class RequiredWindows:
    """The windows of skill group ``group`` (an item category) needed in the half-hour starting ``start`` of ``day``."""

    day: date
    start: time
    group: str
    windows: int

    def __post_init__(self) -> None:
        _on_half_hour(self.start, "start")
        if self.windows < 0:
            raise ValueError("windows cannot be negative")


@dataclass(frozen=True)
class ShiftPattern:
    """A shift the manager defines, e.g. weekday early 09:00–17:30 with a 60-minute break. ``evening`` and
    ``saturday`` tag the sessions shared out fairly; ``weekdays`` (0 = Monday) restrict where it applies (default: any
    opening day whose hours contain it)."""

    name: str
    start: time
    end: time
    break_minutes: int = 0
    break_start: time | None = None
    evening: bool = False
    saturday: bool = False
    weekdays: frozenset[int] | None = None

    def __post_init__(self) -> None:
        _on_half_hour(self.start, "start")
        _on_half_hour(self.end, "end")
        if self.end <= self.start:
            raise ValueError(f"end of pattern {self.name} must follow its start")
        if self.break_minutes < 0 or self.break_minutes % HALF_HOUR:
            raise ValueError(f"break_minutes of pattern {self.name} must be a non-negative multiple of 30")
        if self.break_minutes >= minute_of_day(self.end) - minute_of_day(self.start):
            raise ValueError(f"break_minutes of pattern {self.name} must be shorter than the shift")
        if self.break_start is not None:
            _on_half_hour(self.break_start, "break_start")
            pause_ends = minute_of_day(self.break_start) + self.break_minutes
            if self.break_start < self.start or pause_ends > minute_of_day(self.end):
                raise ValueError(f"break_start of pattern {self.name} must leave the break inside the shift")
        if self.weekdays is not None and not self.weekdays <= set(range(7)):
            raise ValueError(f"weekdays of pattern {self.name} must lie in 0..6")

    @property
    def working_minutes(self) -> int:
        return minute_of_day(self.end) - minute_of_day(self.start) - self.break_minutes

    @property
    def break_from(self) -> int:
        """The break's first minute after midnight: as given, else the middle of the shift on the half-hour."""
        if self.break_start is not None:
            return minute_of_day(self.break_start)
        slack = minute_of_day(self.end) - minute_of_day(self.start) - self.break_minutes
        return minute_of_day(self.start) + slack // 2 // HALF_HOUR * HALF_HOUR

    @cached_property  # read for every person, day and half-hour while the model is built
    def covered(self) -> tuple[int, ...]:
        """The half-hours (minutes after midnight) worked, the break left out."""
        pause = range(self.break_from, self.break_from + self.break_minutes)
        return tuple(m for m in range(minute_of_day(self.start), minute_of_day(self.end), HALF_HOUR) if m not in pause)

    def fits(self, opening: OpeningDay) -> bool:
        if self.weekdays is not None and opening.day.weekday() not in self.weekdays:
            return False
        return opening.opens <= self.start and self.end <= opening.closes


@dataclass(frozen=True)
class FreeShifts:
    """Free starts: every shift of ``min_minutes``–``max_minutes`` (span) inside the opening hours, its start and
    length on multiples of ``step_minutes`` (30: the half-hour; 60 gives the solver a quarter of the choices).
    Shifts longer than ``break_over_minutes`` carry a ``break_minutes`` break, from ``break_from`` when the shift
    spans it (a hall's lunch closure), else in their middle. A shift ending after ``evening_from`` is an evening
    session; any shift on a Saturday a Saturday session."""

    min_minutes: int = 4 * 60
    max_minutes: int = 9 * 60
    break_minutes: int = 60
    break_over_minutes: int = 6 * 60
    evening_from: time = time(18, 0)
    step_minutes: int = HALF_HOUR
    break_from: time | None = None

    def __post_init__(self) -> None:
        if self.break_from is not None:
            _on_half_hour(self.break_from, "break_from")
        if self.step_minutes <= 0 or self.step_minutes % HALF_HOUR:
            raise ValueError("step_minutes must be a positive multiple of 30")
        if self.min_minutes <= 0 or self.min_minutes % HALF_HOUR or self.max_minutes % HALF_HOUR:
            raise ValueError("min_minutes and max_minutes must be positive multiples of 30")
        if self.max_minutes < self.min_minutes:
            raise ValueError("max_minutes cannot be below min_minutes")
        if self.break_minutes < 0 or self.break_minutes % HALF_HOUR:
            raise ValueError("break_minutes must be a non-negative multiple of 30")
        if self.break_over_minutes < self.break_minutes:
            raise ValueError("break_over_minutes cannot be below break_minutes")

    def patterns(self, week: Week) -> tuple[ShiftPattern, ...]:
        """The shifts as patterns, one per distinct (start, end) the week's opening hours allow."""
        spans = set()
        for opening in week.days:
            first, last = minute_of_day(opening.opens), minute_of_day(opening.closes)
            for start in range(first, last, self.step_minutes):
                for length in range(self.min_minutes, self.max_minutes + 1, self.step_minutes):
                    if start + length <= last:
                        spans.add((start, start + length))
        return tuple(self._pattern(start, end) for start, end in sorted(spans))

    def _pattern(self, start: int, end: int) -> ShiftPattern:
        pause = self.break_minutes if end - start > self.break_over_minutes else 0
        at = None
        if pause and self.break_from is not None and start <= minute_of_day(self.break_from) <= end - pause:
            at = self.break_from
        return ShiftPattern(
            name=f"{clock_at(start):%H:%M}–{clock_at(end):%H:%M}",
            start=clock_at(start),
            end=clock_at(end),
            break_minutes=pause,
            break_start=at,
            evening=end > minute_of_day(self.evening_from),
        )


@dataclass(frozen=True)
class ObjectiveWeights:
    """The soft goals' weights (see the module docstring for their units and why these magnitudes)."""

    shortage: int = 100_000
    overtime: int = 100
    fairness: int = 1_000
    idle: int = 20
    surplus: int = 300
    comp_time: int = 9
    preference: int = 500

    def __post_init__(self) -> None:
        for name in ("shortage", "overtime", "fairness", "idle", "surplus", "preference"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} weight cannot be negative")
        if self.comp_time < 1:
            raise ValueError("comp_time weight must be at least 1")


@dataclass(frozen=True)
class RosterProblem:
    """Everything the roster depends on. ``shifts``: the manager's patterns, or :class:`FreeShifts`."""

    week: Week
    requirement: tuple[RequiredWindows, ...]
    staff: tuple[StaffMember, ...]
    shifts: tuple[ShiftPattern, ...] | FreeShifts
    rules: LabourRules = LabourRules()
    weights: ObjectiveWeights = ObjectiveWeights()

    def __post_init__(self) -> None:
        ids = [member.id for member in self.staff]
        if len(set(ids)) != len(ids):
            raise ValueError("staff: ids must be unique")
        for member in self.staff:
            if not member.skills:
                raise ValueError(f"staff: {member.id} has no skill group")
        opening = {o.day: o for o in self.week.days}
        seen = set()
        for need in self.requirement:
            key = (need.day, need.start, need.group)
            if key in seen:
                raise ValueError(f"requirement: {key} is given twice")
            seen.add(key)
            if need.windows and (
                need.day not in opening or minute_of_day(need.start) not in opening[need.day].half_hours
            ):
                raise ValueError(f"requirement: the hall is closed at {need.day} {need.start}")
        if not isinstance(self.shifts, FreeShifts):
            names = [pattern.name for pattern in self.shifts]
            if len(set(names)) != len(names):
                raise ValueError("shifts: pattern names must be unique")
            limit = self.rules.regular_minutes_per_day + self.rules.overtime_minutes_per_day
            for pattern in self.shifts:
                if pattern.working_minutes > limit:
                    raise ValueError(f"shifts: pattern {pattern.name} works more than {limit} minutes a day")

    @property
    def patterns(self) -> tuple[ShiftPattern, ...]:
        if isinstance(self.shifts, FreeShifts):
            limit = self.rules.regular_minutes_per_day + self.rules.overtime_minutes_per_day
            return tuple(p for p in self.shifts.patterns(self.week) if p.working_minutes <= limit)
        return self.shifts


@dataclass(frozen=True)
class RosteredShift(Shift):
    """A shift of the roster: ``pattern`` its name, ``cover`` the group served in each half-hour worked."""

    pattern: str = ""
    evening: bool = False
    saturday: bool = False
    cover: tuple[tuple[time, str], ...] = ()


@dataclass(frozen=True)
class IntervalCoverage:
    """Windows of ``group`` rostered against those required in the half-hour starting ``start`` of ``day``."""

    day: date
    start: time
    group: str
    required: int
    rostered: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.rostered)

    @property
    def surplus(self) -> int:
        return max(0, self.rostered - self.required)


@dataclass(frozen=True)
class StaffPlan:
    """One person's week (minutes): due by contract, planned, overtime, 补休 granted; sessions this week."""

    staff: str
    due_minutes: int
    planned_minutes: int
    overtime_minutes: int
    comp_time_minutes: int
    evening_sessions: int
    saturday_sessions: int
    unmet_preferences: int


@dataclass(frozen=True)
class SolverReport:
    """The search: CP-SAT's status name, objective and proven bound, the optimality gap, wall seconds."""

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    solutions: int


@dataclass(frozen=True)
class Progress:
    """An improving roster found during the search."""

    objective: float
    bound: float
    gap: float
    seconds: float
    solutions: int


@dataclass(frozen=True)
class Roster:
    shifts: tuple[RosteredShift, ...]
    coverage: tuple[IntervalCoverage, ...]
    staff: tuple[StaffPlan, ...]
    solver: SolverReport

    @property
    def short_half_hours(self) -> int:
        """Window-half-hours below the requirement, summed over the week and the groups."""
        return sum(interval.short for interval in self.coverage)

    @property
    def short_staff_hours(self) -> float:
        return self.short_half_hours * HALF_HOUR / 60

    def shortage_by_group(self) -> dict[str, int]:
        by_group: dict[str, int] = defaultdict(int)
        for interval in self.coverage:
            by_group[interval.group] += interval.short
        return {group: short for group, short in sorted(by_group.items()) if short}


def _gap(objective: float, bound: float) -> float:
    return (objective - bound) / max(1.0, abs(objective))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None] | None, stop: threading.Event | None) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._stop = stop
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self._on_progress is not None:
            objective, bound = self.objective_value, self.best_objective_bound
            self._on_progress(Progress(objective, bound, _gap(objective, bound), self.wall_time, self.solutions))
        if self._stop is not None and self._stop.is_set():
            self.stop_search()


class _Model:
    """The CP-SAT model of a :class:`RosterProblem`; ``optional`` staff work only if hired (the headcount's pool)."""

    def __init__(self, problem: RosterProblem, optional: Iterable[StaffMember] = ()) -> None:
        self.problem = problem
        self.optional = tuple(optional)
        self.staff = problem.staff + self.optional
        self.model = cp_model.CpModel()
        self.patterns = problem.patterns
        rules, week = problem.rules, problem.week
        self.required = {(n.day, minute_of_day(n.start), n.group): n.windows for n in problem.requirement if n.windows}
        self.groups = sorted({group for (_, _, group) in self.required})
        self.x: dict[tuple[str, date, int], cp_model.IntVar] = {}
        self.by_member: dict[str, list[tuple[tuple[date, int], cp_model.IntVar]]] = defaultdict(list)
        self.serve: dict[tuple[str, date, int], dict[str, cp_model.LinearExprT]] = {}
        self.hired: dict[str, cp_model.IntVar] = {}
        self.due = {m.id: due_minutes(m, week.start, week.working_days) for m in self.staff}
        for member in self.staff:
            self._shift_choices(member)
        m = self.model
        serving: dict[tuple[date, int, str], list[cp_model.LinearExprT]] = defaultdict(list)
        for (_, day, start), choice in self.serve.items():
            for group, chosen in choice.items():
                serving[(day, start, group)].append(chosen)
        self.short = {key: m.new_int_var(0, need, f"short{key}") for key, need in self.required.items()}
        for key, short in self.short.items():
            m.add(sum(serving[key]) + short >= self.required[key])
        self.overtime, self.idle, self.comp = {}, {}, {}
        for member in self.staff:
            own = self._own(member.id)
            worked = sum(var * self.patterns[p].working_minutes for (_, p), var in own)
            daily_excess = sum(
                var * max(0, self.patterns[p].working_minutes - rules.regular_minutes_per_day) for (_, p), var in own
            )
            allowance = max(0, rules.overtime_minutes_per_month - member.overtime_minutes_this_month)
            overtime = m.new_int_var(0, allowance, f"overtime[{member.id}]")
            m.add(overtime >= daily_excess)
            m.add(overtime >= worked - self.due[member.id])
            comp = m.new_int_var(0, min(member.comp_time_minutes, self.due[member.id]), f"comp[{member.id}]")
            idle = m.new_int_var(0, self.due[member.id], f"idle[{member.id}]")
            m.add(idle + comp + worked >= self.due[member.id])
            self.overtime[member.id], self.idle[member.id], self.comp[member.id] = overtime, idle, comp
            m.add(sum(var for _, var in own) <= 7 - rules.rest_days_per_week)
            self._rest_between(member.id, own)

    def _own(self, member_id: str) -> list[tuple[tuple[date, int], cp_model.IntVar]]:
        return self.by_member[member_id]

    def _shift_choices(self, member: StaffMember) -> None:
        m, rules = self.model, self.problem.rules
        required_groups = sorted(member.skills & set(self.groups)) or sorted(member.skills)[:1]
        if member in self.optional:
            self.hired[member.id] = m.new_bool_var(f"hired[{member.id}]")
        for opening in self.problem.week.days:
            day = opening.day
            if day in member.leave_days:
                continue
            choices = []
            for p, pattern in enumerate(self.patterns):
                begins, ends = datetime.combine(day, pattern.start), datetime.combine(day, pattern.end)
                if not pattern.fits(opening):
                    continue
                if any(begins < until and since < ends for since, until in member.unavailable):
                    continue
                if member.last_shift_end is not None and begins - member.last_shift_end < timedelta(
                    minutes=rules.min_rest_minutes
                ):
                    continue
                var = m.new_bool_var(f"x[{member.id},{day},{pattern.name}]")
                if member.id in self.hired:
                    m.add_implication(var, self.hired[member.id])
                self.x[(member.id, day, p)] = var
                self.by_member[member.id].append(((day, p), var))
                choices.append((p, var))
            if not choices:
                continue
            m.add_at_most_one(var for _, var in choices)
            for start in opening.half_hours:
                working = [var for p, var in choices if start in self.patterns[p].covered]
                if not working:
                    continue
                if len(required_groups) == 1:
                    self.serve[(member.id, day, start)] = {required_groups[0]: sum(working)}
                    continue
                serve = {g: m.new_bool_var(f"serve[{member.id},{day},{start},{g}]") for g in required_groups}
                m.add(sum(serve.values()) == sum(working))
                self.serve[(member.id, day, start)] = serve

    def _rest_between(self, member_id: str, own: list[tuple[tuple[date, int], cp_model.IntVar]]) -> None:
        rest = self.problem.rules.min_rest_minutes
        by_day: dict[date, list[tuple[ShiftPattern, cp_model.IntVar]]] = defaultdict(list)
        for (day, p), var in own:
            by_day[day].append((self.patterns[p], var))
        for day, earlier in by_day.items():
            latest_end = max(minute_of_day(pattern.end) for pattern, _ in earlier)
            for later, following in by_day.items():
                apart = (later - day).days * DAY_MINUTES
                # Most day pairs are far enough apart for any two shifts: skip them without looking at each pair.
                if apart <= 0 or apart + min(minute_of_day(p.start) for p, _ in following) - latest_end >= rest:
                    continue
                for first_pattern, first in earlier:
                    for second_pattern, second in following:
                        if apart + minute_of_day(second_pattern.start) - minute_of_day(first_pattern.end) < rest:
                            self.model.add_bool_or([first.Not(), second.Not()])

    def _is_session(self, day: date, pattern: ShiftPattern, kind: str) -> bool:
        if kind == "evening":
            return pattern.evening
        return pattern.saturday or (isinstance(self.problem.shifts, FreeShifts) and day.weekday() == SATURDAY)

    def shortage(self) -> cp_model.LinearExprT:
        return sum(self.short.values())

    def roster_objective(self) -> cp_model.LinearExprT:
        w, m = self.problem.weights, self.model
        surplus = (
            sum(var * len(self.patterns[p].covered) for (_, _, p), var in self.x.items())
            - sum(self.required.values())
            + self.shortage()
        )
        fairness = []
        for member in self.staff:
            for kind, recent in (
                ("evening", member.recent_evening_sessions),
                ("saturday", member.recent_saturday_sessions),
            ):
                count = [
                    (day, var)
                    for (day, p), var in self._own(member.id)
                    if self._is_session(day, self.patterns[p], kind)
                ]
                most = len({day for day, _ in count})  # one shift a day
                at_least = [m.new_bool_var(f"{kind}[{member.id}]>={k}") for k in range(1, most + 1)]
                if not at_least:
                    continue
                m.add(sum(at_least) == sum(var for _, var in count))
                for higher, lower in zip(at_least[1:], at_least, strict=False):
                    m.add_implication(higher, lower)
                fairness += [flag * (2 * (recent + k) - 1) for k, flag in enumerate(at_least, start=1)]
        highest = max((member.comp_time_minutes for member in self.staff), default=0) or 1
        comp = sum(
            self.comp[member.id] * (1 + round((w.comp_time - 1) * (1 - member.comp_time_minutes / highest)))
            for member in self.staff
        )
        return (
            w.shortage * self.shortage()
            + w.overtime * sum(self.overtime.values())
            + w.fairness * sum(fairness)
            + w.idle * sum(self.idle.values())
            + w.surplus * surplus
            + comp
            + w.preference * sum(self._unmet_preferences())
        )

    def _unmet_preferences(self) -> list[cp_model.LinearExprT]:
        unmet = []
        for member in self.staff:
            for k, wish in enumerate(member.preferences):
                matching = [
                    var
                    for (day, p), var in self._own(member.id)
                    if wish.day in (None, day) and wish.pattern in (None, self.patterns[p].name)
                ]
                if not wish.wanted:
                    unmet += matching
                    continue
                missed = self.model.new_bool_var(f"missed[{member.id},{k}]")
                self.model.add(missed + sum(matching) >= 1)
                unmet.append(missed)
        return unmet

    def solve(
        self,
        objective: cp_model.LinearExprT,
        time_limit_seconds: float,
        num_workers: int,
        gap_limit: float,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
    ) -> tuple[cp_model.CpSolver, SolverReport]:
        if time_limit_seconds <= 0:
            raise ValueError("time_limit_seconds must be positive")
        if num_workers < 1:
            raise ValueError("num_workers must be at least 1")
        if not 0 <= gap_limit < 1:
            raise ValueError("gap_limit must lie in [0, 1)")
        self.model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_seconds
        solver.parameters.num_workers = num_workers
        solver.parameters.relative_gap_limit = gap_limit  # CP-SAT's definition is the report's gap
        callback = _Progress(on_progress, stop)
        done = threading.Event()
        watcher = None
        if stop is not None:
            # Stop also when no new roster arrives to run the callback: the solver polls its stop flag.
            def watch() -> None:
                while not done.wait(0.05):
                    if stop.is_set():
                        solver.stop_search()
                        return

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
        began = clock.perf_counter()
        status = solver.solve(self.model, callback)
        seconds = clock.perf_counter() - began
        done.set()
        if watcher is not None:
            watcher.join()
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        objective_value = solver.objective_value if found else math.nan
        bound = solver.best_objective_bound if found else math.nan
        report = SolverReport(
            status=solver.status_name(status),
            objective=objective_value,
            bound=bound,
            gap=_gap(objective_value, bound) if found else math.nan,
            seconds=seconds,
            solutions=callback.solutions,
        )
        return solver, report

    def roster(self, solver: cp_model.CpSolver, report: SolverReport) -> Roster:
        if math.isnan(report.objective):
            return Roster((), self._coverage({}), (), report)
        shifts, served = [], defaultdict(int)
        for (member_id, day, p), var in self.x.items():
            if not solver.boolean_value(var):
                continue
            pattern = self.patterns[p]
            cover = []
            for start in pattern.covered:
                choice = self.serve[(member_id, day, start)]
                group = next(g for g, chosen in choice.items() if solver.value(chosen))
                cover.append((clock_at(start), group))
                served[(day, start, group)] += 1
            shifts.append(
                RosteredShift(
                    staff=member_id,
                    day=day,
                    start=pattern.start,
                    end=pattern.end,
                    break_minutes=pattern.break_minutes,
                    groups=tuple(sorted({g for _, g in cover})),
                    pattern=pattern.name,
                    evening=self._is_session(day, pattern, "evening"),
                    saturday=self._is_session(day, pattern, "saturday"),
                    cover=tuple(cover),
                )
            )
        shifts.sort(key=lambda shift: (shift.day, shift.start, shift.staff))
        plans = [
            self._plan(member, [s for s in shifts if s.staff == member.id])
            for member in self.staff
            if member.id not in self.hired or solver.boolean_value(self.hired[member.id])
        ]
        return Roster(tuple(shifts), self._coverage(served), tuple(plans), report)

    def _plan(self, member: StaffMember, own: list[RosteredShift]) -> StaffPlan:
        rules, due = self.problem.rules, self.due[member.id]
        worked = sum(s.span_minutes - s.break_minutes for s in own)
        excess = sum(max(0, s.span_minutes - s.break_minutes - rules.regular_minutes_per_day) for s in own)
        unmet = 0
        for wish in member.preferences:
            hits = sum(1 for s in own if wish.day in (None, s.day) and wish.pattern in (None, s.pattern))
            unmet += hits if not wish.wanted else int(hits == 0)
        return StaffPlan(
            staff=member.id,
            due_minutes=due,
            planned_minutes=worked,
            overtime_minutes=max(excess, worked - due, 0),
            comp_time_minutes=min(member.comp_time_minutes, max(0, due - worked)),
            evening_sessions=sum(s.evening for s in own),
            saturday_sessions=sum(s.saturday for s in own),
            unmet_preferences=unmet,
        )

    def _coverage(self, served: dict[tuple[date, int, str], int]) -> tuple[IntervalCoverage, ...]:
        return tuple(
            IntervalCoverage(day, clock_at(start), group, self.required.get(key, 0), served.get(key, 0))
            for key in sorted(set(self.required) | set(served))
            for day, start, group in [key]
        )


def solve_roster(
    problem: RosterProblem,
    *,
    time_limit_seconds: float = 60.0,
    num_workers: int = 8,
    gap_limit: float = 0.0,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Roster:
    """The week's roster: the best found within ``time_limit_seconds``, or once its gap is at most ``gap_limit``
    (0: until proven optimal), or until ``stop`` is set; with its solver report. ``on_progress`` is called from the
    solver's thread with each improving roster's figures."""
    built = _Model(problem)
    return built.roster(
        *built.solve(built.roster_objective(), time_limit_seconds, num_workers, gap_limit, on_progress, stop)
    )


@dataclass(frozen=True)
class HeadcountAnswer:
    """Can today's staff meet the requirement? ``roster`` is their best roster; when it falls short,
    ``additional_staff`` the fewest generic hires by group (each with ``extra_contract_minutes``) that reach
    ``remaining_short_half_hours`` (0 unless even they cannot), ``extended`` a roster with them and ``search`` that
    search's report. ``overtime_minutes`` (owed back as 补休) and ``comp_time_minutes`` (补休 granted) are the cost of
    today's roster."""

    sufficient: bool
    short_half_hours: int
    short_staff_hours: float
    additional_staff: dict[str, int] = field(default_factory=dict)
    remaining_short_half_hours: int = 0
    overtime_minutes: int = 0
    comp_time_minutes: int = 0
    roster: Roster | None = None
    extended: Roster | None = None
    search: SolverReport | None = None


def headcount_answer(
    problem: RosterProblem,
    *,
    extra_contract_minutes: int = 40 * 60,
    time_limit_seconds: float = 60.0,
    num_workers: int = 8,
    gap_limit: float = 0.0,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    today: Roster | None = None,
) -> HeadcountAnswer:
    """The headcount answer (issue 12 point 4). ``today`` is today's staff's roster of ``problem`` when already
    solved (:func:`solve_roster`), else it is solved first; each search runs as :func:`solve_roster` says."""
    if extra_contract_minutes <= 0:
        raise ValueError("extra_contract_minutes must be positive")
    limits = (time_limit_seconds, num_workers, gap_limit, on_progress, stop)
    if today is None:
        built = _Model(problem)
        today = built.roster(*built.solve(built.roster_objective(), *limits))
    overtime = sum(plan.overtime_minutes for plan in today.staff)
    comp = sum(plan.comp_time_minutes for plan in today.staff)
    if not today.short_half_hours:
        return HeadcountAnswer(True, 0, 0.0, overtime_minutes=overtime, comp_time_minutes=comp, roster=today)
    most_short: dict[str, int] = defaultdict(int)
    for interval in today.coverage:
        most_short[interval.group] = max(most_short[interval.group], interval.short)
    pool = [
        StaffMember(
            id=f"extra:{group}:{k}",
            name=f"+{group} {k}",
            skills=frozenset({group}),
            contracted_minutes=extra_contract_minutes,
        )
        for group, short in sorted(most_short.items())
        for k in range(1, 3 * short + 1)
    ]
    built = _Model(problem, pool)
    for group in most_short:
        hires = [built.hired[member.id] for member in pool if group in member.skills]
        for later, earlier in zip(hires[1:], hires, strict=False):
            built.model.add_implication(later, earlier)  # the pool's people are interchangeable
    objective = built.shortage() * (len(pool) + 1) + sum(built.hired.values())
    solver, search = built.solve(objective, *limits)
    extended = built.roster(solver, search)
    additional: dict[str, int] = defaultdict(int)
    if not math.isnan(search.objective):
        for member in pool:
            if solver.boolean_value(built.hired[member.id]):
                additional[sorted(member.skills)[0]] += 1
    return HeadcountAnswer(
        sufficient=False,
        short_half_hours=today.short_half_hours,
        short_staff_hours=today.short_staff_hours,
        additional_staff=dict(sorted(additional.items())),
        remaining_short_half_hours=extended.short_half_hours,
        overtime_minutes=overtime,
        comp_time_minutes=comp,
        roster=today,
        extended=extended,
        search=search,
    )
