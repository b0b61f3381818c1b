"""What planning reads of a hall, through the owners' queries, in the shapes of its pure modules.

The recorded arrivals per day, half-hour and skill group (an item category, the ``item_slot`` rollups of
``analytics``), each day's open half-hours and make-up workdays (``halls.hours.HallCalendar``), handling
times, no-shows and the priority share (rollups and ``tickets.queue``), the slots already booked, and the
hall's window staff with their skills, leave, the month's overtime so far (duty records), 补休 balance and
evening and Saturday turns of the previous three weeks (``shifts.queries``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings

from weimin.accounts import queries as staff_queries
from weimin.analytics import queries as analytics_queries
from weimin.analytics import queueing
from weimin.analytics.choices import Dimension
from weimin.analytics.rules import half_hour
from weimin.halls.choices import DayReason
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, ItemCategory, ServiceItem
from weimin.planning import forecast
from weimin.planning.labour import Preference, StaffMember
from weimin.planning.models import Absence, AbsenceKind, ShiftPreference
from weimin.planning.simulation import HandlingTimes
from weimin.shifts import queries as shift_queries
from weimin.tickets import queue

SLOTS = 48
RECENT_WEEKS = 3  # fairness looks at a rolling four weeks: the three before the planned one, and it
SAMPLE_LIMIT = 5000  # recorded handling times kept per group (resampled by the simulation)
DEFAULT_HANDLING_SECONDS = 600.0  # a group with no recorded service yet: ten minutes, as variable as it is long


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def item_groups() -> dict[int, str]:
    """Each item's skill group: its category's code."""
    return dict(ServiceItem.objects.values_list("pk", "category__code"))


def arrival_counts(hall: Hall, first: date, last: date) -> dict[tuple[date, int, str], int]:
    """Tickets issued per (business day, half-hour, group) over [first, last], from the rollups."""
    groups, counts = item_groups(), defaultdict(int)
    rows = analytics_queries.counters([hall], first, last, Dimension.ITEM_SLOT, ("issued",))
    for _hall, day, key, issued in rows:
        item_id, slot = divmod(key, SLOTS)
        if issued and item_id in groups:
            counts[day, slot, groups[item_id]] += issued
    return dict(counts)


def day_infos(hall: Hall, first: date, last: date) -> list[forecast.DayInfo]:
    """Each date's open half-hours (its sessions' from opening to closing) and make-up workday flag, and the
    closure flags ``forecast.describe_days`` derives from them."""
    calendar, openings, makeup = HallCalendar(hall), {}, set()
    for day in days_between(first, last):
        hall_day = calendar.day(day)
        openings[day] = forecast.half_hours((s.start.time(), s.end.time()) for s in hall_day.sessions)
        if hall_day.reason == DayReason.MAKEUP_WORKDAY:
            makeup.add(day)
    return forecast.describe_days(openings, makeup)


def bookings(hall: Hall, monday: date) -> dict[tuple[date, int, str], int]:
    """Slots already booked in the week, per (day, half-hour, group)."""
    groups, counts = item_groups(), defaultdict(int)
    start = datetime.combine(monday, time(0), hall.tz)
    for slot_start, item_id in queue.booked_slots(hall.pk, start, start + timedelta(days=7)):
        local = slot_start.astimezone(hall.tz)
        counts[local.date(), half_hour(local), groups[item_id]] += 1
    return dict(counts)


def handling_times(hall: Hall, first: date, last: date) -> dict[str, HandlingTimes]:
    """Per group, the service times recorded over [first, last] (whole minutes, taken at their middle), a
    sample the simulation resamples; a group never served gets ten minutes with a coefficient of variation 1."""
    codes = dict(ItemCategory.objects.values_list("pk", "code"))
    found = {}
    for group in analytics_queries.breakdown([hall], first, last, analytics_queries.By.CATEGORY):
        histogram = group.totals.service_histogram
        total = sum(histogram.values())
        if group.key not in codes or not total:
            continue
        scale = min(1.0, SAMPLE_LIMIT / total)
        sample = [minute * 60 + 30.0 for minute, n in sorted(histogram.items()) for _ in range(round(n * scale))]
        found[codes[group.key]] = HandlingTimes(sample_seconds=tuple(sample))
    default = HandlingTimes(mean_seconds=DEFAULT_HANDLING_SECONDS, cv=1.0)
    return defaultdict(lambda: default, found)


def no_shows(hall: Hall, first: date, last: date) -> tuple[float, float | None]:
    """Over [first, last]: the share of called visitors who did not come (过号), and the visitors' mean patience
    in seconds read from it as Erlang A's abandonment (``queueing.patience_minutes``; None when nobody failed to
    come)."""
    totals = analytics_queries.total([hall], first, last)
    called = totals.served + totals.no_show
    patience = queueing.patience_minutes(totals.no_show, totals.wait_seconds / 60)
    return (totals.no_show / called if called else 0.0), (None if patience is None else patience * 60)


def priority_shares(hall: Hall, first: date, last: date) -> dict[str, float]:
    """Per group, the share of tickets issued to the priority lane over [first, last]."""
    groups, sums = item_groups(), defaultdict(lambda: [0, 0])
    for item_id, (priority, total) in queue.priority_counts(hall.pk, first, last).items():
        sums[groups[item_id]][0] += priority
        sums[groups[item_id]][1] += total
    return {group: priority / total for group, (priority, total) in sums.items() if total}


def _local(instant: datetime, hall: Hall) -> datetime:
    """A hall-local wall-clock time, as the roster's pure modules count (naive)."""
    return instant.astimezone(hall.tz).replace(tzinfo=None)


def staff_members(hall: Hall, monday: date, now: datetime) -> tuple[list[StaffMember], dict[str, object]]:
    """The hall's window staff as the roster reads them, and their accounts by the roster's staff id."""
    profiles = staff_queries.window_staff(hall)
    users = {str(p.user_id): p.user for p in profiles}
    ids = [p.user_id for p in profiles]
    groups = item_groups()
    week_start = datetime.combine(monday, time(0), hall.tz)
    week_end = week_start + timedelta(days=7)
    month_start = datetime.combine(monday.replace(day=1), time(0), hall.tz)
    recent_start = week_start - timedelta(weeks=RECENT_WEEKS)
    evening_from = time.fromisoformat(settings.WEIMIN_ANALYTICS_EVENING_FROM)
    regular = settings.WEIMIN_PLANNING_REGULAR_HOURS_PER_DAY * 60
    duties = shift_queries.duties_of(ids, min(month_start, recent_start), week_start)
    worked_by_day: dict[tuple[int, date], float] = defaultdict(float)
    evenings, saturdays, last_end = defaultdict(set), defaultdict(set), {}
    for user_id, started_at, ended_at in duties:
        start, end = _local(started_at, hall), _local(min(ended_at or now, week_start), hall)
        if started_at >= month_start:
            worked_by_day[user_id, start.date()] += (end - start).total_seconds() / 60
        if started_at >= recent_start:
            if start.weekday() == 5:
                saturdays[user_id].add(start.date())
            elif end.time() > evening_from or end.date() > start.date():
                evenings[user_id].add(start.date())
        last_end[user_id] = max(last_end.get(user_id, end), end)
    overtime = defaultdict(float)
    for (user_id, _day), minutes in worked_by_day.items():
        overtime[user_id] += max(minutes - regular, 0)
    leave, unavailable = defaultdict(set), defaultdict(list)
    absences = Absence.objects.filter(user_id__in=ids, starts_at__lt=week_end, ends_at__gt=week_start)
    for absence in absences:
        if absence.kind == AbsenceKind.LEAVE:
            first, last = _local(absence.starts_at, hall).date(), _local(absence.ends_at, hall).date()
            leave[absence.user_id] |= {d for d in days_between(first, last) if monday <= d < monday + timedelta(7)}
        else:
            unavailable[absence.user_id].append((_local(absence.starts_at, hall), _local(absence.ends_at, hall)))
    balances = shift_queries.balances(ids)
    wishes = defaultdict(list)
    for wish in ShiftPreference.objects.filter(user_id__in=ids):
        day = None if wish.weekday is None else monday + timedelta(days=wish.weekday)
        wishes[wish.user_id].append(Preference(wish.wanted, day=day, pattern=wish.pattern or None))
    members = [
        StaffMember(
            id=str(p.user_id),
            name=str(p),
            skills=frozenset(groups[item.pk] for item in p.skills.all()),
            contracted_minutes=int(p.contracted_hours_per_week * 60),
            leave_days=frozenset(leave[p.user_id]),
            unavailable=tuple(sorted(unavailable[p.user_id])),
            overtime_minutes_this_month=int(overtime[p.user_id]),
            comp_time_minutes=max(balances.get(p.user_id, 0), 0),
            recent_evening_sessions=len(evenings[p.user_id]),
            recent_saturday_sessions=len(saturdays[p.user_id]),
            last_shift_end=last_end.get(p.user_id),
            preferences=tuple(wishes[p.user_id]),
        )
        for p in profiles
    ]
    return members, users
