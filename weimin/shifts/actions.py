"""Signing in to and out of a window, and the handover (交接) that leaves nothing with an absent person."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, authorize, may
from weimin.cases.actions import hand_over_case
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, Window
from weimin.shifts.models import (
    ChecklistItem,
    CompTimeEntry,
    Duty,
    EveningChecklist,
    Handover,
    HandoverItem,
    HandoverItemKind,
    HandoverReason,
    LogisticsTemplate,
)
from weimin.shifts.queries import balance, in_hand, is_extended, successors, worked_minutes
from weimin.shifts.signals import window_wanted
from weimin.tickets.actions import announce, transfer

LAST_SEEN_PRECISION = timedelta(minutes=1)


@transaction.atomic
def sign_in(user, window: Window, now: datetime) -> Duty:
    """Take the window. When someone holds it, ``signals.window_wanted`` lets another app free it
    through the ordinary actions; a window still held is refused."""
    if not may(user, Action.DUTY_SIGN_IN, window.hall, at_window=Duty.objects.holds(user, window)):
        raise NotPermitted(_("You do not work at %(hall)s.") % {"hall": window.hall}, field="window")
    if not window.active:
        raise Refused(_("Window %(n)s is out of service.") % {"n": window.number}, field="window")
    mine = Duty.objects.open().select_for_update().filter(user=user).first()
    if mine is not None:
        if mine.window_id == window.pk:
            return mine
        raise Refused(
            _("You are on duty at window %(n)s: sign out there first.") % {"n": mine.window.number}, field="window"
        )
    holder = Duty.objects.open().select_for_update().filter(window=window).first()
    if holder is not None:
        window_wanted.send(sender=Duty, window=window, holder=holder, user=user, now=now)
        holder = Duty.objects.open().select_for_update().filter(window=window).first()
    if holder is not None:
        raise Refused(
            _("Window %(n)s is held by %(who)s.") % {"n": window.number, "who": person_name(holder.user)},
            field="window",
        )
    try:
        # Two sign-ins of one person (or at one window) at the same instant: no row to lock yet, so the
        # partial unique constraints decide; the loser is refused, in a savepoint that keeps the
        # transaction usable on PostgreSQL.
        with transaction.atomic():
            duty = Duty.objects.create(window=window, user=user, started_at=now, last_seen_at=now)
    except IntegrityError:
        raise Refused(
            _("Another sign-in at window %(n)s or by you came first: look at the window and try again.")
            % {"n": window.number},
            field="window",
        ) from None
    announce(window.hall_id, "signed_in", window=window.number)  # consoles and estimates count the windows
    return duty


@dataclass(frozen=True)
class SignedOut:
    duty: Duty  # the duty sign-out ended, read inside its transaction
    handover: Handover | None  # None when the clerk held nothing


def sign_out(
    user, window: Window, now: datetime, *, successor=None, to_hall: bool = False, reason: str = HandoverReason.SIGN_OUT
) -> Handover | None:
    """Leave the window (``leave_window``): the handover, or None when the clerk held nothing."""
    return leave_window(user, window, now, successor=successor, to_hall=to_hall, reason=reason).handover


@transaction.atomic
def leave_window(
    user, window: Window, now: datetime, *, successor=None, to_hall: bool = False, reason: str = HandoverReason.SIGN_OUT
) -> SignedOut:
    """Leave the window. Anything in hand goes to a successor on duty who can take it (``successor``,
    or the first of ``queries.successors``): tickets their window serves to the front of its queue,
    cases their skills cover to their name. What nobody named can take (or everything, ``to_hall``)
    goes back to the hall — tickets to the front of the queue for their item, cases to the hall's
    pool — and stays open on the manager's page until someone takes each. Returns the ended duty and
    the handover (None when the clerk held nothing), both read in this transaction."""
    duty = Duty.objects.open().select_for_update().select_related("window", "user").filter(user=user, window=window)
    duty = duty.first()
    if duty is None:
        raise Refused(_("You are not signed in at window %(n)s.") % {"n": window.number}, field="window")
    current, fast_lane, cases = in_hand(user, window)
    if current is None and not fast_lane and not cases:
        end_duty(duty, now)
        return SignedOut(duty, None)
    tickets = [*([current] if current else []), *fast_lane]
    able = successors(user, window, tickets, cases)
    if to_hall:
        successor = None
    elif successor is not None:
        if successor.pk not in {s.user.pk for s in able}:
            raise InvalidInput(
                _("%(who)s is not on duty at this hall or cannot take any of these items.")
                % {"who": person_name(successor)},
                field="successor",
            )
    else:
        successor = able[0].user if able else None
    takes = next((s.takes for s in able if s.user.pk == successor.pk), ()) if successor else ()
    target = Duty.objects.duty_of(successor).window if successor else None
    handover = Handover.objects.create(
        hall=window.hall, window=window, from_user=user, successor=successor, reason=reason, created_at=now
    )
    for ticket in tickets:
        serves = ticket.number in takes
        transfer(user, ticket, now, window=target if serves else None, item=None if serves else ticket.item)
        kind = HandoverItemKind.TICKET if ticket is current else HandoverItemKind.FAST_LANE_TICKET
        HandoverItem.objects.create(handover=handover, kind=kind, object_id=ticket.pk, label=ticket.number,
                                    to_hall=not serves)  # fmt: skip
    for case in cases:
        covered = case.number in takes
        hand_over_case(user, case, successor if covered else None, now, window=window, reason=reason)
        HandoverItem.objects.create(handover=handover, kind=HandoverItemKind.CASE, object_id=case.pk, label=case.number,
                                    to_hall=not covered)  # fmt: skip
    end_duty(duty, now)
    return SignedOut(duty, handover)


@transaction.atomic
def acknowledge(user, handover: Handover, now: datetime) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.successor_id != user.pk:
        raise NotPermitted(_("This handover is not addressed to you."))
    if handover.acknowledged_at is None:
        handover.acknowledged_at = now
        handover.save(update_fields=["acknowledged_at"])
    return handover


def touch(duty: Duty, now: datetime) -> None:
    """The console is still open: the clerk is there."""
    if duty.last_seen_at is None or now - duty.last_seen_at > LAST_SEEN_PRECISION:
        Duty.objects.filter(pk=duty.pk).update(last_seen_at=now)


def expire_idle_duties(now: datetime) -> list[Handover]:
    """Consoles not seen for WEIMIN_DUTY_IDLE_MINUTES sign their clerk out through the handover."""
    handovers = []
    for duty in Duty.objects.idle(now).select_related("user", "window"):
        handover = sign_out(duty.user, duty.window, now, reason=HandoverReason.SESSION_EXPIRED)
        if handover is not None:
            handovers.append(handover)
    return handovers


def end_duty(duty: Duty, now: datetime) -> None:
    duty.ended_at = now
    duty.save(update_fields=["ended_at"])
    announce(duty.window.hall_id, "signed_out", window=duty.window.number)


# --- evening logistics (后勤保障) ---


@transaction.atomic
def open_evening_checklists(hall: Hall, day: date, now: datetime) -> list[EveningChecklist]:
    """Each extended session of the day gets the hall's active templates' tasks (idempotent)."""
    opened = []
    templates = list(LogisticsTemplate.objects.filter(hall=hall, active=True).prefetch_related("items"))
    for session in HallCalendar(hall).day(day).sessions:
        if not is_extended(session) or not templates:
            continue
        checklist, created = EveningChecklist.objects.get_or_create(
            hall=hall, session_start=session.start, defaults={"session_end": session.end, "opened_at": now}
        )
        if created:
            ChecklistItem.objects.bulk_create(
                ChecklistItem(checklist=checklist, text=item.text, assignee=item.assignee)
                for template in templates
                for item in template.items.all()
            )
        opened.append(checklist)
    return opened


@transaction.atomic
def assign_item(manager, item: ChecklistItem, assignee, now: datetime) -> ChecklistItem:
    authorize(manager, Action.LOGISTICS_ASSIGN, item.checklist.hall)
    if not may(assignee, Action.LOGISTICS_TICK, item.checklist.hall):
        raise NotPermitted(_("Both must work at %(hall)s.") % {"hall": item.checklist.hall}, field="assignee")
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    return item


@transaction.atomic
def tick_item(user, item: ChecklistItem, now: datetime) -> ChecklistItem:
    item = ChecklistItem.objects.select_for_update().select_related("checklist__hall").get(pk=item.pk)
    authorize(user, Action.LOGISTICS_TICK, item.checklist.hall)
    if item.done_at is None:
        item.done_at, item.done_by = now, user
        item.save(update_fields=["done_at", "done_by"])
    return item


# --- 补休 (compensatory time off): 人薪发〔1995〕32号 Art. 7, extended hours matched with time off ---


@transaction.atomic
def credit_week(user, monday: date, now: datetime) -> CompTimeEntry | None:
    """Credit the minutes worked at windows that week beyond the contract (idempotent: recomputed)."""
    if monday.weekday() != 0:
        raise InvalidInput(_("Give the Monday the week starts on."), field="week")
    profile = user.staff_profile
    tz = profile.halls.first().tz if profile.halls.exists() else now.tzinfo
    start = datetime.combine(monday, time.min, tzinfo=tz)
    extra = worked_minutes(user, start, start + timedelta(days=7)) - int(profile.contracted_hours_per_week * 60)
    if extra <= 0:
        CompTimeEntry.objects.filter(user=user, day=monday, minutes__gt=0).delete()
        return None
    entry, _created = CompTimeEntry.objects.update_or_create(
        user=user, day=monday, minutes__gt=0,
        defaults={"minutes": extra, "note": _("Hours beyond the contract"), "recorded_at": now},
    )  # fmt: skip
    return entry


@transaction.atomic
def take_time_off(manager, user, day: date, hours, now: datetime) -> CompTimeEntry:
    """Time off taken from the balance, recorded by the manager who approved it."""
    if not any(may(manager, Action.COMP_TIME_TAKE_OFF, hall) for hall in user.staff_profile.halls.all()):
        raise NotPermitted(_("You do not manage %(who)s.") % {"who": user.get_username()})
    try:
        minutes = int(round(float(hours) * 60))
    except (TypeError, ValueError):
        minutes = 0
    if minutes <= 0:
        raise InvalidInput(_("Give the hours taken off."), field="hours")
    list(CompTimeEntry.objects.select_for_update().filter(user=user))  # serialize with other debits
    if balance(user) < minutes:
        raise Refused(_("Only %(h).1f hours are in the balance.") % {"h": balance(user) / 60}, field="hours")
    return CompTimeEntry.objects.create(user=user, day=day, minutes=-minutes, note=_("Time off"), recorded_at=now,
                                        recorded_by=manager)  # fmt: skip
