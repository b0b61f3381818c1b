"""Reading shifts: what a clerk has in hand and who could take it, extended sessions, missed logistics
tasks, the 补休 balance. Who holds which window is ``Duty.objects`` (models.DutyQuerySet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, Sum, Value
from django.utils.translation import gettext as _

from weimin.accounts.models import person_name
from weimin.cases import queries as case_queries
from weimin.cases.models import Case
from weimin.cases.rules import HELD_STATUSES
from weimin.core.prepared import PreparedQuery
from weimin.halls.models import Hall, Window
from weimin.shifts.models import ChecklistItem, CompTimeEntry, Duty, Handover, HandoverItem, HandoverItemKind
from weimin.tickets import queue
from weimin.tickets.models import Ticket


def is_extended(session) -> bool:
    hours, minutes = map(int, settings.WEIMIN_EXTENDED_SESSION_ENDS_AFTER.split(":"))
    local_end = session.end
    return local_end.timetz().replace(tzinfo=None) > time(hours, minutes) or session.start.weekday() >= 5


def missed(hall: Hall, now: datetime):
    """Tasks of finished extended sessions that nobody ticked: the manager sees them."""
    return ChecklistItem.objects.filter(
        checklist__hall=hall, checklist__session_end__lt=now, done_at__isnull=True
    ).select_related("checklist", "assignee")


def worked_minutes(user, start: datetime, end: datetime) -> int:
    total = timedelta(0)
    for duty in Duty.objects.filter(user=user, started_at__lt=end).exclude(ended_at__lte=start):
        total += min(duty.ended_at or end, end) - max(duty.started_at, start)
    return int(total.total_seconds() // 60)


def balance(user) -> int:
    return CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("minutes"))["total"] or 0


def nonzero_balances(hall: Hall) -> list[tuple[object, float]]:
    """The hall's staff whose 补休 balance is not zero, with the hours, largest first."""
    totals = (
        CompTimeEntry.objects.filter(user__staff_profile__halls=hall)
        .values("user")
        .annotate(total=Sum("minutes"))
        .exclude(total=0)
    )
    minutes = {row["user"]: row["total"] for row in totals}
    people = get_user_model().objects.filter(pk__in=minutes).select_related("staff_profile")
    return sorted(((p, minutes[p.pk] / 60) for p in people), key=lambda row: (-row[1], row[0].get_username()))


def in_hand(user, window: Window) -> tuple[Ticket | None, list[Ticket], list[Case]]:
    """What the clerk at ``window`` is responsible for: the ticket at it, fast-lane tickets sent to it,
    and the cases they own."""
    return queue.ticket_at_window(window), queue.sent_to(window), case_queries.held_by(user, window.hall)


def on_duty_colleagues(user, window: Window):
    """People signed in at another window of the same hall."""
    return (
        get_user_model()
        .objects.filter(duties__ended_at__isnull=True, duties__window__hall=window.hall)
        .exclude(pk=user.pk)
    )


@dataclass(frozen=True)
class Successor:
    """A colleague on duty who can take some of what a clerk leaving a window holds: their window
    serves the ticket's item, their skills cover the case's item."""

    user: object
    window: Window
    takes: tuple[str, ...]  # the numbers of the tickets and cases they can take
    takes_all: bool


def successors(user, window: Window, tickets: list[Ticket], cases: list[Case]) -> list[Successor]:
    """Everyone on duty in the hall who can take at least one of the items, best first: those who can
    take all, then most, then the one holding fewest cases. The first is the proposed successor."""
    colleagues = (
        on_duty_colleagues(user, window)
        .annotate(owned=Count("cases", filter=Q(cases__status__in=HELD_STATUSES), distinct=True))
        .select_related("staff_profile")
        .prefetch_related("staff_profile__skills")
    )
    duties = Duty.objects.open().filter(window__hall=window.hall).exclude(window=window).select_related("window")
    windows = {duty.user_id: duty.window for duty in duties.prefetch_related("window__items")}
    found = []
    for colleague in colleagues:
        if colleague.pk not in windows:
            continue
        profile = getattr(colleague, "staff_profile", None)
        skills = {item.pk for item in profile.skills.all()} if profile else set()
        serves = {item.pk for item in windows[colleague.pk].items.all()}
        takes = [t.number for t in tickets if t.item_id in serves] + [c.number for c in cases if c.item_id in skills]
        if takes:
            found.append((colleague, takes))
    total = len(tickets) + len(cases)
    found.sort(key=lambda row: (-len(row[1]), row[0].owned, row[0].get_username()))
    return [Successor(c, windows[c.pk], tuple(takes), len(takes) == total) for c, takes in found]


@dataclass(frozen=True)
class HandedItem:
    """One item of a handover to the hall and where it is now."""

    item: HandoverItem
    open: bool  # still nobody's: the case in the pool, the ticket waiting for any window of its item
    now_with: str  # who has it now, once taken
    windows: tuple[Window, ...] = ()  # for a ticket still open: the staffed windows serving its item


@dataclass(frozen=True)
class Standing:
    """A window's console as its reader stands there: who holds the window now, and the handovers waiting
    for the reader's acknowledgement (their ids, newest first)."""

    holder: Duty | None
    handovers: list[int]


# The window's open duty (one at most, by constraint) and the reader's handovers to acknowledge, in one
# statement: each refresh of a console asks both (a row each, told apart by ``part``).
_STANDING = PreparedQuery(
    lambda window_id, user_id: (
        Duty.objects.open()
        .filter(window_id=window_id)
        .order_by()  # no part of a UNION may be ordered on SQLite
        .annotate(part=Value(0))
        .values_list("part", "pk", "user_id", "started_at", "last_seen_at")
        .union(
            Handover.objects.filter(successor_id=user_id, acknowledged_at__isnull=True)
            .order_by()  # newest first, sorted once read
            .annotate(part=Value(1))
            .values_list("part", "pk", "successor_id", "created_at", "created_at"),
            all=True,
        )
    ),
    window_id=Duty._meta.get_field("window"),
    user_id=Handover._meta.get_field("successor"),
)
_DUTY_COLUMNS = ["id", "window_id", "user_id", "started_at", "ended_at", "last_seen_at"]


def console_standing(window: Window, user_id: int) -> Standing:
    """``Standing`` at ``window`` for ``user_id``, in one prepared query."""
    holder, handovers = None, []
    for part, pk, person_id, at, last_seen_at in _STANDING.rows(window_id=window.pk, user_id=user_id):
        if part == 0:
            holder = Duty.from_db("default", _DUTY_COLUMNS, [pk, window.pk, person_id, at, None, last_seen_at])
        else:
            handovers.append((at, pk))
    return Standing(holder, [pk for _, pk in sorted(handovers, reverse=True)])


def open_hall_handovers(hall: Hall) -> list[tuple[Handover, list[HandedItem]]]:
    """Handovers with items that went to the hall and that nobody has taken yet, each with those items."""
    pooled = set(case_queries.pool(hall).values_list("pk", flat=True))
    unassigned = set(queue.unassigned_waiting_ids(hall))
    ticket_kinds = [HandoverItemKind.TICKET, HandoverItemKind.FAST_LANE_TICKET]
    still_open = Q(kind=HandoverItemKind.CASE, object_id__in=pooled) | Q(
        kind__in=ticket_kinds, object_id__in=unassigned
    )
    to_hall = HandoverItem.objects.filter(to_hall=True)
    handovers = list(
        Handover.objects.filter(hall=hall, items__in=to_hall.filter(still_open))
        .distinct()
        .select_related("from_user__staff_profile", "successor__staff_profile", "window")
        .prefetch_related(Prefetch("items", queryset=to_hall, to_attr="hall_items"))
        .order_by("created_at")
    )
    items = [item for handover in handovers for item in handover.hall_items]
    cases = case_queries.by_ids([i.object_id for i in items if i.kind == HandoverItemKind.CASE])
    tickets = queue.tickets_by_ids([i.object_id for i in items if i.kind != HandoverItemKind.CASE])
    staffed = [d.window for d in Duty.objects.open().filter(window__hall=hall).select_related("window")
               .prefetch_related("window__items").order_by("window__number")]  # fmt: skip

    def state(item: HandoverItem) -> HandedItem:
        if item.kind == HandoverItemKind.CASE:
            case = cases.get(item.object_id)
            taken = case is not None and item.object_id not in pooled
            return HandedItem(item, not taken, person_name(case.clerk) if taken and case.clerk else "")
        ticket = tickets.get(item.object_id)
        if ticket is not None and item.object_id in unassigned:
            serving = tuple(w for w in staffed if any(i.pk == ticket.item_id for i in w.items.all()))
            return HandedItem(item, True, "", serving)
        window = ticket and (ticket.window or ticket.target_window)
        where = _("window %(n)s") % {"n": window.number} if window else ""
        return HandedItem(item, False, where or (ticket.get_status_display() if ticket else ""))

    return [(handover, [state(item) for item in handover.hall_items]) for handover in handovers]


def duties_between(hall_id: int, start: datetime, end: datetime) -> list[tuple]:
    """Duties at the hall's windows that began in [start, end): ``(window_id, user_id, started_at,
    ended_at)``, ``ended_at`` None while the window is still held."""
    return list(
        Duty.objects.filter(window__hall_id=hall_id, started_at__gte=start, started_at__lt=end).values_list(
            "window_id", "user_id", "started_at", "ended_at"
        )
    )


def duties_changed_since(duty_id: int, instant: datetime | None) -> tuple[int, set[tuple[int, datetime]]]:
    """The newest duty id and the (hall id, start) of every duty begun after ``duty_id``, ended at or
    after ``instant`` or still running: the days whose time held changed or may have."""
    changed = Q(id__gt=duty_id) | Q(ended_at__isnull=True)
    if instant is not None:
        changed |= Q(ended_at__gte=instant)
    newest = Duty.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or duty_id, set(Duty.objects.filter(changed).values_list("window__hall_id", "started_at"))


def duties_of(user_ids, start: datetime, end: datetime) -> list[tuple[int, datetime, datetime | None]]:
    """The duties of these people overlapping [start, end): ``(user_id, started_at, ended_at)``, ``ended_at``
    None while held — what planning reads for the month's overtime and the recent evening and Saturday turns."""
    rows = Duty.objects.filter(user_id__in=list(user_ids), started_at__lt=end).exclude(ended_at__lte=start)
    return list(rows.order_by("started_at").values_list("user_id", "started_at", "ended_at"))


def balances(user_ids) -> dict[int, int]:
    """The 补休 balance in minutes of each of these people (absent: zero)."""
    rows = CompTimeEntry.objects.filter(user_id__in=list(user_ids)).values("user").annotate(total=Sum("minutes"))
    return {row["user"]: row["total"] for row in rows}


def on_duty_users(hall: Hall) -> set[int]:
    """The people holding one of the hall's windows now."""
    return set(Duty.objects.open().filter(window__hall=hall).values_list("user_id", flat=True))
