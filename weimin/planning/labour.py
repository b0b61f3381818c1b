"""Labour rules for a hall's weekly roster (工时规定) and an independent check of a roster against them — no Django,
no OR-Tools.

The rules (DOMAIN.md §5; each a field of :class:`LabourRules` with its default):

- a day's regular time is at most 8 h; work beyond it is overtime, at most 3 h a day (劳动法 Art. 41), so a day's
  working time (a shift's span less its break) is at most 11 h;
- the week's overtime is the larger of the daily excess and the excess over the person's *due* time (the contract
  pro rata, see :func:`due_minutes`): ``overtime = worked − min(Σ_d min(worked_d, 8 h), due)``; together with the
  overtime the duty records already show this month it stays within 36 h a month. The whole week counts against the
  month it is planned in (a week straddling two months is checked against the stricter, earlier one);
- at least one full calendar day without a shift in the 7 days of the week (Art. 38);
- at least 11 h between the end of one shift and the start of the next, including the last shift of the previous
  week when it is known;
- at most one shift a day; none on a leave day nor overlapping an unavailable interval;
- a shift covers only the person's skill groups (item categories).

This module is deliberately written from the rules and not from the CP-SAT model in :mod:`weimin.planning.roster`:
the tests run it on every roster the solver returns, and the manager's page runs it on an edited shift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

__all__ = [
    "LabourRules",
    "Preference",
    "StaffMember",
    "Shift",
    "Violation",
    "due_minutes",
    "working_minutes",
    "week_overtime_minutes",
    "check_roster",
]

STANDARD_WORKING_DAYS = 5  # the contract's week: 8 h × 5 days = 40 h (State Council 1995)


@dataclass(frozen=True)
class LabourRules:
    """The labour rules as parameters (minutes); the defaults are the statutory ones (DOMAIN.md §5)."""

    regular_minutes_per_day: int = 8 * 60
    overtime_minutes_per_day: int = 3 * 60
    overtime_minutes_per_month: int = 36 * 60
    rest_days_per_week: int = 1
    min_rest_minutes: int = 11 * 60

    def __post_init__(self) -> None:
        for name in ("regular_minutes_per_day", "overtime_minutes_per_day", "overtime_minutes_per_month"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if not 0 <= self.rest_days_per_week <= 7:
            raise ValueError("rest_days_per_week must lie between 0 and 7")
        if self.min_rest_minutes < 0:
            raise ValueError("min_rest_minutes cannot be negative")


@dataclass(frozen=True)
class Preference:
    """A soft wish: a shift on ``day`` and/or of pattern ``pattern`` is ``wanted`` (or not). ``None`` matches any."""

    wanted: bool
    day: date | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class StaffMember:
    """A person who can be rostered at the hall's windows.

    ``contracted_minutes`` is the weekly contract (2,400 for 40 h); ``overtime_minutes_this_month`` what the duty
    records show already worked beyond regular time this month; ``comp_time_minutes`` the 补休 (comp-time) balance;
    ``recent_evening_sessions`` / ``recent_saturday_sessions`` those worked in the previous three weeks (fairness over
    a rolling four weeks); ``last_shift_end`` the end of the last shift before this week, for the rest between
    shifts."""

    id: str
    name: str
    skills: frozenset[str]
    contracted_minutes: int = 40 * 60
    leave_days: frozenset[date] = frozenset()
    unavailable: tuple[tuple[datetime, datetime], ...] = ()
    overtime_minutes_this_month: int = 0
    comp_time_minutes: int = 0
    recent_evening_sessions: int = 0
    recent_saturday_sessions: int = 0
    preferences: tuple[Preference, ...] = ()
    last_shift_end: datetime | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("id cannot be empty")
        for name in (
            "contracted_minutes",
            "overtime_minutes_this_month",
            "comp_time_minutes",
            "recent_evening_sessions",
            "recent_saturday_sessions",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} of {self.id} cannot be negative")
        for begin, end in self.unavailable:
            if end <= begin:
                raise ValueError(f"unavailable interval of {self.id} ends before it begins")


@dataclass(frozen=True)
class Shift:
    """One person's shift on one day, hall-local times (``end`` after ``start`` on the same day). ``groups`` are the
    skill groups the person covers during it (one per half-hour in the solver's rosters, any order)."""

    staff: str
    day: date
    start: time
    end: time
    break_minutes: int = 0
    groups: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"shift of {self.staff} on {self.day} ends before it starts")
        if not 0 <= self.break_minutes < self.span_minutes:
            raise ValueError(f"break_minutes of {self.staff}'s shift on {self.day} must lie within the shift")

    @property
    def span_minutes(self) -> int:
        return (self.end.hour - self.start.hour) * 60 + self.end.minute - self.start.minute

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.day, self.start)

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.day, self.end)


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``rule`` names it (one of :data:`RULES`), for ``staff`` on ``day`` (``None``: the week as a
    whole, for a missing rest day; the monthly overtime names the week's last shift)."""

    rule: str
    staff: str
    day: date | None
    detail: str


RULES = (
    "one_shift_a_day",
    "daily_overtime",
    "monthly_overtime",
    "rest_day",
    "rest_between_shifts",
    "skill",
    "leave",
    "unavailable",
)


def working_minutes(shift: Shift) -> int:
    """A shift's working time: its span less its break."""
    return shift.span_minutes - shift.break_minutes


def due_minutes(member: StaffMember, week_start: date, working_days: int = STANDARD_WORKING_DAYS) -> int:
    """The time the contract asks of ``member`` this week: the weekly contract scaled by the week's statutory working
    days (fewer in a holiday week, more with a make-up workday), less a fifth for each leave day in the week."""
    if working_days < 0:
        raise ValueError("working_days cannot be negative")
    leave = sum(1 for day in member.leave_days if 0 <= (day - week_start).days < 7)
    return member.contracted_minutes * max(0, working_days - leave) // STANDARD_WORKING_DAYS


def week_overtime_minutes(shifts: Iterable[Shift], due: int, rules: LabourRules = LabourRules()) -> int:
    """One person's overtime in a week: what they work beyond ``min(Σ_d min(worked_d, regular), due)``."""
    per_day: dict[date, int] = defaultdict(int)
    for shift in shifts:
        per_day[shift.day] += working_minutes(shift)
    worked = sum(per_day.values())
    regular = min(sum(min(minutes, rules.regular_minutes_per_day) for minutes in per_day.values()), due)
    return worked - regular


def check_roster(
    shifts: Iterable[Shift],
    staff: Iterable[StaffMember],
    week_start: date,
    rules: LabourRules = LabourRules(),
    working_days: int = STANDARD_WORKING_DAYS,
) -> list[Violation]:
    """Every labour rule ``shifts`` break for the week beginning ``week_start`` (7 calendar days); empty if none.

    Raises ``ValueError`` for a shift of a person not in ``staff`` or outside the week."""
    members = {member.id: member for member in staff}
    mine: dict[str, list[Shift]] = defaultdict(list)
    week = [week_start + timedelta(days=offset) for offset in range(7)]
    for shift in shifts:
        if shift.staff not in members:
            raise ValueError(f"shifts: {shift.staff} is not among the staff")
        if shift.day not in week:
            raise ValueError(f"shifts: {shift.staff}'s shift on {shift.day} is outside the week of {week_start}")
        mine[shift.staff].append(shift)
    violations: list[Violation] = []
    for member_id, own in mine.items():
        member = members[member_id]
        own.sort(key=lambda shift: (shift.begins, shift.ends))
        violations += _day_rules(member, own, rules)
        violations += _week_rules(member, own, week_start, rules, working_days)
    return violations


def _day_rules(member: StaffMember, own: list[Shift], rules: LabourRules) -> list[Violation]:
    found = []

    def broken(rule: str, day: date, detail: str) -> None:
        found.append(Violation(rule, member.id, day, detail))

    per_day: dict[date, list[Shift]] = defaultdict(list)
    for shift in own:
        per_day[shift.day].append(shift)
    for day, shifts in per_day.items():
        if len(shifts) > 1:
            broken("one_shift_a_day", day, f"{len(shifts)} shifts")
        worked = sum(working_minutes(shift) for shift in shifts)
        limit = rules.regular_minutes_per_day + rules.overtime_minutes_per_day
        if worked > limit:
            broken("daily_overtime", day, f"{worked} min worked, at most {limit}")
        if day in member.leave_days:
            broken("leave", day, "on leave")
    for shift in own:
        outside = set(shift.groups) - member.skills
        if outside:
            broken("skill", shift.day, f"covers {', '.join(sorted(outside))} without the skill")
        for begin, end in member.unavailable:
            if shift.begins < end and begin < shift.ends:
                broken("unavailable", shift.day, f"unavailable {begin:%H:%M}–{end:%H:%M}")
    previous_end = member.last_shift_end
    for shift in own:
        if previous_end is not None:
            rest = (shift.begins - previous_end) / timedelta(minutes=1)
            if rest < rules.min_rest_minutes:
                broken("rest_between_shifts", shift.day, f"{rest:.0f} min rest, at least {rules.min_rest_minutes}")
        previous_end = max(previous_end, shift.ends) if previous_end is not None else shift.ends
    return found


def _week_rules(
    member: StaffMember, own: list[Shift], week_start: date, rules: LabourRules, working_days: int
) -> list[Violation]:
    found = []
    days_off = 7 - len({shift.day for shift in own})
    if days_off < rules.rest_days_per_week:
        found.append(
            Violation("rest_day", member.id, None, f"{days_off} days off, at least {rules.rest_days_per_week}")
        )
    overtime = week_overtime_minutes(own, due_minutes(member, week_start, working_days), rules)
    month = member.overtime_minutes_this_month + overtime
    if month > rules.overtime_minutes_per_month:
        found.append(
            Violation(
                "monthly_overtime",
                member.id,
                own[-1].day,
                f"{overtime} min this week + {member.overtime_minutes_this_month} already this month = {month}, "
                f"at most {rules.overtime_minutes_per_month}",
            )
        )
    return found
