"""Opening hours and working days: the one place that answers when a hall is open.

- is hall H open at instant T          → ``HallCalendar(h).is_open(t)``
- its sessions on date D               → ``HallCalendar(h).day(d)``
- when it next opens                   → ``HallCalendar(h).next_opening(t)``
- N working days after a date          → ``add_working_days(d, n, hall=h)``

Instants are aware datetimes (stored in UTC); a hall's business day is a date in its own time zone.
A date in a year whose national calendar nobody has published yet keeps the hall's weekly schedule,
marked provisional (临时安排) on every page; the hall's own closures still apply. Working days, which
legal deadlines count, are never guessed: ``is_working_day`` and ``add_working_days`` raise
CalendarUnknown there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings

from weimin.calendars import rules
from weimin.calendars.national import NationalCalendar, holiday_display_name
from weimin.calendars.rules import CalendarUnknown, DayKind
from weimin.core.cache import TimedCache
from weimin.halls.choices import DayReason
from weimin.halls.models import Hall

DAY_REASON_BY_KIND = {
    DayKind.WORKDAY: DayReason.WORKDAY,
    DayKind.MAKEUP_WORKDAY: DayReason.MAKEUP_WORKDAY,
    DayKind.WEEKEND: DayReason.WEEKEND,
    DayKind.HOLIDAY: DayReason.HOLIDAY,
}


_hall_entries = TimedCache()


def load_hall_entries(hall: Hall) -> tuple[list, dict]:
    schedules = list(hall.schedules.prefetch_related("sessions").order_by("valid_from"))
    return schedules, {s.date: s for s in hall.special_days.prefetch_related("sessions")}


def forget_hall_entries(**kwargs) -> None:
    _hall_entries.clear()


@dataclass(frozen=True)
class Session:
    """One opening session on one date, as aware datetimes in the hall's time zone."""

    start: datetime
    end: datetime
    cutoff_minutes: int

    @property
    def last_ticket(self) -> datetime:
        """No ticket is issued after this instant (the cut-off before closing)."""
        return max(self.start, self.end - timedelta(minutes=self.cutoff_minutes))

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def accepts_tickets_at(self, instant: datetime) -> bool:
        return self.start <= instant <= self.last_ticket


@dataclass(frozen=True)
class HallDay:
    """A hall's hours on one date, and why."""

    date: date
    sessions: tuple[Session, ...]
    reason: DayReason
    note: str = ""
    provisional: bool = False  # 临时安排: the year's national holidays are not known yet

    @property
    def open(self) -> bool:
        return bool(self.sessions)

    def session_at(self, instant: datetime) -> Session | None:
        """The session in progress at ``instant``, if any."""
        return next((s for s in self.sessions if s.contains(instant)), None)


@dataclass(frozen=True)
class HallStatus:
    """What a visitor wants to know at an instant: today's hours, open now, next opening."""

    today: HallDay | None
    current: Session | None
    next_opening: Session | None
    provisional: bool = False  # today's or the next opening's hours are provisional
    at: datetime | None = None

    @property
    def open_now(self) -> bool:
        return self.current is not None

    @property
    def tickets_stopped(self) -> bool:
        """Open, but past the session's last ticket (the kiosk issues no more): still serving those
        already waiting, nobody new should set out for the hall."""
        return self.current is not None and self.at is not None and not self.current.accepts_tickets_at(self.at)


class HallCalendar:
    """A hall's schedules and special days, loaded once, answering hours questions in memory."""

    def __init__(self, hall: Hall, national: NationalCalendar | None = None):
        self.hall = hall
        self.national = national or NationalCalendar()
        self.schedules, self.special_days = _hall_entries.get(lambda: load_hall_entries(hall), key=hall.pk)

    def _session(self, day: date, start: time, end: time) -> Session:
        return Session(
            datetime.combine(day, start, tzinfo=self.hall.tz),
            datetime.combine(day, end, tzinfo=self.hall.tz),
            self.hall.cutoff_minutes,
        )

    def _weekly_sessions(self, day: date, weekday: int, hours_of: date | None = None) -> tuple[Session, ...]:
        schedule = next((s for s in self.schedules if s.covers(hours_of or day)), None)
        if schedule is None:
            return ()
        return tuple(
            self._session(day, s.start, s.end)
            for s in sorted(schedule.sessions.all(), key=lambda s: s.start)
            if s.weekday == weekday
        )

    def _schedule_in_force(self, day: date) -> bool:
        return any(s.covers(day) for s in self.schedules)

    def day(self, day: date, *, hours_of: date | None = None) -> HallDay:
        """The hall's hours on ``day``; with ``hours_of``, its weekly schedule as it was in force on that
        other date (planning compares a week under earlier hours), holidays and closures still ``day``'s."""
        special = self.special_days.get(day)
        if special is not None:
            if special.closed:
                return HallDay(day, (), DayReason.CLOSURE, special.reason)
            sessions = tuple(
                self._session(day, s.start, s.end) for s in sorted(special.sessions.all(), key=lambda s: s.start)
            )
            return HallDay(day, sessions, DayReason.SPECIAL_HOURS, special.reason)
        try:
            status, provisional = self.national.status(day), False
        except CalendarUnknown:
            # Halls keep opening while the State Council's notice is awaited; the office enters it later.
            status, provisional = rules.status_by_weekday(day), True
        reason = DAY_REASON_BY_KIND[status.kind]
        note = holiday_display_name(status.holiday_name)
        if status.kind == DayKind.HOLIDAY:
            return HallDay(day, (), reason, note)
        if not self._schedule_in_force(hours_of or day):
            return HallDay(day, (), DayReason.NO_SCHEDULE, provisional=provisional)
        # 调休: a make-up Saturday or Sunday is a full working day, kept on the weekday schedule.
        weekday = day.weekday()
        if status.kind == DayKind.MAKEUP_WORKDAY:
            weekday = settings.WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY
        return HallDay(day, self._weekly_sessions(day, weekday, hours_of), reason, note, provisional)

    def session_at(self, instant: datetime) -> Session | None:
        return self.day(self.hall.local_date(instant)).session_at(instant)

    def is_open(self, instant: datetime) -> bool:
        return self.session_at(instant) is not None

    def accepts_tickets_at(self, instant: datetime) -> bool:
        return any(s.accepts_tickets_at(instant) for s in self.day(self.hall.local_date(instant)).sessions)

    def _next_opening_day(self, instant: datetime, horizon_days: int) -> tuple[HallDay, Session] | None:
        first = self.hall.local_date(instant)
        for offset in range(horizon_days + 1):
            hall_day = self.day(first + timedelta(days=offset))
            for session in hall_day.sessions:
                if session.start > instant:
                    return hall_day, session
        return None

    def next_opening(self, instant: datetime, horizon_days: int = 366) -> Session | None:
        """The first session starting after ``instant`` within the horizon (perhaps provisional), or None."""
        found = self._next_opening_day(instant, horizon_days)
        return found[1] if found else None

    def status_at(self, instant: datetime) -> HallStatus:
        today = self.day(self.hall.local_date(instant))
        upcoming = self._next_opening_day(instant, horizon_days=31)
        return HallStatus(
            today,
            today.session_at(instant),
            upcoming[1] if upcoming else None,
            today.provisional or bool(upcoming and upcoming[0].provisional),
            at=instant,
        )

    def is_working_day(self, day: date) -> bool:
        """A national working day on which this hall is not closed by its own decision.

        Raises CalendarUnknown for a year not published: deadlines are never counted on provisional days."""
        special = self.special_days.get(day)
        if special is not None and special.closed:
            return False
        return self.national.is_working_day(day)


def add_working_days(start: date, days: int, hall: Hall | None = None) -> date:
    """The ``days``-th working day after ``start`` (start not counted; 民法典 Art. 201).

    With a hall, its own closures are not working days either. Raises CalendarUnknown when the
    count runs into an unpublished year, ValueError for a negative or absurd ``days``.
    """
    is_working_day = HallCalendar(hall).is_working_day if hall else NationalCalendar().is_working_day
    return rules.add_working_days(start, days, is_working_day, limit=settings.WEIMIN_MAX_WORKING_DAYS)


__all__ = ["HallCalendar", "HallDay", "HallStatus", "Session", "CalendarUnknown", "add_working_days"]
