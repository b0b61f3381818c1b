"""The demo's past (演示历史数据): every hall's closed, finished days from ``data.HISTORY_STARTS`` to the
day before the demo clock, so the analytics have five months of records to read.

What it models, per hall and open day (``HallCalendar(hall).day``: holidays — National Day week
2017-10-01..08 — are closed, the make-up Saturday 2017-09-30 is a working day; before
``data.EXTENSION_STARTS`` nothing after 18:00 and no Saturday, from then the evening to 19:30 and
Saturday mornings):

- **Demand.** Each queue (the windows serving the same items) draws visitors at ``UTILISATION`` of its
  windows' capacity (windows ÷ mean handling minutes), shaped by ``WEEKDAY_DEMAND`` (Monday busiest),
  ``FRIDAY_AFTERNOON``, the half-hour profile ``DAY_SHAPE`` (late-morning peak, the lunch closure, the
  after-work peak of the evening session once it exists), ``EVENING_CATEGORY`` (companies' business
  comes in the evening), ``SURGE`` on the first working days after a closure of several days, and
  after the extension a slow rise of ``WEEKLY_GROWTH`` a week; each day varies by ``DAY_NOISE``.
- **Queueing.** Visitors are served first come, first served by the queue's staffed windows (a small
  multi-server simulation, as ``simulation.prepare_day`` does), each for the item's handling time ×
  ``SERVICE_SPREAD``. Some give up when the wait is long (``GIVE_UP_*``) or cancel (``CANCEL_SHARE``),
  some do not answer the call (``NO_SHOW_SHARE``, of whom ``REJOIN_SHARE`` rejoin and are served), some
  are transferred to another window of their queue (``TRANSFER_SHARE``). Nothing is left open.
- **Duties.** The hall's seeded clerks (``<hall>-NN``) hold its windows, rotating day by day, one duty
  per window and session from the session's start to its end (or the last visitor served); on
  Saturdays only ``SATURDAY_WINDOWS`` of the windows open.
- **Cases.** ``CASE_SHARE`` of the visits served for an item with a statutory time limit open a case;
  ``DECISION_SHARES`` decide it (容缺受理 only where a 容缺 material can be missing, else 受理), each with
  its notice. ``SAME_DAY_RETURN_SHARE`` of the 补正 come back the same day through the fast lane (a
  resubmission ticket to the clerk's window); the others on a later working day; all are then
  accepted. Accepted cases are concluded (办结) within the promised days, ``LATE_SHARE`` a little
  late, marked ready and collected at a window or posted; 容缺 materials arrive in time
  (``PROMISE_KEPT_SHARE``) or the case is withdrawn the next morning (``weimin cases-daily``).
  Company agents (``applicant_kind`` company with ``agent_name``) are ``COMPANY_SHARE`` of a category's
  daytime applicants and more in the evening (``EVENING_COMPANY_LIFT``).
- **Ratings.** ``TICKET_RATING_SHARE`` of served visits and ``CASE_RATING_SHARE`` of finished cases
  are rated on the pad, levels by ``RATING_LEVELS`` (about 2 % bad); every bad rating has its
  follow-up, contacted and resolved within its working days.

Everything recorded ends before the demo clock's day, and nothing is left that ``weimin integrity``
(``--strict`` too) would report: no ticket open, no case held (intake, 补正, pick-up) by a clerk off
duty, no follow-up late. So what would fall after the history's last day does not happen in it: a
补正 whose applicant could not come back within it is accepted at once, a result not collected by
then is concluded but not yet marked ready, a case not concluded by then is still processing within
its promised time. Visits nobody rated get no default rating here (``weimin ratings-daily`` gives
them one when it runs, for the last 60 days).

Rows are built with the owners' constructors (``tickets.models.new_ticket``/``issued_event``,
``TicketEvent``, ``cases.models.new_case``/``new_event``/``new_notice``/``ready_notification``) and
inserted in bulk (``core.db.insert_rows``: ``bulk_create``'s per-value work would take most of the
time), one transaction a day. The same ``seed`` gives the same history. A hall's day that already has
tickets is left as it is, and a clerk an earlier demo run kept on duty through a day is not rostered
on it (``_plan_rosters``).

Volume and time: at ``UTILISATION`` the district hall has about 270 visits on a weekday before the
extension and 360 after (up to 500 on the day after National Day week), a subdistrict hall 25–75;
from 2017-07-01 to 2017-12-07 that is some 69 000 tickets (283 000 events), 13 400 cases (70 000
events), 11 700 ratings and 28 000 duties, about 560 000 rows: some 75 s of one core on SQLite
(about 1.1 ms a ticket with all that comes with it), which bounds how busy the demo's past can be
while `make demo` stays quick. Raise ``UTILISATION`` (and ``CASE_SHARE``) for a busier past.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from weimin.accounts.choices import Role
from weimin.accounts.models import person_name
from weimin.calendars.rules import CalendarUnknown
from weimin.cases import rules as case_rules
from weimin.cases.choices import ApplicantKind, DeliveryMethod, ResultKind
from weimin.cases.models import (
    Case,
    CaseMaterial,
    Resubmission,
    case_number,
    new_case,
    new_event,
    new_notice,
    ready_notification,
)
from weimin.cases.rules import MaterialState
from weimin.core.db import insert_rows
from weimin.core.identity import CREDIT_CHARSET, credit_check_char, id_check_char, mask_id_number
from weimin.demo import data
from weimin.demo.simulation import (
    PRIORITY_SHARE,
    SIMULATED_PRIORITIES,
    Step,
    save_tickets,
    serving_windows,
    simulated_staff,
    window_groups,
)
from weimin.halls.choices import HallKind
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, Material, Window
from weimin.ratings.choices import Level, Resolution
from weimin.ratings.models import FollowUp, Rating
from weimin.shifts.models import Duty
from weimin.tickets.choices import Priority, TicketSource
from weimin.tickets.models import Ticket, new_ticket, secret_hash
from weimin.tickets.rules import Event
from weimin.tickets.rules import Status as TicketStatus

HISTORY_SEED = 20170701

# --- demand ---
# Share of a queue's window capacity that arrives on an ordinary weekday before the extension: the
# district hall is busy, a subdistrict hall much quieter (see the module's note on volume and time).
UTILISATION = {HallKind.DISTRICT: 0.36, HallKind.SUBDISTRICT: 0.1}
WEEKDAY_DEMAND = (1.22, 1.05, 1.0, 0.97, 0.92, 0.55, 0.0)  # Monday … Sunday
FRIDAY_AFTERNOON = 0.8
# Arrivals per half hour (by its start, hall-local), relative to the day's mean.
DAY_SHAPE = {
    "09:00": 0.75, "09:30": 1.05, "10:00": 1.3, "10:30": 1.35, "11:00": 1.15, "11:30": 0.7,
    "12:00": 0.6, "12:30": 0.5,  # Saturday morning's end
    "14:00": 0.7, "14:30": 1.0, "15:00": 1.15, "15:30": 1.1, "16:00": 1.0, "16:30": 0.9, "17:00": 0.75,
    "17:30": 0.6, "18:00": 1.3, "18:30": 1.2, "19:00": 0.6,
}  # fmt: skip
EVENING_STARTS = time(18, 0)  # the former closing time: visits after it are the extension's
# Evening arrivals by category, relative to the day's mix: companies come after work.
EVENING_CATEGORY = {"business": 1.5, "tax": 1.35, "fire": 1.2, "real-estate": 1.0, "housing-fund": 0.85,
                    "social-security": 0.75, "household": 0.65}  # fmt: skip
# The first and second working day after a closure of CLOSURE_DAYS or more calendar days.
SURGE = (1.55, 1.25)
CLOSURE_DAYS = 3
WEEKLY_GROWTH = 0.015  # after the extension, demand rises this much a week (word gets round)
DAY_NOISE = 0.07  # the day's demand varies by this (log-normal sigma)
SATURDAY_WINDOWS = 0.6  # share of a hall's windows open on a Saturday morning

# --- queueing ---
SERVICE_SPREAD = (0.5, 1.3)  # × the item's handling minutes
CALL_DELAY_SECONDS = (20, 90)  # from a window becoming free to the next call
GIVE_UP_MINUTES = 50  # a visitor facing a longer wait …
GIVE_UP_SHARE = 0.4  # … gives up this often (cancels the number)
CANCEL_SHARE = 0.012
NO_SHOW_SHARE = 0.035
REJOIN_SHARE = 0.35
REJOIN_AFTER_MINUTES = (8, 40)
TRANSFER_SHARE = 0.02

# --- cases ---
CASE_SHARE = 0.25  # of visits served for an item with a statutory time limit (the others are enquiries)
# The decision at the window over all of a hall's cases. Only an item with a required 容缺 material can
# be accepted on a promise: its cases take the promise more often (and 受理 less) so that these hold.
DECISION_SHARES = {
    case_rules.Decision.ACCEPT: 0.70,
    case_rules.Decision.ACCEPT_ON_PROMISE: 0.08,
    case_rules.Decision.CORRECTION: 0.18,
    case_rules.Decision.REFUSE: 0.04,
}
SAME_DAY_RETURN_SHARE = 0.4
RETURN_AFTER_MINUTES = (20, 150)  # a same-day return, after the decision
LATER_RETURN_WORKING_DAYS = (1, 5)
PROMISE_KEPT_SHARE = 0.93
LATE_SHARE = 0.04
LATE_WORKING_DAYS = (1, 3)
RESULT_REFUSED_SHARE = 0.02
COLLECT_WITHIN_DAYS = 4  # working days from the conclusion to the collection
POST_SHARE = 0.15
PHONE_SHARE = 0.85
COMPANY_SHARE = {"business": 0.55, "fire": 0.9, "tax": 0.45, "real-estate": 0.15, "housing-fund": 0.12,
                 "social-security": 0.3, "household": 0.0}  # fmt: skip
EVENING_COMPANY_LIFT = 1.6  # company share in the evening = daytime share × this (at most 0.95)
AGENT_SHARE = (0.7, 0.9)  # of company applicants sent by an agent: daytime, evening
REFUSALS = (
    ("申请事项依法不需要取得行政许可", ""),
    ("申请事项不属于本机关职权范围", "区住房和建设局"),
    ("申请人不具备申请资格", ""),
)
COMPANY_TRADES = ("科技", "贸易", "餐饮管理", "建筑工程", "物流", "电子", "文化传播", "投资咨询")

# --- ratings ---
TICKET_RATING_SHARE = 0.15
CASE_RATING_SHARE = 0.12
RATING_LEVELS = ((5, 0.7), (4, 0.22), (3, 0.06), (2, 0.013), (1, 0.007))
BAD_COMMENTS = ("等候时间太长", "窗口人员态度不好", "材料要求没有一次说清楚")
FOLLOW_UP_RESOLUTIONS = (
    (Resolution.RECTIFIED, "已向服务对象致歉，窗口已整改"),
    (Resolution.EXPLAINED, "已向服务对象解释办理要求和等候原因"),
)


@dataclass(eq=False)
class Visit:
    """A ticket on its way through the day: issued, then its steps; its final state is saved."""

    issued: datetime
    item: object
    priority: str = ""
    source: str = TicketSource.SIMULATION
    target: Window | None = None  # sent to this window (the fast lane, a transfer)
    case_plan: CasePlan | None = None  # the case whose supplements this fast-lane visit brings
    queued: datetime | None = None
    steps: list = field(default_factory=list)
    status: TicketStatus = TicketStatus.WAITING
    called_by: object = None
    called_at: datetime | None = None
    recalls: int = 0
    ticket: Ticket | None = None


@dataclass(eq=False)
class CasePlan:
    """A case opened during a visit and what happens to it within the history; the rows not yet saved."""

    visit: Visit
    window: Window
    clerk: object
    case: Case
    lines: list = field(default_factory=list)
    events: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    outbox: list = field(default_factory=list)
    recorded: list = field(default_factory=list)  # (kind, decision) of the events saved on earlier days
    fast_lane: Visit | None = None


CHUNK = 2000  # rows per INSERT


@dataclass
class HistorySummary:
    hall_days: int = 0
    tickets: int = 0
    ticket_events: int = 0
    cases: int = 0
    case_events: int = 0
    ratings: int = 0
    duties: int = 0


def history_first_day() -> date | None:
    """The first day of history: ``WEIMIN_DEMO_HISTORY_FROM`` (a date; ``none``: no history), by
    default ``data.HISTORY_STARTS``."""
    value = (settings.WEIMIN_DEMO_HISTORY_FROM or data.HISTORY_STARTS).strip().lower()
    return None if value == "none" else date.fromisoformat(value)


def build_demo_history(now: datetime) -> HistorySummary:
    """The demo start's history: from ``history_first_day()`` to the day before the clock's day."""
    first = history_first_day()
    if first is None:
        return HistorySummary()
    return build_history(first, timezone.localdate(now) - timedelta(days=1))


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --- one hall's reference data, loaded once ---


@dataclass
class HallBook:
    hall: Hall
    calendar: HallCalendar
    windows: list[Window]
    staff: list
    names: dict[int, str]
    materials: dict[int, list]
    approver: object
    manager: object
    working_days: list[date]
    build_days: set[date]
    last_day: date
    rosters: dict[date, dict[int, object]] = field(default_factory=dict)  # day → window pk → clerk
    returns: dict[date, list] = field(default_factory=lambda: defaultdict(list))  # 补正 coming back that day
    cases_opened: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    promise_items: float = 0.0  # share of the hall's case visits whose item can be accepted on a promise
    _hours: dict = field(default_factory=dict)
    _serving: dict = field(default_factory=dict)

    def working_day_after(self, day: date, n: int) -> date | None:
        """The n-th working day after ``day`` (not counted; n = 0: ``day``), or None past the known calendar."""
        if n == 0:
            return day
        index = bisect_right(self.working_days, day) + n - 1
        return self.working_days[index] if index < len(self.working_days) else None

    def working_days_between(self, first: date, last: date) -> list[date]:
        """Working days in (first, last]."""
        return self.working_days[bisect_right(self.working_days, first) : bisect_right(self.working_days, last)]

    def day(self, day: date):
        """The hall's hours that day (``HallCalendar.day``), kept."""
        if day not in self._hours:
            self._hours[day] = self.calendar.day(day)
        return self._hours[day]

    def windows_for(self, day: date, item_pk: int) -> list[Window]:
        """The windows staffed that day that handle the item."""
        if day not in self._serving:
            by_item = defaultdict(list)
            for window in self.windows:
                if window.pk in self.rosters.get(day, {}):
                    for item in window.items.all():
                        by_item[item.pk].append(window)
            self._serving[day] = by_item
        return self._serving[day].get(item_pk, [])


def _hall_book(hall: Hall, first_day: date, last_day: date) -> HallBook:
    calendar = HallCalendar(hall)
    User = get_user_model()
    staff = simulated_staff(hall)
    in_hall = User.objects.filter(staff_profile__halls=hall)
    recorded_days = set(
        Ticket.objects.filter(hall=hall, business_date__range=(first_day, last_day))
        .values_list("business_date", flat=True)
        .distinct()
    )
    working_days = []
    for day in _days(first_day - timedelta(days=CLOSURE_DAYS + 9), last_day + timedelta(days=90)):
        try:
            if calendar.is_working_day(day):
                working_days.append(day)
        except CalendarUnknown:
            break  # deadlines are never counted into an unpublished year
    windows = serving_windows(hall)
    items = {item.pk for w in windows for item in w.items.all()}
    materials = defaultdict(list)
    for material in Material.objects.filter(item__in=items).order_by("position", "pk"):
        materials[material.item_id].append(material)
    book = HallBook(
        hall=hall,
        calendar=calendar,
        windows=windows,
        staff=staff,
        names={
            u.pk: person_name(u)
            for u in User.objects.filter(pk__in=[u.pk for u in staff]).select_related("staff_profile")
        },  # fmt: skip
        materials=materials,
        approver=in_hall.filter(groups__name=Role.APPROVER).order_by("pk").first(),
        manager=in_hall.filter(groups__name=Role.HALL_MANAGER).order_by("pk").first(),
        working_days=working_days,
        build_days={d for d in _days(first_day, last_day) if d not in recorded_days},
        last_day=last_day,
    )
    book.promise_items = _promise_items(windows, materials)
    book.build_days = {d for d in book.build_days if book.day(d).open}
    if windows and staff:
        _plan_rosters(book, first_day, last_day)
    book.build_days &= set(book.rosters)
    return book


def _promise_items(windows: list[Window], materials: dict[int, list]) -> float:
    """The share of the hall's case visits whose item has a required 容缺 material: each queue's visitors
    in proportion to its windows over their mean handling time, its items chosen alike."""
    cases = promised = 0.0
    for group in window_groups(windows, {w.pk for w in windows}):
        items = list(group[0].items.all())
        weight = len(group) / (sum(i.handling_minutes for i in items) / len(items)) / len(items)
        for item in items:
            if item.statutory_days > 0:
                cases += weight
                promised += weight * any(m.required and m.tolerance_eligible for m in materials[item.pk])
    return promised / cases if cases else 0.0


def _plan_rosters(book: HallBook, first_day: date, last_day: date) -> None:
    """Who holds which window each day: the clerks rotate; one already on record during the day (an
    earlier demo run's duty) is not rostered, so nobody holds two windows at once."""
    tz = book.hall.tz
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    recorded = list(
        Duty.objects.filter(user__in=book.staff, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("user_id", "started_at", "ended_at")
    )
    for day in sorted(book.build_days):
        day_start = datetime.combine(day, time.min, tzinfo=tz)
        day_end = day_start + timedelta(days=1)
        busy = {u for u, s, e in recorded if s < day_end and (e is None or e > day_start)}
        free = [u for u in book.staff if u.pk not in busy]
        if not free:
            continue
        windows = book.windows
        if day not in book.working_days:  # a Saturday morning of the extended service
            windows = windows[: max(1, math.ceil(len(windows) * SATURDAY_WINDOWS))]
        offset = day.toordinal() % len(free)
        rotated = free[offset:] + free[:offset]
        book.rosters[day] = {w.pk: clerk for w, clerk in zip(windows, rotated, strict=False)}


def build_history(first_day: date, last_day: date, *, seed: int = HISTORY_SEED, halls=None) -> HistorySummary:
    """Build every hall's finished days in [first_day, last_day] that have no ticket yet, one
    transaction a day. ``halls`` (default: all) limits it, for tests."""
    summary = HistorySummary()
    if last_day < first_day:
        return summary
    halls = list(halls if halls is not None else Hall.objects.order_by("position", "code"))
    books = [_hall_book(hall, first_day, last_day) for hall in halls]
    for day in _days(first_day, last_day):
        todays = [book for book in books if day in book.build_days]
        if todays:
            with transaction.atomic():
                for book in todays:
                    # A generator of its own per hall and day: a span built in pieces comes out the same.
                    _build_day(book, day, random.Random(f"{seed}:{book.hall.code}:{day}"), summary)
    return summary


# --- one hall's day ---


def _demand_factor(book: HallBook, day: date, rng: random.Random) -> float:
    factor = WEEKDAY_DEMAND[day.weekday()] if day.weekday() < 5 or day not in book.working_days else WEEKDAY_DEMAND[0]
    extension = date.fromisoformat(data.EXTENSION_STARTS)
    if day >= extension:
        factor *= 1 + WEEKLY_GROWTH * (day - extension).days / 7
    open_before = [d for d in _days(day - timedelta(days=CLOSURE_DAYS + 9), day - timedelta(days=1))
                   if book.day(d).open]  # fmt: skip
    if open_before:
        if (day - open_before[-1]).days - 1 >= CLOSURE_DAYS:
            factor *= SURGE[0]
        elif len(open_before) >= 2 and (open_before[-1] - open_before[-2]).days - 1 >= CLOSURE_DAYS:
            factor *= SURGE[1]
    return factor * math.exp(rng.gauss(0, DAY_NOISE))


def _slot_rate(local: datetime, friday: bool, category: str) -> float:
    rate = DAY_SHAPE.get(f"{local.hour:02d}:{0 if local.minute < 30 else 30:02d}", 0.6)
    if friday and local.hour >= 12:
        rate *= FRIDAY_AFTERNOON
    if local.time() >= EVENING_STARTS:
        rate *= EVENING_CATEGORY.get(category, 1.0)
    return rate


def _open_at(sessions, instant: datetime, margin: int) -> bool:
    """Inside a session, at least ``margin`` minutes before it ends."""
    return any(s.start <= instant <= s.end - timedelta(minutes=margin) for s in sessions)


class Day:
    """One hall's day being built: its arrivals, queues, tickets and cases."""

    def __init__(self, book: HallBook, day: date, rng: random.Random):
        self.book, self.day, self.rng = book, day, rng
        self.hall, self.tz = book.hall, book.hall.tz
        self.sessions = book.day(day).sessions
        self.roster = book.rosters[day]
        self.arrivals: list = []
        self.order = itertools.count()
        self.free_at: dict[int, datetime] = {}
        self.sequences: dict[str, int] = defaultdict(int)
        self.visits: list[Visit] = []
        self.opened: list[CasePlan] = []  # cases opened today
        self.returned: list[CasePlan] = []  # cases opened before, back today with the supplements
        self.queues: dict[int, list[Window]] = {}  # item pk → the staffed windows serving it

    def arrive(self, instant: datetime, visit: Visit) -> None:
        heapq.heappush(self.arrivals, (instant, next(self.order), visit))

    def walk_ins(self, factor: float) -> None:
        utilisation = UTILISATION[self.hall.kind] * factor
        friday = self.day.weekday() == 4
        for group in window_groups(self.book.windows, {w.pk for w in self.book.windows}):
            members = [w for w in group if w.pk in self.roster]
            if not members:
                continue  # nobody serves these items today: the kiosk does not offer them
            items = list(group[0].items.all())
            for item in items:
                self.queues.setdefault(item.pk, members)
            per_minute = utilisation * len(group) / (sum(i.handling_minutes for i in items) / len(items))
            category = items[0].category.code
            for session in self.sessions:
                t = session.start
                while True:
                    rate = per_minute * _slot_rate(t.astimezone(self.tz), friday, category)
                    t += timedelta(minutes=self.rng.expovariate(rate))
                    if t >= session.last_ticket:
                        break
                    priority = self.rng.choice(SIMULATED_PRIORITIES) if self.rng.random() < PRIORITY_SHARE else ""
                    self.arrive(t, Visit(issued=t, item=self.rng.choice(items), priority=priority))

    def issue(self, visit: Visit) -> None:
        """The ticket, numbered in issue order (arrivals come off the heap in time order)."""
        prefix = visit.item.category.ticket_prefix
        self.sequences[prefix] += 1
        phone = visit.case_plan.case.phone if visit.case_plan else ""
        visit.ticket = new_ticket(
            self.hall, self.day, visit.item, self.sequences[prefix], visit.issued,
            token_hash=secret_hash(secrets.token_urlsafe(12)), priority=visit.priority, source=visit.source,
            phone=phone, target_window=visit.target,
        )  # fmt: skip
        self.visits.append(visit)

    def run(self) -> None:
        rng = self.rng
        while self.arrivals:
            t, _n, visit = heapq.heappop(self.arrivals)
            if visit.ticket is None:
                self.issue(visit)
            members = self.queues[visit.item.pk]
            window = visit.target or min(members, key=lambda w: self.free_at.get(w.pk, t))
            start = max(t, self.free_at.get(window.pk, t)) + timedelta(seconds=rng.randint(*CALL_DELAY_SECONDS))
            fresh = not visit.steps and visit.case_plan is None
            wait = (start - t).total_seconds() / 60
            if fresh and (
                (wait > GIVE_UP_MINUTES and rng.random() < GIVE_UP_SHARE) or (wait > 4 and rng.random() < CANCEL_SHARE)
            ):
                visit.steps.append(Step(Event.CANCELLED, t + timedelta(minutes=wait * rng.uniform(0.3, 0.9))))
                visit.status = TicketStatus.CANCELLED
                continue
            clerk = self.roster[window.pk]
            visit.steps.append(Step(Event.CALLED, start, window, clerk))
            visit.called_by, visit.called_at, visit.recalls = clerk, start, 0
            if fresh and rng.random() < NO_SHOW_SHARE:
                self.no_show(visit, window, clerk, start)
                continue
            serving = start + timedelta(seconds=rng.randint(30, 90))
            visit.steps.append(Step(Event.SERVING, serving, window, clerk))
            others = [w for w in members if w.pk != window.pk]
            if fresh and others and rng.random() < TRANSFER_SHARE:
                moved = serving + timedelta(minutes=rng.uniform(2, 5))
                to = rng.choice(others)
                visit.steps.append(Step(Event.TRANSFERRED, moved, window, clerk, {
                    "from_item": visit.item.code, "to_item": visit.item.code, "to_window": to.number}))  # fmt: skip
                visit.target, visit.status = to, TicketStatus.WAITING
                self.free_at[window.pk] = moved
                self.arrive(moved, visit)
                continue
            done = serving + timedelta(minutes=max(2.0, visit.item.handling_minutes * rng.uniform(*SERVICE_SPREAD)))
            visit.steps.append(Step(Event.COMPLETED, done, window, clerk))
            visit.status, visit.target = TicketStatus.COMPLETED, None
            self.free_at[window.pk] = done
            decided = max(serving + timedelta(seconds=90), done - timedelta(seconds=rng.randint(20, 60)))
            if visit.case_plan is not None:
                self.accept_returned(visit.case_plan, window, clerk, decided)
            elif visit.item.statutory_days > 0 and rng.random() < CASE_SHARE:
                self.open_case(visit, window, clerk, serving + timedelta(seconds=rng.randint(20, 60)), decided)

    def no_show(self, visit: Visit, window: Window, clerk, start: datetime) -> None:
        """Called, recalled, not there; some come back later and rejoin the queue."""
        rng, at = self.rng, start
        for n in range(1, rng.randint(1, 3)):
            at += timedelta(minutes=1)
            visit.steps.append(Step(Event.RECALLED, at, window, clerk, {"recall": n}))
            visit.recalls = n
        at += timedelta(seconds=rng.randint(30, 75))
        visit.steps.append(Step(Event.NO_SHOW, at, window, clerk, {"reason": "staff"}))
        visit.status = TicketStatus.NO_SHOW
        self.free_at[window.pk] = at
        back = at + timedelta(minutes=rng.uniform(*REJOIN_AFTER_MINUTES))
        if rng.random() < REJOIN_SHARE and _open_at(self.sessions, back, margin=10):
            visit.steps.append(Step(Event.REJOINED, back, None, clerk))
            visit.queued, visit.status = back, TicketStatus.WAITING
            self.arrive(back, visit)

    # --- cases ---

    def open_case(self, visit: Visit, window: Window, clerk, opened: datetime, decided: datetime) -> None:
        """Intake and decision during the visit (``cases.actions.open_and_decide``)."""
        rng, item = self.rng, visit.item
        evening = visit.issued.astimezone(self.tz).time() >= EVENING_STARTS
        company_share = COMPANY_SHARE.get(item.category.code, 0.2)
        if evening:
            company_share = min(0.95, company_share * EVENING_COMPANY_LIFT)
        person, id_number = _person(rng)
        company = rng.random() < company_share
        name, credit_code = _company(rng) if company else (person, "")
        self.book.cases_opened[self.day] += 1
        ticket = visit.ticket
        ticket.window = window  # at the window while the case is opened
        case = new_case(
            ticket, case_number(self.hall, self.day, self.book.cases_opened[self.day]), clerk, opened,
            kind=ApplicantKind.COMPANY if company else ApplicantKind.PERSON, name=name, id_number=id_number,
            credit_code=credit_code, agent_name=person if company and rng.random() < AGENT_SHARE[evening] else "",
            phone=_phone(rng), access_hash=secret_hash(secrets.token_urlsafe(18)),
        )  # fmt: skip
        plan = CasePlan(visit, window, clerk, case=case)
        materials = self.book.materials[item.pk]
        eligible = [m for m in materials if m.required and m.tolerance_eligible]
        decision = _draw(rng, _decision_shares(self.book.promise_items if eligible else 0).items())
        states = {m.pk: MaterialState.PRESENT if m.required or rng.random() < 0.5 else MaterialState.MISSING
                  for m in materials}  # fmt: skip
        if decision == case_rules.Decision.ACCEPT_ON_PROMISE:
            for m in rng.sample(eligible, k=min(len(eligible), rng.choice((1, 1, 2)))):
                states[m.pk] = MaterialState.MISSING
        elif decision == case_rules.Decision.CORRECTION:
            required = [m for m in materials if m.required]
            for m in rng.sample(required, k=min(len(required), rng.choice((1, 1, 2)))):
                states[m.pk] = rng.choice((MaterialState.MISSING, MaterialState.MISSING, MaterialState.NON_COMPLIANT))
        plan.lines = [CaseMaterial(case=case, material=m, state=states[m.pk]) for m in materials]
        plan.events.append(new_event(case, case_rules.EventKind.OPENED, opened, clerk, window=window,
                                     ticket=ticket.number, credit_code_override=False))  # fmt: skip
        self.opened.append(plan)
        comes_back = self.correction_return(plan, decided) if decision == case_rules.Decision.CORRECTION else None
        if decision == case_rules.Decision.CORRECTION and comes_back is None:
            decision = case_rules.Decision.ACCEPT  # no day left to come back in: complete after all
            for line in plan.lines:
                line.state = MaterialState.PRESENT if line.material.required else line.state
        self.decide(plan, decision, decided, clerk, window)
        if isinstance(comes_back, datetime):
            self.fast_lane(plan, comes_back)
        elif comes_back is not None:
            self.book.returns[comes_back].append(plan)

    def correction_return(self, plan: CasePlan, decided: datetime) -> datetime | date | None:
        """When the applicant asked for supplements comes back with them: an instant the same day
        (through the fast lane), a later working day, or None when neither falls within the history."""
        rng, book = self.rng, self.book
        later = [d for d in book.working_days_between(self.day, book.last_day)[: LATER_RETURN_WORKING_DAYS[1]]
                 if d in book.build_days and book.windows_for(d, plan.case.item_id)]  # fmt: skip
        # The same day: within RETURN_AFTER_MINUTES, before the last session ends (the lunch closure skipped).
        earliest = decided + timedelta(minutes=RETURN_AFTER_MINUTES[0])
        latest = min(
            decided + timedelta(minutes=RETURN_AFTER_MINUTES[1]), self.sessions[-1].end - timedelta(minutes=15)
        )
        if earliest <= latest and (rng.random() < SAME_DAY_RETURN_SHARE or not later):
            back = earliest + (latest - earliest) * rng.random()
            if not _open_at(self.sessions, back, margin=15):
                back = next(s.start for s in self.sessions if s.start > back) + timedelta(minutes=rng.uniform(2, 20))
            return back
        return rng.choice(later) if later else None

    def fast_lane(self, plan: CasePlan, back: datetime) -> None:
        """A resubmission ticket to the window the case's clerk holds now (to the front of its queue), or
        for any window serving the item when the clerk is off duty (``cases.actions.check_in_resubmission``)."""
        held = next((pk for pk, clerk in self.roster.items() if clerk.pk == plan.clerk.pk), None)
        target = next((w for w in self.queues.get(plan.case.item_id, []) if w.pk == held), None)
        visit = Visit(issued=back, item=plan.visit.item, priority=Priority.RESUBMISSION,
                      source=TicketSource.RESUBMISSION, target=target, case_plan=plan)  # fmt: skip
        plan.fast_lane = visit
        plan.events.append(new_event(plan.case, case_rules.EventKind.RESUBMISSION_TICKET, back, None, ticket="",
                                     window_number=target.number if target else None))  # fmt: skip
        self.arrive(back, visit)

    def come_back(self, plan: CasePlan) -> None:
        """A 补正 of an earlier day returns today with the supplements, at some time the hall is open."""
        session = self.rng.choice(self.sessions)
        span = max(60.0, (session.end - session.start).total_seconds() - 20 * 60)
        self.returned.append(plan)
        self.fast_lane(plan, session.start + timedelta(seconds=self.rng.uniform(0, span)))

    def accept_returned(self, plan: CasePlan, window: Window, clerk, decided: datetime) -> None:
        """The fast-lane visit: the materials the notice listed are re-checked, present, and the case accepted."""
        for line in plan.lines:
            if line.in_notice:
                line.state = MaterialState.PRESENT
        self.decide(plan, case_rules.Decision.ACCEPT, decided, clerk, window)

    def decide(self, plan: CasePlan, decision, at: datetime, clerk, window: Window) -> None:
        """The decision with its notice and event (``cases.actions.decide``); an acceptance's course."""
        case, book = plan.case, self.book
        gaps = [line for line in plan.lines if case_rules.is_gap(line.material.required, line.state)]
        if decision == case_rules.Decision.CORRECTION:
            for line in gaps:
                line.in_notice = True
        elif decision == case_rules.Decision.REFUSE:
            case.refusal_reason, case.competent_agency = self.rng.choice(REFUSALS)
        else:
            case.accepted_on = self.day
            if decision == case_rules.Decision.ACCEPT_ON_PROMISE:
                case.promise_due = book.working_day_after(self.day, settings.WEIMIN_PROMISE_SUPPLY_DAYS)
        case.decision, case.decided_at = decision, at
        notice = new_notice(
            case, len(plan.notices) + 1, decision, [(line.material.name, line.state, line.note) for line in gaps],
            at, clerk, window_number=window.number, clerk_name=book.names.get(clerk.pk, ""),
        )  # fmt: skip
        plan.notices.append(notice)
        plan.events.append(new_event(case, case_rules.EventKind.DECIDED, at, clerk, window=plan.window,
                                     decision=decision, notice=notice.number,
                                     gaps=[line.material.name for line in gaps]))  # fmt: skip
        if decision in (case_rules.Decision.ACCEPT, case_rules.Decision.ACCEPT_ON_PROMISE):
            _after_acceptance(book, plan, at, self.rng)


def _build_day(book: HallBook, day: date, rng: random.Random, summary: HistorySummary) -> None:
    today = Day(book, day, rng)
    today.walk_ins(_demand_factor(book, day, rng))
    for plan in book.returns.pop(day, []):
        today.come_back(plan)
    today.run()
    _save_day(today, summary)


# --- applicants ---


def _person(rng: random.Random) -> tuple[str, str]:
    """A name and a valid resident ID number (GB 11643) of someone registered in Longgang."""
    name = rng.choice(data.SURNAMES) + "".join(rng.choice(data.GIVEN) for _ in range(rng.choice((1, 2))))
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 48))
    first17 = f"440307{born:%Y%m%d}{rng.randrange(1000):03d}"
    return name, first17 + id_check_char(first17)


def _company(rng: random.Random) -> tuple[str, str]:
    """A company's name and a valid unified social credit code (GB 32100)."""
    name = f"深圳市{rng.choice(data.GIVEN)}{rng.choice(data.GIVEN)}{rng.choice(COMPANY_TRADES)}有限公司"
    first17 = "91440300" + "".join(rng.choice(CREDIT_CHARSET) for _ in range(9))
    return name, first17 + credit_check_char(first17)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < PHONE_SHARE else ""


def _decision_shares(promise_items: float) -> dict:
    """The decision shares for a case whose item can take a promise when ``promise_items`` (the share
    of the hall's cases that can) is above 0, else for one that cannot."""
    accept, promise = (
        DECISION_SHARES[case_rules.Decision.ACCEPT],
        DECISION_SHARES[case_rules.Decision.ACCEPT_ON_PROMISE],
    )
    lifted = min(promise / promise_items, accept + promise) if promise_items else 0.0
    return {**DECISION_SHARES, case_rules.Decision.ACCEPT: accept + promise - lifted,
            case_rules.Decision.ACCEPT_ON_PROMISE: lifted}  # fmt: skip


def _draw(rng: random.Random, shares):
    pick, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if pick < total:
            return value
    return shares[-1][0]


# --- a case's course after acceptance ---


def _session_time(book: HallBook, day: date, rng: random.Random, after: datetime | None = None) -> datetime | None:
    """A moment of the day's opening hours (after ``after``, 10 minutes before a closing at the latest)."""
    sessions = [s for s in book.day(day).sessions if after is None or s.end - timedelta(minutes=15) > after]
    if not sessions:
        return None
    session = rng.choice(sessions)
    start = session.start if after is None else max(session.start, after)
    span = (session.end - timedelta(minutes=10) - start).total_seconds()
    return start + timedelta(seconds=rng.uniform(min(60, span / 2), span))


def _at_a_window(book: HallBook, day: date, item_pk: int, rng: random.Random):
    """A window staffed that day (one handling the item if any) and the clerk holding it."""
    roster = book.rosters[day]
    window = rng.choice(book.windows_for(day, item_pk) or [w for w in book.windows if w.pk in roster])
    return window, roster[window.pk]


def _after_acceptance(book: HallBook, plan: CasePlan, accepted: datetime, rng: random.Random) -> None:
    """容缺 materials supplied (or the case withdrawn), concluded, ready and collected — each only when
    its day falls within the history; ready only with its collection (a result waiting at the window
    is held by a clerk, who would have to be on duty at the demo clock)."""
    case, events, last_day = plan.case, plan.events, book.last_day
    day, last = book.hall.local_date(accepted), accepted
    if case.promise_due is not None:
        kept = rng.random() < PROMISE_KEPT_SHARE
        supply_days = [d for d in book.working_days_between(day, min(case.promise_due, last_day)) if d in book.rosters]
        if kept and supply_days:
            day = rng.choice(supply_days)
            last = _session_time(book, day, rng)
            window, clerk = _at_a_window(book, day, case.item_id, rng)
            missing = [line for line in plan.lines if line.state != MaterialState.PRESENT and line.material.required]
            for line in missing:
                line.state = MaterialState.PRESENT
            events.append(new_event(case, case_rules.EventKind.SUPPLIED, last, clerk, window=window,
                                    materials=[line.material.name for line in missing]))  # fmt: skip
            case.promise_due = None
        elif not kept and case.promise_due < last_day:  # `weimin cases-daily` the next night
            withdrawn = datetime.combine(case.promise_due + timedelta(days=1), time(1, 0), tzinfo=book.hall.tz)
            events.append(new_event(case, case_rules.EventKind.WITHDRAWN, withdrawn, None, reason="promise_not_kept",
                                    promise_due=case.promise_due.isoformat()))  # fmt: skip
            return
        else:
            return  # the promise still runs at the demo clock
    promised = book.working_day_after(case.accepted_on, case.item.promised_days)
    if promised is None:
        return
    concluded_day = rng.choice([day, *book.working_days_between(day, promised)])
    if rng.random() < LATE_SHARE:
        late = book.working_day_after(max(promised, day), rng.randint(*LATE_WORKING_DAYS))
        if late is not None and late <= last_day:
            concluded_day = late
    if concluded_day > last_day:
        return  # still being processed at the demo clock, within its promised time
    if concluded_day == day:
        concluded = last + timedelta(minutes=rng.uniform(5, 45))
    else:
        concluded = datetime.combine(concluded_day, time(9, 30), tzinfo=book.hall.tz) + timedelta(
            minutes=rng.uniform(0, 7 * 60)
        )
    result = ResultKind.REFUSED if rng.random() < RESULT_REFUSED_SHARE else ResultKind.APPROVED
    case.result, case.concluded_at = result, concluded
    events.append(new_event(case, case_rules.EventKind.CONCLUDED, concluded, book.approver, result=result))
    ready = concluded + timedelta(minutes=rng.uniform(20, 90))
    collect_days = [concluded_day, *book.working_days_between(concluded_day, last_day)][: COLLECT_WITHIN_DAYS + 1]
    collected = None
    for collect_day in sorted(collect_days, key=lambda _d: rng.random()):
        if collect_day in book.rosters:
            collected = _session_time(book, collect_day, rng, after=ready)
            if collected is not None:
                break
    if collected is None:
        return  # concluded; the result is made ready when it can be collected
    events.append(new_event(case, case_rules.EventKind.READY, ready, book.approver))
    if case.phone:
        plan.outbox.append(ready_notification(case, ready))
    window, clerk = _at_a_window(book, collect_day, case.item_id, rng)
    if rng.random() < POST_SHARE:
        case.delivery, case.postal_tracking = DeliveryMethod.POST, f"EMS{rng.randrange(10**10):010d}"
    else:
        case.delivery, case.collector_id_masked = DeliveryMethod.WINDOW, mask_id_number(case.id_number)
    case.delivered_at = collected
    events.append(new_event(case, case_rules.EventKind.DELIVERED, collected, clerk, window=window,
                            method=case.delivery, collector=case.collector_id_masked))  # fmt: skip


# --- saving ---


def _save_day(today: Day, summary: HistorySummary) -> None:
    book, hall, day, rng = today.book, today.hall, today.day, today.rng
    rows = []
    for visit in today.visits:
        ticket = visit.ticket
        # Its state after its steps: a call takes it off the front; completed, gone or cancelled, it is at no window.
        ticket.status, ticket.queued_at, ticket.recalls = visit.status, visit.queued or visit.issued, visit.recalls
        ticket.called_by, ticket.called_at, ticket.window = visit.called_by, visit.called_at, None
        if visit.called_at is not None:
            ticket.front, ticket.target_window = False, None
        rows.append((ticket, visit.steps))
    save_tickets(hall, day, rows)
    summary.hall_days += 1
    summary.tickets += len(rows)
    summary.ticket_events += sum(len(steps) + 1 for _ticket, steps in rows)

    plans = today.opened + today.returned
    for plan in plans:
        if plan.fast_lane is not None and plan.fast_lane.ticket.pk is not None:
            for event in plan.events:
                if event.kind == case_rules.EventKind.RESUBMISSION_TICKET and not event.detail["ticket"]:
                    event.detail["ticket"] = plan.fast_lane.ticket.number
        plan.case.status = _status(plan)
    insert_rows([p.case for p in today.opened], ids=True)
    insert_rows([line for p in today.opened for line in p.lines])
    if today.returned:
        Case.objects.bulk_update([p.case for p in today.returned], RETURN_FIELDS, batch_size=CHUNK)
        for line in (line for p in today.returned for line in p.lines if line.in_notice):  # the supplements
            CaseMaterial.objects.filter(case=line.case, material=line.material).update(state=line.state)
    events = sorted((e for p in plans for e in p.events), key=lambda e: e.at)
    insert_rows([n for p in plans for n in p.notices])
    insert_rows([n for p in plans for n in p.outbox])
    insert_rows(events)
    insert_rows([Resubmission(case=p.case, ticket=p.fast_lane.ticket, created_at=p.fast_lane.issued)
                 for p in plans if p.fast_lane is not None and p.fast_lane.ticket.pk is not None])  # fmt: skip
    for plan in plans:
        plan.recorded += [(e.kind, e.decision) for e in plan.events]
        plan.events, plan.notices, plan.outbox = [], [], []
    summary.cases += len(today.opened)
    summary.case_events += len(events)

    ratings = _ratings(book, today.visits, plans, rng)
    bad = [r for r in ratings if r.bad]
    Rating.objects.bulk_create(bad)  # their follow-ups need their ids
    insert_rows([r for r in ratings if not r.bad])
    insert_rows([_follow_up(book, r, rng) for r in bad])
    summary.ratings += len(ratings)

    duties = _duties(today)
    insert_rows(duties)
    summary.duties += len(duties)


# What a case coming back with its supplements changes.
RETURN_FIELDS = ["status", "decision", "decided_at", "accepted_on", "promise_due", "result", "concluded_at",
                 "delivery", "delivered_at", "collector_id_masked", "postal_tracking"]  # fmt: skip


def _status(plan: CasePlan) -> case_rules.Status:
    """Where the case's events lead (``cases.rules``): the status it is saved with."""
    return case_rules.replay([*plan.recorded, *((e.kind, e.decision) for e in sorted(plan.events, key=lambda e: e.at))])


def _ratings(book: HallBook, visits: list[Visit], plans: list[CasePlan], rng: random.Random) -> list[Rating]:
    ratings = []
    for visit in visits:
        if visit.status == TicketStatus.COMPLETED and rng.random() < TICKET_RATING_SHARE:
            done = visit.steps[-1]
            ratings.append(_rating(book, rng, done.at + timedelta(seconds=rng.randint(10, 150)), ticket=visit.ticket,
                                   window=done.window, clerk=done.actor))  # fmt: skip
    for plan in plans:
        case = plan.case
        finished = case.delivered_at or (case.decided_at if case.status == case_rules.Status.REFUSED else None)
        if finished is not None and rng.random() < CASE_RATING_SHARE:
            ratings.append(_rating(book, rng, finished + timedelta(minutes=rng.uniform(1, 30)), case=case,
                                   window=case.window, clerk=case.clerk))  # fmt: skip
    return ratings


def _rating(book: HallBook, rng: random.Random, at: datetime, **target) -> Rating:
    level = _draw(rng, RATING_LEVELS)
    comment = rng.choice(BAD_COMMENTS) if level <= Level.DISSATISFIED else ""
    return Rating(hall=book.hall, level=level, comment=comment, rated_at=at, **target)


def _follow_up(book: HallBook, rating: Rating, rng: random.Random) -> FollowUp:
    """A bad rating's follow-up (``ratings.actions``): contacted and resolved within its working days
    when those fall in the history; later ones are still within their time at the demo clock."""
    day = book.hall.local_date(rating.rated_at)
    follow_up = FollowUp(
        rating=rating,
        contact_due=book.working_day_after(day, settings.WEIMIN_FOLLOW_UP_CONTACT_DAYS),
        resolve_due=book.working_day_after(day, settings.WEIMIN_FOLLOW_UP_RESOLVE_DAYS),
    )
    contact_day = follow_up.contact_due
    if contact_day is None or contact_day > book.last_day:
        return follow_up
    follow_up.contacted_at = datetime.combine(contact_day, time(10), tzinfo=book.hall.tz) + timedelta(
        minutes=rng.uniform(0, 90)
    )
    follow_up.handled_by = book.manager  # the hall's manager, where the demo has an account for one
    resolve_day = rng.choice([contact_day, *book.working_days_between(contact_day, follow_up.resolve_due)])
    if resolve_day > book.last_day:
        return follow_up
    follow_up.resolved_at = max(follow_up.contacted_at + timedelta(minutes=30),
                                datetime.combine(resolve_day, time(15), tzinfo=book.hall.tz))  # fmt: skip
    follow_up.resolution, follow_up.resolution_note = rng.choice(FOLLOW_UP_RESOLUTIONS)
    follow_up.rater_answer = "表示理解"
    return follow_up


def _duties(today: Day) -> list[Duty]:
    """One duty per staffed window and session: from the session's start to its end, or to the last
    visitor the window served after it (the lunch closure between them)."""
    sessions = today.sessions
    last_at: dict[tuple[int, int], datetime] = {}
    for visit in today.visits:
        for step in visit.steps:
            if step.window is not None:
                key = (step.window.pk, max(0, sum(1 for s in sessions if s.start <= step.at) - 1))  # its session
                last_at[key] = max(last_at.get(key, step.at), step.at)
    duties = []
    for window_pk, clerk in today.roster.items():
        for index, session in enumerate(sessions):
            end = max(session.end, last_at.get((window_pk, index), session.end) + timedelta(minutes=1))
            duties.append(Duty(window_id=window_pk, user=clerk, started_at=session.start, ended_at=end,
                               last_seen_at=end))  # fmt: skip
    return duties
