"""Reading the measures: totals and breakdowns over halls and days, from the rollups only.

Every page, export, API call and command reads its figures here, so they agree to the digit. A
district's figures are its halls' rows added up, so the halls' figures add up to the district.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, authorize, halls_where, may
from weimin.analytics import rules
from weimin.analytics.choices import Dimension
from weimin.analytics.models import Rollup
from weimin.analytics.records import day_totals
from weimin.halls.lookups import hall_or_404
from weimin.halls.models import Hall, ServiceItem, Window

_VALUES = ("hall_id", "business_date", "key", *rules.COUNTERS, "wait_histogram", "service_histogram")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class By:
    """What a breakdown groups by (the dimensions of issue 11)."""

    HALL = "hall"
    ITEM = "item"
    CATEGORY = "category"
    WINDOW = "window"
    STAFF = "staff"
    HOUR = "hour"
    WEEKDAY = "weekday"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    ALL = (HALL, ITEM, CATEGORY, WINDOW, STAFF, HOUR, WEEKDAY, DAY, WEEK, MONTH)


# Which rollup rows each breakdown reads.
_DIMENSION_OF = {
    By.HALL: Dimension.HALL,
    By.ITEM: Dimension.ITEM,
    By.CATEGORY: Dimension.ITEM,
    By.WINDOW: Dimension.WINDOW,
    By.STAFF: Dimension.STAFF,
    By.HOUR: Dimension.SLOT,
    By.WEEKDAY: Dimension.HALL,
    By.DAY: Dimension.HALL,
    By.WEEK: Dimension.HALL,
    By.MONTH: Dimension.HALL,
}


def hall_for(user, code: str) -> Hall:
    """The hall whose figures ``user`` asks for: 404 for an unknown code, NotPermitted unless they may."""
    hall = hall_or_404(code)
    authorize(user, Action.ANALYTICS_VIEW, hall)
    return hall


def halls_for(user) -> list[Hall]:
    """Every hall whose figures ``user`` may see (the district office: all of them)."""
    return list(halls_where(user, Action.ANALYTICS_VIEW).order_by("position", "code"))


def sees_district(user) -> bool:
    """The district's comparison of its halls is the office's (and a superuser's)."""
    return may(user, Action.ANALYTICS_VIEW, None)


def wait_target() -> int:
    return settings.WEIMIN_ANALYTICS_WAIT_TARGET_MINUTES


def figures(totals: rules.Totals) -> dict:
    return totals.figures(wait_target())


def _totals(row: tuple) -> rules.Totals:
    counters = row[3 : 3 + len(rules.COUNTERS)]
    waits, services = row[-2], row[-1]
    return rules.Totals(
        **dict(zip(rules.COUNTERS, counters, strict=True)),
        wait_histogram=Counter({int(m): n for m, n in waits.items()}),
        service_histogram=Counter({int(m): n for m, n in services.items()}),
    )


def _in_period(hall_ids: list[int], first: date, last: date, dimension: str):
    return Rollup.objects.filter(
        dimension=dimension, hall__in=hall_ids, business_date__gte=first, business_date__lte=last
    )


def counters(
    halls: Iterable[Hall],
    first: date,
    last: date,
    dimension: str,
    names: tuple[str, ...],
    keys: tuple[int, int] | None = None,
):
    """(hall id, business day, key, *the counters ``names``) of each rollup row of the halls over [first,
    last] along ``dimension``, keys within [low, high] when given: what analyses finer than a breakdown
    read (``analytics.demand``: half-hours by weekday and session, one item's half-hours). Counters only,
    no histograms: a year of a district's half-hours reads in a blink."""
    rows = _in_period([h.pk for h in halls], first, last, dimension)
    if keys is not None:
        rows = rows.filter(key__gte=keys[0], key__lte=keys[1])
    return rows.values_list("hall_id", "business_date", "key", *names)


def sums_by_key(halls: Iterable[Hall], first: date, last: date, dimension: str, names: tuple[str, ...]) -> dict:
    """The counters ``names`` summed over the halls and [first, last] by the rollups' key, in the database:
    {key: {name: sum}}."""
    rows = (
        _in_period([h.pk for h in halls], first, last, dimension)
        .values("key")
        .annotate(**{name: Sum(name) for name in names})
    )
    return {row.pop("key"): row for row in rows}


def _rows(hall_ids: list[int], first: date, last: date, dimension: str):
    return _in_period(hall_ids, first, last, dimension).values_list(*_VALUES)


def total(halls: Iterable[Hall], first: date, last: date) -> rules.Totals:
    """The halls' totals over [first, last]."""
    return _grouped([h.pk for h in halls], first, last, None).get(None, rules.Totals())


# Month parts (issue 11, point 6: a one-year report reads tens of thousands of day rows, whose parsing
# and adding up takes seconds). A read is the sum of its (hall, month) parts, and each part's groups
# are kept in this process, keyed by a fingerprint of the part's rows: rebuilding any day of the month
# replaces its rows (new ids, so a new highest id) and a day whose rows went away lowers the count, so
# a changed month is always recomputed; the sums of every counter guard against ids reused after a
# rolled-back transaction (tests: ``forget_parts`` between them). A page view then reads one grouped
# query of fingerprints and adds up ready parts; only the months changed since (usually just the
# current one) are read row by row.


class _KeptParts:
    """The month parts this process keeps, least recently used first out, bounded by the number of
    ``Totals`` they hold (each up to about 9 kB with its histograms: 20,000 stay under some 200 MB; a one-year
    hall report by item holds about 520, the district's weekly trend 156)."""

    def __init__(self, limit: int):
        self.limit, self.held = limit, 0
        self.parts: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        os.register_at_fork(after_in_child=self._unlocked)  # a rollup's pool forks: see TimedCache._unlocked

    def _unlocked(self) -> None:
        self.lock = threading.Lock()

    def get(self, key) -> dict | None:
        with self.lock:
            part = self.parts.get(key)
            if part is not None:
                self.parts.move_to_end(key)
            return part

    def put(self, key, part: dict) -> None:
        with self.lock:
            if key in self.parts:
                return
            self.parts[key] = part
            self.held += len(part)
            while self.held > self.limit and len(self.parts) > 1:
                self.held -= len(self.parts.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.parts.clear()
            self.held = 0


_PARTS = _KeptParts(limit=20_000)


def forget_parts() -> None:
    """Drop the month parts this process keeps (tests, whose rolled-back data may repeat ids and sums)."""
    _PARTS.clear()


# Integer columns only: PostgreSQL adds floats in whatever order a parallel aggregate meets them, so a sum of
# seconds can differ in its last bit from one read to the next — a part then never matched (at 1 M tickets a
# one-year report by item recomputed every month on every view: 440–720 ms instead of about 50).
FINGERPRINTED = ("id", "key", *(name for name in rules.COUNTERS if not name.endswith("_seconds")))
_FINGERPRINT = (Count("id"), Max("id"), *(Sum(name) for name in FINGERPRINTED[1:]))


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _grouped(hall_ids: list[int], first: date, last: date, by: str | None) -> dict[object, rules.Totals]:
    """The halls' totals over [first, last] by ``by`` (None: one total), added up from month parts."""
    dimension = _DIMENSION_OF[by] if by else Dimension.HALL
    fingerprints = (
        Rollup.objects.filter(dimension=dimension, hall__in=hall_ids, business_date__gte=first,
                              business_date__lte=last)
        .annotate(month=TruncMonth("business_date"))
        .values_list("hall_id", "month")
        .annotate(*_FINGERPRINT)
        .order_by()
    )  # fmt: skip
    groups: dict[object, rules.Totals] = defaultdict(rules.Totals)
    for hall_id, month, *fingerprint in fingerprints:
        span = (max(first, month), min(last, _month_end(month)))
        key = (by, dimension, hall_id, span, tuple(fingerprint))
        part = _PARTS.get(key)
        if part is None:
            part = _part(hall_id, span, dimension, by)
            _PARTS.put(key, part)
        for group, totals in part.items():
            groups[group] += totals
    return groups


def _part(hall_id: int, span: tuple[date, date], dimension: str, by: str | None) -> dict[object, rules.Totals]:
    """One hall's totals over a span within a month, by ``by``, from its rows."""
    part: dict[object, rules.Totals] = defaultdict(rules.Totals)
    for row in _rows([hall_id], *span, dimension):
        part[_group(by, row) if by else None] += _totals(row)
    return dict(part)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _group(by: str, row: tuple):
    """The group a rollup row counts in (by category: its item, whose category is looked up after)."""
    hall_id, day, key = row[0], row[1], row[2]
    match by:
        case By.HALL:
            return hall_id
        case By.HOUR:
            return key // 2
        case By.WEEKDAY:
            return day.weekday()
        case By.DAY:
            return day
        case By.WEEK:
            return week_start(day)
        case By.MONTH:
            return day.replace(day=1)
    return key  # item, window, staff


@dataclass(frozen=True)
class Group:
    key: object
    label: str
    totals: rules.Totals

    @property
    def figures(self) -> dict:
        return figures(self.totals)


def breakdown(halls: Iterable[Hall], first: date, last: date, by: str) -> list[Group]:
    """The halls' totals over [first, last] by ``by`` (one of ``By.ALL``), in the dimension's natural order."""
    halls = list(halls)
    items = {item.pk: item for item in ServiceItem.objects.select_related("category")}
    groups = _grouped([h.pk for h in halls], first, last, By.ITEM if by == By.CATEGORY else by)
    if by == By.CATEGORY:
        by_category: dict[object, rules.Totals] = defaultdict(rules.Totals)
        for item_id, totals in groups.items():
            by_category[items[item_id].category_id if item_id in items else None] += totals
        groups = by_category
    labels = _labels(by, list(groups), halls, items)
    return [Group(key, labels.get(key, str(key)), groups[key]) for key in sorted(groups, key=_order)]


def _order(key):
    return (key is None, key if key is not None else 0)


def _labels(by: str, keys: list, halls: list[Hall], items: dict[int, ServiceItem]) -> dict:
    match by:
        case By.HALL:
            return {hall.pk: hall.name for hall in halls}
        case By.ITEM:
            return {key: items[key].name for key in keys if key in items}
        case By.CATEGORY:
            return {item.category_id: item.category.name for item in items.values()} | {None: _("Other")}
        case By.WINDOW:
            windows = Window.objects.filter(pk__in=keys).select_related("hall")
            several = len(halls) > 1
            return {w.pk: _window_label(w, several) for w in windows}
        case By.STAFF:
            return {user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=keys)}
        case By.HOUR:
            return {hour: f"{hour:02d}:00" for hour in keys}
        case By.WEEKDAY:
            return {day: WEEKDAYS[day] for day in keys}
        case By.DAY | By.WEEK | By.MONTH:
            return {day: time_label(by, day) for day in keys}
    return {}


def time_label(by: str, day: date) -> str:
    """The label of a day, a week (its Monday) or a month (its first day)."""
    match by:
        case By.WEEK:
            return _("Week of %(day)s") % {"day": day.isoformat()}
        case By.MONTH:
            return f"{day:%Y-%m}"
    return day.isoformat()


def _window_label(window: Window, with_hall: bool) -> str:
    name = _("Window %(number)s") % {"number": window.number}
    if window.label:
        name = f"{name} {window.label}"
    return f"{window.hall.name} {name}" if with_hall else name


def today_so_far(hall: Hall, now: datetime) -> rules.Totals:
    """The hall's totals of today up to ``now``, counted live from the records (not the rollups)."""
    return day_totals(hall, hall.local_date(now), now).get((Dimension.HALL, 0), rules.Totals())
