"""Reading cases: finding one by number, due dates (moved by pauses and the extension) and the
manager's due list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.calendars.rules import CalendarUnknown
from weimin.cases import rules
from weimin.cases.choices import CaseStatus, NoticeKind
from weimin.cases.models import Case, CaseEvent, CaseNotice
from weimin.core import attempts
from weimin.core.errors import NotFound
from weimin.core.identity import fold_typed
from weimin.core.inputs import resident_id
from weimin.core.prepared import PreparedQuery
from weimin.halls.hours import HallCalendar, add_working_days
from weimin.tickets.models import secret_hash

# One answer for "no such case" and "wrong secret": the answer must not tell whether a case exists.
NO_MATCH = gettext_lazy("No case matches that case number and ID number (or link).")


def case_for_applicant(number: str, id_number: str, *, address: str | None, now: datetime, hall=None) -> Case:
    """Typed lookup: the case number and the applicant's whole ID number (as typed: normalized here).

    Failures count per case number and per address (WEIMIN_LOOKUP_*); while either is full every
    attempt, right or wrong, is TooManyAttempts saying when to try again. An unknown number and a
    wrong ID number get the same NotFound. Call outside a transaction (the counters are written)."""
    number = fold_typed(number or "")[:40]
    per_case, per_address = attempts.lookup_counters("case", number, address)
    attempts.check(per_case + per_address, now)
    person = resident_id(id_number, timezone.localdate(now))
    found = Case.objects.select_related("hall", "item", "clerk").filter(number=number)
    case = (found.filter(hall=hall) if hall is not None else found).first()
    if case is None or not case.id_matches(person.number):
        attempts.fail(per_case + per_address, now)
        raise NotFound(NO_MATCH)
    attempts.forget(per_case)
    return case


def case_for_link(token: str, *, address: str | None, now: datetime, number: str | None = None, hall=None) -> Case:
    """The case the applicant's link opens (the token of the latest notice's QR code), or NotFound —
    the same answer as a wrong ID number. Wrong tokens count against the address only."""
    per_address = attempts.lookup_counters("case", None, address)[1]
    attempts.check(per_address, now)
    case = None
    if token:
        found = Case.objects.select_related("hall", "item", "clerk").filter(access_hash=secret_hash(token))
        case = (found.filter(hall=hall) if hall is not None else found).first()
    if case is None or (number is not None and case.number != fold_typed(number)):
        if token:
            attempts.fail(per_address, now)
        raise NotFound(NO_MATCH)
    return case


def case_or_404(number: str) -> Case:
    """The case with this number (its hall, item and clerk loaded), or a 404 naming it."""
    case = Case.objects.select_related("hall", "item", "clerk").filter(number=number).first()
    if case is None:
        raise Http404(_("No case %(number)s.") % {"number": number})
    return case


@dataclass(frozen=True)
class DueDates:
    """A case's due dates; one that would count working days in a year whose national calendar is
    not entered yet is None and ``pending_year`` names that year (待定: never guessed)."""

    promised: date | None
    statutory: date | None
    paused: bool
    pending_year: int | None = None

    @property
    def pending(self) -> bool:
        return self.pending_year is not None


@dataclass(frozen=True)
class Supplements:
    """What an applicant asked for supplements (补正) needs to know: the materials as the notice listed
    them (name, state, note), the notice, and when the fast lane (补正回访) at the kiosk takes them."""

    notice: CaseNotice | None
    materials: list[dict]
    open_until: datetime | None  # the hall's session now: the fast lane runs until its end, past the cut-off
    last_ticket: datetime | None  # the session's last ordinary ticket (the fast lane is not bound by it)
    next_opening: datetime | None  # when the hall is closed now


def supplements(case: Case, now: datetime) -> Supplements | None:
    """For a case awaiting supplements (else None). The notice's list is the one that counts: it is
    fixed when issued, and nothing outside it can be asked for later."""
    if case.status != rules.Status.AWAITING_SUPPLEMENT:
        return None
    notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at", "-id").first()
    if notice is not None:
        materials = list(notice.body.get("materials", []))
    else:
        lines = case.materials.select_related("material")
        materials = [{"name": line.material.name, "state": line.state, "note": line.note} for line in lines
                     if rules.is_gap(line.material.required, line.state)]  # fmt: skip
    status = HallCalendar(case.hall).status_at(now)
    current, upcoming = status.current, status.next_opening
    return Supplements(
        notice, materials, current.end if current else None, current.last_ticket if current else None,
        None if current or upcoming is None else upcoming.start,
    )  # fmt: skip


def opened_for(ticket) -> list[Case]:
    """The cases opened during one visit (the 好差评 pad shows them with the visit at its counter)."""
    return list(Case.objects.filter(ticket=ticket).select_related("item").order_by("id"))


def held_by(user, hall) -> list[Case]:
    """The cases ``user`` holds at ``hall``: awaiting their decision, the supplements, or pick-up."""
    return list(Case.objects.filter(clerk=user, hall=hall, status__in=rules.HELD_STATUSES).select_related("item"))


def by_ids(ids) -> dict[int, Case]:
    return {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related("clerk__staff_profile")}


def pool(hall=None):
    """Cases in a hall's pool (交给大厅): held, with nobody's name on them, oldest first; ``pooled_at`` is
    when they went there (the last handover; the opening for a case that never had a clerk)."""
    cases = Case.objects.filter(clerk__isnull=True, status__in=rules.HELD_STATUSES)
    if hall is not None:
        cases = cases.filter(hall=hall)
    handed = Max("events__at", filter=Q(events__kind=rules.EventKind.HANDED_OVER))
    return cases.annotate(pooled_at=Coalesce(handed, "created_at")).select_related("item", "hall").order_by("pooled_at")


_ANY_POOLED = PreparedQuery(
    lambda hall_id: (
        Case.objects.filter(hall_id=hall_id, clerk__isnull=True, status__in=rules.HELD_STATUSES)
        .order_by()
        .values_list("pk")[:1]
    ),
    hall_id=Case._meta.get_field("hall"),
)


def first_in_pool(hall, limit: int) -> list[Case]:
    """The oldest ``limit`` cases of the hall's pool. Every console lists them on each refresh: one prepared
    query while the pool is empty, as it mostly is."""
    if not _ANY_POOLED.rows(hall_id=hall.pk):
        return []
    return list(pool(hall)[:limit])


def concluded_before(instant: datetime):
    """Cases decided for good (the applicant may rate them) whose conclusion came before ``instant``."""
    return Case.objects.filter(status__in=rules.RATABLE_STATUSES, concluded_at__lt=instant)


def due_dates(case: Case, today: date, calendar: HallCalendar | None = None) -> DueDates:
    """Working days from the day of 受理 (not counted), skipping pauses; a running pause counts to today."""
    if case.accepted_on is None:
        return DueDates(None, None, False)
    calendar = calendar or HallCalendar(case.hall)
    pauses = [(p.started_on, p.ended_on or today) for p in case.pauses.all()]
    running = any(p.ended_on is None for p in case.pauses.all())

    unknown_years = set()

    def due(days: int) -> date | None:
        try:
            return rules.due_date(case.accepted_on, days, calendar.is_working_day, pauses)
        except CalendarUnknown as exc:
            unknown_years.add(exc.day.year)
            return None

    promised, statutory = due(case.item.promised_days), due(case.item.statutory_days + case.extension_days)
    return DueDates(promised, statutory, running, min(unknown_years, default=None))


def due_list(hall, today: date) -> list[tuple[Case, DueDates, str]]:
    """Open cases past or within WEIMIN_CASE_DUE_SOON_DAYS working days of their promised date, then
    those with a date that waits for a year's national calendar ("pending_calendar"), never left out."""
    calendar = HallCalendar(hall)
    try:
        soon = add_working_days(today, settings.WEIMIN_CASE_DUE_SOON_DAYS, hall)
    except CalendarUnknown:
        soon = date.max  # the horizon runs past the known calendar: every known date before it is near
    rows, pending = [], []
    for case in Case.objects.filter(hall=hall, status=CaseStatus.PROCESSING).select_related("item", "hall"):
        dates = due_dates(case, today, calendar)
        if dates.promised is not None and dates.promised < today:
            rows.append((case, dates, "overdue"))
        elif dates.promised is not None and dates.promised <= soon:
            rows.append((case, dates, "due_soon"))
        elif dates.pending:
            pending.append((case, dates, "pending_calendar"))
    rows.sort(key=lambda row: row[1].promised)
    return rows + sorted(pending, key=lambda row: row[0].accepted_on)


@dataclass(frozen=True)
class EventRecord:
    """A case event as statistics read it, with what they need of its case."""

    case_id: int
    kind: str
    at: datetime
    detail: dict
    window_id: int | None
    actor_id: int | None
    applicant_kind: str
    item_id: int


def events_between(hall_id: int, start: datetime, end: datetime) -> list[EventRecord]:
    """The hall's case events in [start, end), oldest first: what statistics read."""
    rows = (
        CaseEvent.objects.filter(case__hall_id=hall_id, at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values_list(
            "case_id", "kind", "at", "detail", "window_id", "actor_id", "case__applicant_kind", "case__item_id"
        )
    )
    return [EventRecord(*row) for row in rows]


def concluded_with_pauses(case_ids) -> dict[int, Case]:
    """Cases by id with what their due dates need (item, hall, pauses)."""
    cases = Case.objects.filter(pk__in=case_ids).select_related("item", "hall").prefetch_related("pauses")
    return {case.pk: case for case in cases}


def corrections_before(case_ids, instant: datetime) -> dict[int, int]:
    """How many 补正 decisions each case had before ``instant``."""
    rows = (
        CaseEvent.objects.filter(
            case_id__in=case_ids,
            at__lt=instant,
            kind=rules.EventKind.DECIDED,
            detail__decision=rules.Decision.CORRECTION,
        )
        .values("case_id")
        .annotate(n=Count("id"))
    )
    return {row["case_id"]: row["n"] for row in rows}


def event_instants_after(event_id: int) -> tuple[int, set[tuple[int, datetime]]]:
    """The newest case event id and the (hall id, instant) of every case event after ``event_id``."""
    rows = CaseEvent.objects.filter(id__gt=event_id)
    newest = rows.order_by("-id").values_list("id", flat=True).first()
    return newest or event_id, set(rows.values_list("case__hall_id", "at"))
