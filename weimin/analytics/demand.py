"""Demand analysis (需求分析): when visitors come, what brings them in the evening and on Saturday, which
sessions have too many or too few windows for them, and what the district office could change.

Read from the rollups only (``queries.rollups``: half-hour rows, item × half-hour rows, item rows) and
the halls' opening hours (``halls.hours.HallCalendar``):

- **arrival heat map**: tickets issued per weekday and half-hour of arrival, divided by the number of
  that weekday's dates in the period on which the hall was open (or issued tickets anyway): the
  visitors to expect in that half-hour on an open day. A district's cell is its halls' cells added up.
- **evening and Saturday drivers**: per item, visits (服务人次) issued at or after the evening hour
  (``WEIMIN_ANALYTICS_EVENING_FROM``) and on Saturdays, their share of the item's visits and the
  item's share of all evening / Saturday visits.
- **sessions** (时段): each open half-hour of a day belongs to one kind, by its start — on a weekend
  day that is not a make-up working day (调休), *Saturday* (a Sunday session, should a hall open one,
  counts with it); otherwise *morning* before 12:00, *afternoon* from 12:00 until the evening hour,
  *evening* from the evening hour. A hall without an evening or Saturday session has no such row.
  A session kind's use is its visitors per open window-hour: tickets issued in its half-hours ÷ the
  window time held (signed in) in them. It is under-used below ``WEIMIN_ANALYTICS_UNDER_USED`` × the
  hall's median over its session kinds and over-used above ``WEIMIN_ANALYTICS_OVER_USED`` × it.
- **recommendations**: for each flagged session, its arrival rate (visitors per open hour), the
  windows open on average (window-hours held ÷ open hours), the mean service time of its visitors
  (the hall's over the period when none was served), and the windows Erlang C
  (``analytics.queueing``) says would call ``WEIMIN_ANALYTICS_TARGET_SHARE`` of visitors within the
  wait target; ranked by the window-hours a week the change adds or frees.
"""

from __future__ import annotations

import enum
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.analytics import queries, queueing, rules
from weimin.analytics.choices import Dimension
from weimin.analytics.records import SLOTS, day_bounds, evening_from, item_slot_key, seconds_by_half_hour
from weimin.halls.choices import DayReason
from weimin.halls.hours import HallCalendar, HallDay
from weimin.halls.models import Hall, ServiceItem

NOON = time(12)
# The half-hours a heat map shows when the period has no opening hours at all: 08:00–20:00.
DEFAULT_SLOTS = range(16, 40)


class SessionKind(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    SATURDAY = "saturday"

    @property
    def label(self) -> str:
        return str(SESSION_LABELS[self])


SESSION_LABELS = {
    SessionKind.MORNING: gettext_lazy("Weekday morning"),
    SessionKind.AFTERNOON: gettext_lazy("Weekday afternoon"),
    SessionKind.EVENING: gettext_lazy("Weekday evening"),
    SessionKind.SATURDAY: gettext_lazy("Saturday session"),
}


def session_kind(weekend: bool, slot_start: time, evening: time) -> SessionKind:
    """The kind of session an open half-hour starting at ``slot_start`` belongs to (rule above)."""
    if weekend:
        return SessionKind.SATURDAY
    if slot_start < NOON:
        return SessionKind.MORNING
    return SessionKind.AFTERNOON if slot_start < evening else SessionKind.EVENING


def slot_start(slot: int) -> time:
    return time(slot // 2, 30 * (slot % 2))


def slot_label(slot: int) -> str:
    return f"{slot_start(slot):%H:%M}"


def _period(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def open_seconds(hall: Hall, hall_day: HallDay) -> dict[int, float]:
    """Seconds the hall is open in each half-hour of the day."""
    day_start, _end = day_bounds(hall, hall_day.date)
    seconds: dict[int, float] = defaultdict(float)
    for session in hall_day.sessions:
        for slot, overlap in seconds_by_half_hour(day_start, session.start, session.end):
            seconds[slot] += overlap
    return seconds


@dataclass(frozen=True)
class OpenDay:
    day: HallDay
    seconds: dict[int, float]  # seconds open in each half-hour

    @property
    def weekday(self) -> int:
        return self.day.date.weekday()


OpenDays = dict[int, list[OpenDay]]  # hall id → its open days in the period


def open_days(halls: list[Hall], first: date, last: date) -> OpenDays:
    """Each hall's open days in the period, from its calendar (read once per analysis). The same hours
    recur day after day, so each set of hours is cut into half-hours once."""
    cut: dict[tuple, dict[int, float]] = {}
    days = {}
    for hall in halls:
        calendar = HallCalendar(hall)
        days[hall.pk] = found = []
        for day in _period(first, last):
            hall_day = calendar.day(day)
            if hall_day.open:
                hours = tuple((s.start.time(), s.end.time()) for s in hall_day.sessions)
                if hours not in cut:
                    cut[hours] = open_seconds(hall, hall_day)
                found.append(OpenDay(hall_day, cut[hours]))
    return days


# The arrival heat map --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatMap:
    """Mean tickets issued per (weekday 0–6, half-hour 0–47) on an open day of that weekday."""

    cells: dict[tuple[int, int], float]  # open or with arrivals; closed half-hours have no cell
    slots: range  # the half-hours worth showing: every open one and every one with arrivals

    @property
    def peak(self) -> float:
        return max(self.cells.values(), default=0.0)

    def weekdays(self) -> list[int]:
        """Weekdays with any opening or arrival (Sunday only when some hall opened on one)."""
        return sorted({weekday for weekday, _slot in self.cells} | {0, 1, 2, 3, 4})


def heat_map(
    halls: Iterable[Hall], first: date, last: date, item: ServiceItem | None = None, opening: OpenDays | None = None
) -> HeatMap:
    halls = list(halls)
    opening = opening or open_days(halls, first, last)
    if item is None:
        rows = queries.counters(halls, first, last, Dimension.SLOT, ("issued",))
    else:
        keys = (item_slot_key(item.pk, 0), item_slot_key(item.pk, SLOTS - 1))
        rows = queries.counters(halls, first, last, Dimension.ITEM_SLOT, ("issued",), keys)
    issued: dict[tuple[int, int, int], int] = defaultdict(int)  # (hall, weekday, slot) → tickets
    dates: dict[tuple[int, int], set[date]] = defaultdict(set)  # (hall, weekday) → days counted
    for hall_id, day, key, count in rows:
        if count:
            issued[hall_id, day.weekday(), key % SLOTS] += count
            dates[hall_id, day.weekday()].add(day)
    cells: dict[tuple[int, int], float] = defaultdict(float)
    for hall in halls:
        for open_day in opening[hall.pk]:
            dates[hall.pk, open_day.weekday].add(open_day.day.date)
            for slot in open_day.seconds:
                cells[open_day.weekday, slot] += 0  # open without arrivals: 0, not blank like closed
    for (hall_id, weekday, slot), count in issued.items():
        cells[weekday, slot] += count / len(dates[hall_id, weekday])
    shown = {slot for _weekday, slot in cells}
    slots = range(min(shown), max(shown) + 1) if shown else DEFAULT_SLOTS
    return HeatMap(dict(cells), slots)


# Evening and Saturday drivers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """One item's evening and Saturday visits."""

    item_id: int
    label: str
    visits: int
    evening: int
    saturday: int
    evening_of_item: float | None  # share of the item's visits in the evening
    saturday_of_item: float | None
    evening_of_all: float | None  # the item's share of all evening visits
    saturday_of_all: float | None


def drivers(halls: Iterable[Hall], first: date, last: date) -> list[Driver]:
    """Items with evening or Saturday visits, those bringing the most first."""
    sums = queries.sums_by_key(halls, first, last, Dimension.ITEM, ("served", "evening_served", "saturday_served"))
    sums = {key: row for key, row in sums.items() if row["evening_served"] or row["saturday_served"]}
    names = dict(ServiceItem.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    evening = sum(row["evening_served"] for row in sums.values())
    saturday = sum(row["saturday_served"] for row in sums.values())
    found = [
        Driver(
            item_id=key,
            label=names.get(key, str(key)),
            visits=row["served"],
            evening=row["evening_served"],
            saturday=row["saturday_served"],
            evening_of_item=rules.share(row["evening_served"], row["served"]),
            saturday_of_item=rules.share(row["saturday_served"], row["served"]),
            evening_of_all=rules.share(row["evening_served"], evening),
            saturday_of_all=rules.share(row["saturday_served"], saturday),
        )
        for key, row in sums.items()
    ]
    return sorted(found, key=lambda d: (-(d.evening + d.saturday), -d.evening, d.label))


# Sessions --------------------------------------------------------------------------------------------


class Use(enum.StrEnum):
    UNDER = "under"
    NORMAL = ""
    OVER = "over"


USE_LABELS = {
    Use.UNDER: gettext_lazy("Under-used"),
    Use.NORMAL: gettext_lazy("As usual"),
    Use.OVER: gettext_lazy("Over-used"),
}


@dataclass
class SessionUse:
    """One hall's session kind over the period."""

    hall: Hall
    kind: SessionKind
    days: int = 0  # open days with this session
    open_hours: float = 0.0  # time open, added over those days
    # Its half-hours' SESSION_COUNTERS: arrivals, window time held, service and wait times.
    totals: rules.Totals = field(default_factory=rules.Totals)
    median: float | None = None  # the hall's median visitors per open window-hour
    use: Use = Use.NORMAL

    @property
    def arrivals(self) -> int:
        return self.totals.issued

    @property
    def held_hours(self) -> float:
        return self.totals.held_seconds / 3600

    @property
    def per_window_hour(self) -> float | None:
        """Visitors per open window-hour."""
        return self.arrivals / self.held_hours if self.held_hours else None

    @property
    def arrivals_per_hour(self) -> float | None:
        return self.arrivals / self.open_hours if self.open_hours else None

    @property
    def windows_open(self) -> float | None:
        """Windows open on average while the hall is open."""
        return self.held_hours / self.open_hours if self.open_hours else None

    @property
    def ratio(self) -> float | None:
        """Visitors per open window-hour against the hall's median."""
        if self.per_window_hour is None or not self.median:
            return None
        return self.per_window_hour / self.median


# What a session's use and its recommendation read of its half-hours (counters only: no histogram to decode).
SESSION_COUNTERS = ("issued", "held_seconds", "services", "service_seconds", "waits", "wait_seconds")


def sessions(halls: Iterable[Hall], first: date, last: date, opening: OpenDays | None = None) -> list[SessionUse]:
    """Each hall's session kinds over the period, flagged against the hall's median (module docstring)."""
    halls = list(halls)
    opening = opening or open_days(halls, first, last)
    evening = evening_from()
    found: dict[tuple[int, SessionKind], SessionUse] = {}
    kind_of_slot: dict[tuple[int, date], dict[int, SessionKind]] = {}
    for hall in halls:
        for open_day in opening[hall.pk]:
            weekend = open_day.weekday >= 5 and open_day.day.reason != DayReason.MAKEUP_WORKDAY
            kinds = kind_of_slot[hall.pk, open_day.day.date] = {}
            for slot, seconds in open_day.seconds.items():
                kind = kinds[slot] = session_kind(weekend, slot_start(slot), evening)
                use = found.setdefault((hall.pk, kind), SessionUse(hall, kind))
                use.open_hours += seconds / 3600
            for kind in set(kinds.values()):
                found[hall.pk, kind].days += 1
    for hall_id, day, slot, *values in queries.counters(halls, first, last, Dimension.SLOT, SESSION_COUNTERS):
        kind = kind_of_slot.get((hall_id, day), {}).get(slot)
        if kind is not None:
            totals = found[hall_id, kind].totals
            for name, value in zip(SESSION_COUNTERS, values, strict=True):
                setattr(totals, name, getattr(totals, name) + value)
    ordered = [found[hall.pk, kind] for hall in halls for kind in SessionKind if (hall.pk, kind) in found]
    _flag(ordered)
    return ordered


def _flag(uses: list[SessionUse]) -> None:
    by_hall: dict[int, list[SessionUse]] = defaultdict(list)
    for use in uses:
        by_hall[use.hall.pk].append(use)
    for hall_uses in by_hall.values():
        rates = [u.per_window_hour for u in hall_uses if u.per_window_hour is not None]
        median = statistics.median(rates) if rates else None
        for use in hall_uses:
            use.median = median
            ratio = use.ratio
            if ratio is not None and ratio < settings.WEIMIN_ANALYTICS_UNDER_USED:
                use.use = Use.UNDER
            elif ratio is not None and ratio > settings.WEIMIN_ANALYTICS_OVER_USED:
                use.use = Use.OVER


# Recommendations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    session: SessionUse
    arrivals_per_hour: float
    windows_open: float
    mean_service_minutes: float
    windows_needed: int
    open_hours_per_week: float
    target_minutes: int
    target_share: float

    @property
    def change(self) -> float:
        """Windows to add (positive) or that could close (negative) on average."""
        return self.windows_needed - self.windows_open

    @property
    def window_hours_per_week(self) -> float:
        """The change's size: window-hours a week added or freed (the ranking)."""
        return self.change * self.open_hours_per_week

    def action(self) -> str:
        if self.change >= 0.5:
            return _("Open %(n)s windows (now %(open).1f).") % {"n": self.windows_needed, "open": self.windows_open}
        if self.change <= -0.5:
            return _("Reduce to %(n)s windows (now %(open).1f).") % {
                "n": self.windows_needed,
                "open": self.windows_open,
            }
        return _("Keep the windows as they are.")

    def sentence(self) -> str:
        """The figures in one actionable sentence (the issue's example)."""
        text = _(
            "%(hall)s, %(session)s: %(rate).1f visitors an hour with %(open).1f windows open; %(needed)s windows "
            "would keep %(share)s of waits under %(target)s minutes."
        ) % {
            "hall": self.session.hall.name,
            "session": self.session.kind.label,
            "rate": self.arrivals_per_hour,
            "open": self.windows_open,
            "needed": self.windows_needed,
            "share": f"{self.target_share * 100:.0f}%",
            "target": self.target_minutes,
        }
        return _("%(figures)s %(action)s") % {"figures": text, "action": self.action()}


def recommendations(uses: list[SessionUse], first: date, last: date) -> list[Recommendation]:
    """For each flagged session (one with windows open and nobody coming too), the windows Erlang C asks
    for; the biggest change first."""
    weeks = ((last - first).days + 1) / 7
    target, target_share = queries.wait_target(), settings.WEIMIN_ANALYTICS_TARGET_SHARE
    hall_service: dict[int, rules.Totals] = defaultdict(rules.Totals)
    for use in uses:
        hall_service[use.hall.pk] += use.totals
    found = []
    for use in uses:
        if use.use == Use.NORMAL or not use.open_hours:
            continue
        service = use.totals.mean_service_minutes() or hall_service[use.hall.pk].mean_service_minutes()
        if not service:
            continue  # nobody served: no service time to plan with
        rate = use.arrivals_per_hour
        found.append(
            Recommendation(
                session=use,
                arrivals_per_hour=rate,
                windows_open=use.windows_open,
                mean_service_minutes=service,
                windows_needed=queueing.windows_needed(rate, service, target, target_share),
                open_hours_per_week=use.open_hours / weeks,
                target_minutes=target,
                target_share=target_share,
            )
        )
    return sorted(found, key=lambda r: (-abs(r.window_hours_per_week), r.session.hall.position, r.session.kind))


@dataclass(frozen=True)
class Demand:
    """Everything the demand page shows for a set of halls and a period."""

    heat_map: HeatMap
    drivers: list[Driver]
    sessions: list[SessionUse]
    recommendations: list[Recommendation]

    @property
    def window_time_missing(self) -> bool:
        """Visitors came but no window was signed in: the sessions' use cannot be measured."""
        return any(u.arrivals for u in self.sessions) and not any(u.held_hours for u in self.sessions)


def demand(halls: Iterable[Hall], first: date, last: date, item: ServiceItem | None = None) -> Demand:
    halls = list(halls)
    opening = open_days(halls, first, last)
    uses = sessions(halls, first, last, opening)
    return Demand(
        heat_map(halls, first, last, item, opening),
        drivers(halls, first, last),
        uses,
        recommendations(uses, first, last),
    )


def default_period(today: date) -> tuple[date, date]:
    """Four whole weeks up to yesterday (closed days only)."""
    return today - timedelta(days=28), today - timedelta(days=1)
