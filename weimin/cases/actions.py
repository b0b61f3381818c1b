"""Every change to a case (办件): one transactional function each.

Every change goes through ``_record``, which applies the life cycle (rules.TRANSITIONS: an illegal step
is a 409 naming the transition), saves the case and writes its event, the audit trail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, authorize, may
from weimin.calendars.rules import CalendarUnknown
from weimin.cases import rules
from weimin.cases.choices import EVENT_LABELS, ApplicantKind, DeliveryMethod, PauseKind, ResultKind
from weimin.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNotice,
    CasePause,
    Resubmission,
    case_number,
    case_number_prefix,
    new_case,
    new_event,
    new_notice,
    ready_notification,
)
from weimin.cases.rules import Decision, EventKind, MaterialState, Status
from weimin.core.db import serialize_on
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.core.identity import InvalidCreditCode, fold_typed, parse_credit_code
from weimin.core.inputs import number_problem, phone_number, resident_id
from weimin.halls.hours import HallCalendar, add_working_days
from weimin.halls.models import Window
from weimin.shifts.models import Duty
from weimin.tickets import actions as ticket_actions
from weimin.tickets import queue as ticket_queue
from weimin.tickets.choices import Priority, TicketSource
from weimin.tickets.models import Ticket, secret_hash
from weimin.tickets.rules import AT_WINDOW_STATUSES
from weimin.tickets.rules import Status as TicketStatus

DECISION_REFUSALS = {
    "gaps": gettext_lazy("Materials are missing or non-compliant: accept on a written promise or ask for correction."),
    "nothing_missing": gettext_lazy("Nothing is missing: accept the application."),
    "not_eligible": gettext_lazy("Only materials eligible for 容缺 may be missing."),
    "no_promise": gettext_lazy("The applicant must sign the written promise."),
    "nothing_to_correct": gettext_lazy("Nothing is missing or non-compliant: there is nothing to correct."),
}

# What an illegal step of the life cycle says, by event (formatted with number, status, event, from, to).
CANNOT_GO = gettext_lazy("Case %(number)s cannot go from %(from)s to %(to)s.")
TRANSITION_REFUSALS = {
    EventKind.DECIDED: gettext_lazy("Case %(number)s is %(status)s: no decision is due."),
    EventKind.RESUBMISSION_TICKET: gettext_lazy("Case %(number)s is not waiting for supplements."),
    EventKind.SUPPLIED: gettext_lazy("Case %(number)s has no promise to keep."),
    EventKind.CONCLUDED: CANNOT_GO,
    EventKind.READY: CANNOT_GO,
    EventKind.EXTENDED: gettext_lazy("Only a case being processed can be extended."),
    EventKind.PAUSED: gettext_lazy("The case is not running: nothing to pause."),
    EventKind.RESUMED: gettext_lazy("The case is not paused."),
    EventKind.DELIVERED: gettext_lazy("Case %(number)s is not ready for pick-up."),
}
ILLEGAL_TRANSITION = gettext_lazy("Case %(number)s is %(status)s: “%(event)s” is not possible.")

# The back office's steps (set_status): the status asked for → its event.
STATUS_EVENTS = {Status.CONCLUDED: EventKind.CONCLUDED, Status.READY: EventKind.READY}


@dataclass(frozen=True)
class MaterialCheck:
    material: str  # the material's id or name
    state: str
    note: str = ""


def _status(case: Case) -> Status | None:
    return None if case._state.adding else Status(case.status)


def _illegal(case: Case, kind: EventKind, *, to: str | None = None) -> Refused:
    message = TRANSITION_REFUSALS.get(kind, ILLEGAL_TRANSITION)
    context = {"number": case.number, "status": case.get_status_display(), "event": EVENT_LABELS[kind],
               "from": case.status, "to": to or kind}  # fmt: skip
    return Refused(message % context, field="transition")


def _allow(case: Case, kind: EventKind) -> None:
    """Refuse before any work when the life cycle does not allow ``kind`` now (``_record`` checks again)."""
    if not rules.may_follow(_status(case), kind):
        raise _illegal(case, kind)


def _record(
    case: Case,
    event: EventKind,
    now: datetime,
    actor=None,
    *,
    window: Window | None = None,
    decision: Decision | None = None,
    **detail,
) -> CaseEvent:
    """The one writer of a case: the status after ``event`` (and ``decision``) by the life cycle, the
    case saved (created, for the opened event) and the event written."""
    try:
        case.status = rules.after(_status(case), event, decision)
    except rules.IllegalTransition as exc:
        raise _illegal(case, event) from exc
    case.save()
    recorded = new_event(case, event, now, actor, window=window, decision=decision, **detail)
    recorded.save()
    return recorded


def _handles(user, case: Case) -> bool:
    """Whether ``user`` handles the case at a window now: its clerk, signed in at the hall, or whoever
    holds the window its applicant's ticket (or fast-lane ticket) is at."""
    window = Duty.objects.window_held_by(user.pk, case.hall)
    if window is None:
        return False
    if case.clerk_id == user.pk:
        return True
    current = ticket_queue.ticket_at_window(window)
    return current is not None and (current.pk == case.ticket_id or case.resubmissions.filter(ticket=current).exists())


def _authorize(user, action: Action, case: Case) -> None:
    authorize(user, action, case.hall, at_window=_handles(user, case))


def _authorize_at_a_window(user, action: Action, case: Case) -> None:
    """Receiving materials and handing results over happen at any window of the hall (综合出件)."""
    authorize(user, action, case.hall, at_window=Duty.objects.window_held_by(user.pk, case.hall) is not None)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("hall", "item").get(pk=case.pk)


def _checks(case: Case, checks: list[MaterialCheck]) -> list[tuple[CaseMaterial, MaterialCheck]]:
    """Resolve each check to the case's line for that material (created if new); errors name the entry."""
    materials = {str(m.pk): m for m in case.item.materials.all()} | {m.name: m for m in case.item.materials.all()}
    lines = {line.material_id: line for line in case.materials.all()}
    resolved, seen = [], set()
    for index, check in enumerate(checks):
        material = materials.get(str(check.material).strip())
        if material is None:
            raise InvalidInput(
                _("%(material)s is not on the checklist of %(item)s.")
                % {"material": check.material, "item": case.item},
                field=f"materials[{index}].material",
            )
        if material.pk in seen:  # by id and by name, or twice: one line per material (a unique constraint)
            raise InvalidInput(
                _("%(material)s is listed twice.") % {"material": material.name}, field=f"materials[{index}].material"
            )
        seen.add(material.pk)
        if check.state not in set(MaterialState):
            raise InvalidInput(_("Choose present, missing or non_compliant."), field=f"materials[{index}].state")
        line = lines.get(material.pk) or CaseMaterial(case=case, material=material, state=MaterialState.MISSING)
        resolved.append((line, check))
    return resolved


def _case_number(hall, business_date: date) -> str:
    serialize_on(f"case-number:{hall.pk}:{business_date}")
    prefix = case_number_prefix(hall, business_date)
    return case_number(hall, business_date, Case.objects.filter(number__startswith=prefix).count() + 1)


@transaction.atomic
def open_case(
    clerk,
    ticket: Ticket,
    now: datetime,
    *,
    kind: str,
    name: str,
    id_number: str,
    credit_code: str = "",
    credit_code_override: str = "",
    agent_name: str = "",
    phone: str = "",
    materials: list[MaterialCheck] = (),
) -> Case:
    """Intake (收件) for the ticket at the clerk's window: the applicant and the checklist so far."""
    ticket = ticket_queue.ticket_by_id(ticket.pk)
    if ticket.status not in AT_WINDOW_STATUSES or ticket.window_id is None:
        raise Refused(_("Ticket %(number)s is not at a window.") % {"number": ticket.number}, field="ticket")
    if not may(clerk, Action.CASE_OPEN, ticket.hall, at_window=Duty.objects.holds(clerk, ticket.window)):
        raise NotPermitted(_("Ticket %(number)s is not at your window.") % {"number": ticket.number})
    if kind not in ApplicantKind.values:
        raise InvalidInput(_("Choose person or company."), field="kind")
    if not (name or "").strip():
        raise InvalidInput(_("Enter the applicant's name."), field="name")
    today = ticket.hall.local_date(now)
    person = resident_id(id_number, today)
    code = ""
    if kind == ApplicantKind.COMPANY:
        try:
            code = parse_credit_code(credit_code or "")
        except InvalidCreditCode as exc:
            # A few legacy codes in circulation fail the check: accepted only with a recorded reason.
            legacy = fold_typed(credit_code)
            legible = len(legacy) == 18 and legacy.isascii() and legacy.isalnum()
            if not (credit_code_override or "").strip() or not legible:
                raise InvalidInput(
                    _("Invalid credit code: %(reason)s.") % {"reason": number_problem(exc)}, field="credit_code"
                ) from exc
            code = legacy
    case = new_case(
        ticket,
        _case_number(ticket.hall, today),
        clerk,
        now,
        kind=kind,
        name=name.strip(),
        id_number=person.number,
        credit_code=code,
        credit_code_override=(credit_code_override or "").strip(),
        agent_name=(agent_name or "").strip(),
        phone=phone_number(phone),
        access_hash="",
    )
    _new_access(case)  # nobody is shown this one: the decision's notice brings the applicant's key
    _record(case, EventKind.OPENED, now, clerk, window=ticket.window, ticket=ticket.number,
            credit_code_override=bool(case.credit_code_override))  # fmt: skip
    for line, check in _checks(case, list(materials)):
        line.state, line.note = check.state, check.note.strip()
        line.save()
    return case


# --- the decision at the window (行政许可法 Art. 32) ---


def _parse_decision(value: str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise InvalidInput(_("Choose accept, accept_on_promise, correction or refuse."), field="decision") from None


def _apply_checks(case: Case, materials: list[MaterialCheck]) -> None:
    """Record the clerk's checks on the case's checklist. Once a correction notice exists, only the
    materials it listed may be checked again (一次性告知: a new gap now would be the second trip the
    notice exists to prevent)."""
    noticed = case.status == Status.AWAITING_SUPPLEMENT
    for index, (line, check) in enumerate(_checks(case, materials)):
        if noticed and not line.in_notice:
            raise Refused(
                _("%(material)s was not in the correction notice: only the listed materials are re-checked.")
                % {"material": line.material},
                field=f"materials[{index}].material",
            )
        line.state, line.note = check.state, check.note.strip()
        line.save()


def _checked_lines(case: Case, decision: Decision, *, promise_signed: bool) -> list[CaseMaterial]:
    """The whole checklist, every material checked (a refusal needs no check), and the decision the
    checklist allows (rules.allowed_decision)."""
    lines = list(case.materials.select_related("material"))
    unchecked = [m.name for m in case.item.materials.all() if m.pk not in {line.material_id for line in lines}]
    if unchecked and decision != Decision.REFUSE:
        raise InvalidInput(
            _("Check every material first: %(names)s.") % {"names": "、".join(unchecked)}, field="materials"
        )
    checked = [
        rules.CheckedMaterial(
            line.material_id, line.material.required, line.material.tolerance_eligible, MaterialState(line.state)
        )
        for line in lines
    ]
    try:
        rules.allowed_decision(checked, decision, promise_signed=promise_signed)
    except rules.DecisionNotAllowed as exc:
        raise Refused(DECISION_REFUSALS[exc.code], field="decision") from exc
    return lines


def _apply_decision(
    case: Case,
    decision: Decision,
    lines: list[CaseMaterial],
    gaps: list[CaseMaterial],
    now: datetime,
    *,
    reason: str,
    competent_agency: str,
) -> None:
    """What the decision sets on the case (its status comes from the life cycle, in ``_record``)."""
    today = case.hall.local_date(now)
    if decision == Decision.REFUSE:
        if not (reason or "").strip():
            raise InvalidInput(_("Give the reason for refusing."), field="reason")
        case.refusal_reason = reason.strip()
        case.competent_agency = (competent_agency or "").strip()
    elif decision == Decision.CORRECTION:
        for line in lines:
            line.in_notice = line in gaps
            line.save(update_fields=["in_notice"])
    else:
        case.accepted_on = today
        if decision == Decision.ACCEPT_ON_PROMISE:
            try:
                case.promise_due = add_working_days(today, settings.WEIMIN_PROMISE_SUPPLY_DAYS, case.hall)
            except CalendarUnknown as exc:
                # The promise's date is printed on the notice and enforced: it is never guessed.
                raise Refused(
                    _(
                        "The promise's due date falls in %(year)s, whose national holidays are not entered yet: "
                        "accept once the office has entered them, or ask for the materials now."
                    )
                    % {"year": exc.day.year},
                    field="decision",
                ) from exc
    case.decision, case.decided_at = decision, now


def _new_access(case: Case) -> str:
    """A new random key to the case for its applicant (only its hash is kept; the previous key now
    opens nothing). Returned once, for the notice's QR code."""
    token = secrets.token_urlsafe(18)
    case.access_hash = secret_hash(token)
    return token


def _write_notice(case: Case, clerk, now: datetime, decision: Decision, gaps: list[CaseMaterial]) -> CaseNotice:
    """The dated, numbered written notice of the decision, listing every gap at once."""
    window = Duty.objects.window_held_by(clerk.pk, case.hall)
    notice = new_notice(
        case,
        case.notices.count() + 1,
        decision,
        [(line.material.name, line.state, line.note) for line in gaps],
        now,
        clerk,
        window_number=window.number if window else None,
        clerk_name=person_name(clerk),
    )
    notice.save()
    return notice


@transaction.atomic
def decide(
    clerk,
    case: Case,
    now: datetime,
    decision: str,
    *,
    materials: list[MaterialCheck] = (),
    promise_signed: bool = False,
    reason: str = "",
    competent_agency: str = "",
) -> CaseNotice:
    """The decision at the window, with its written notice (行政许可法 Art. 32).

    The notice comes back with ``access_token``: the applicant's new key to the case, shown once (the
    notice's QR code, /cases/s/<token>/); the key of an earlier notice opens nothing any more."""
    case = _locked(case)
    _authorize(clerk, Action.CASE_DECIDE, case)
    _allow(case, EventKind.DECIDED)
    decision = _parse_decision(decision)
    _apply_checks(case, list(materials))
    lines = _checked_lines(case, decision, promise_signed=promise_signed)
    gaps = [line for line in lines if rules.is_gap(line.material.required, MaterialState(line.state))]
    _apply_decision(case, decision, lines, gaps, now, reason=reason, competent_agency=competent_agency)
    notice = _write_notice(case, clerk, now, decision, gaps)
    token = _new_access(case)
    _record(case, EventKind.DECIDED, now, clerk, window=case.window, decision=decision, notice=notice.number,
            gaps=[line.material.name for line in gaps])  # fmt: skip
    notice.access_token = token
    return notice


@transaction.atomic
def open_and_decide(
    clerk,
    ticket: Ticket,
    now: datetime,
    decision: str,
    *,
    promise_signed: bool = False,
    reason: str = "",
    competent_agency: str = "",
    **applicant,
) -> CaseNotice:
    """The window console's one form: intake and decision together, or neither."""
    case = open_case(clerk, ticket, now, **applicant)
    return decide(
        clerk, case, now, decision, promise_signed=promise_signed, reason=reason, competent_agency=competent_agency
    )


# A fast-lane ticket not yet dealt with: waiting, or called to or served at a window.
PENDING_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


@transaction.atomic
def check_in_resubmission(case: Case, now: datetime) -> ticket_actions.IssuedTicket:
    """The visitor is back with the supplements: a fast-lane ticket to the clerk who asked for them,
    at the window that clerk holds now; when the clerk is off duty, to any window for the item."""
    case = _locked(case)
    _allow(case, EventKind.RESUBMISSION_TICKET)
    # One fast-lane ticket at a time (issue 9: 30 priority tickets for one case were issued in 0.8 s).
    # The case row is locked above, so two concurrent check-ins cannot both pass this.
    pending = case.resubmissions.filter(ticket__status__in=PENDING_TICKET_STATUSES).select_related("ticket").first()
    if pending is not None:
        raise Refused(
            _("This case already has fast-lane number %(number)s in the queue: wait to be called.")
            % {"number": pending.ticket.number},
            field="number",
        )
    window = Duty.objects.window_held_by(case.clerk_id, case.hall)
    target = window if window and window.items.filter(pk=case.item_id).exists() else None
    issued = ticket_actions.issue_ticket(
        case.hall,
        case.item,
        now,
        phone=case.phone,
        lane=Priority.RESUBMISSION,
        source=TicketSource.RESUBMISSION,
        target_window=target,
    )
    Resubmission.objects.create(case=case, ticket=issued.ticket, created_at=now)
    _record(case, EventKind.RESUBMISSION_TICKET, now, None, ticket=issued.ticket.number,
            window_number=target.number if target else None)  # fmt: skip
    return issued


@transaction.atomic
def supply_promised(clerk, case: Case, now: datetime, materials: list[MaterialCheck]) -> Case:
    """容缺: the applicant brings the promised materials; the promise is kept when none is missing."""
    case = _locked(case)
    _authorize_at_a_window(clerk, Action.CASE_SUPPLY, case)
    if case.promise_due is None:
        raise _illegal(case, EventKind.SUPPLIED)
    _allow(case, EventKind.SUPPLIED)
    for index, (line, check) in enumerate(_checks(case, list(materials))):
        if line.state == MaterialState.PRESENT:
            raise Refused(
                _("%(material)s was already present.") % {"material": line.material},
                field=f"materials[{index}].material",
            )
        line.state, line.note = check.state, check.note.strip()
        line.save()
    if not case.materials.exclude(state=MaterialState.PRESENT).exists():
        case.promise_due = None
    _record(case, EventKind.SUPPLIED, now, clerk, materials=[str(m.material) for m in materials])
    return case


@transaction.atomic
def set_status(actor, case: Case, now: datetime, status: str, *, result: str = "") -> Case:
    """Back office: 办理中 → 办结 (approved or refused) → 待领取, which notifies the applicant."""
    case = _locked(case)
    kind = STATUS_EVENTS.get(status)
    if kind is None or not rules.may_follow(_status(case), kind):
        raise Refused(CANNOT_GO % {"number": case.number, "from": case.status, "to": status}, field="transition")
    authorize(actor, Action.CASE_CONCLUDE if kind == EventKind.CONCLUDED else Action.CASE_READY, case.hall)
    detail = {}
    if kind == EventKind.CONCLUDED:
        if result not in ResultKind.values:
            raise InvalidInput(_("Give the result: approved or refused."), field="result")
        if case.promise_due is not None:
            raise Refused(_("The promised materials have not been supplied yet."), field="transition")
        case.result, case.concluded_at = result, now
        detail = {"result": result}
    _record(case, kind, now, actor, **detail)
    if kind == EventKind.READY and case.phone:
        ready_notification(case, now).save()
    return case


@transaction.atomic
def extend(actor, case: Case, now: datetime, *, approver: str) -> Case:
    """The one extension of the statutory limit (行政许可法 Art. 42), with the approver named."""
    case = _locked(case)
    authorize(actor, Action.CASE_EXTEND, case.hall)
    _allow(case, EventKind.EXTENDED)
    if case.extension_days:
        raise Refused(_("The time limit can be extended once only."), field="transition")
    if not (approver or "").strip():
        raise InvalidInput(_("Name who approved the extension."), field="approver")
    case.extension_days, case.extension_approver = settings.WEIMIN_CASE_EXTENSION_DAYS, approver.strip()
    _record(case, EventKind.EXTENDED, now, actor, days=case.extension_days, approver=case.extension_approver)
    return case


@transaction.atomic
def pause(actor, case: Case, now: datetime, *, kind: str) -> CasePause:
    """Testing, a hearing, appraisal or expert review: the clock stops (行政许可法 Art. 45)."""
    case = _locked(case)
    authorize(actor, Action.CASE_PAUSE, case.hall)
    if kind not in PauseKind.values:
        raise InvalidInput(_("Choose testing, hearing, appraisal or expert_review."), field="kind")
    if case.pauses.filter(ended_on__isnull=True).exists():
        raise _illegal(case, EventKind.PAUSED)
    _allow(case, EventKind.PAUSED)
    paused = CasePause.objects.create(case=case, kind=kind, started_on=case.hall.local_date(now))
    _record(case, EventKind.PAUSED, now, actor, kind=kind)
    return paused


@transaction.atomic
def resume(actor, case: Case, now: datetime) -> CasePause:
    """The paused clock runs again from the next day (行政许可法 Art. 45)."""
    case = _locked(case)
    authorize(actor, Action.CASE_PAUSE, case.hall)
    running = case.pauses.filter(ended_on__isnull=True).first()
    if running is None:
        raise _illegal(case, EventKind.RESUMED)
    running.ended_on = case.hall.local_date(now)
    running.save(update_fields=["ended_on"])
    _record(case, EventKind.RESUMED, now, actor, kind=running.kind)
    return running


@transaction.atomic
def deliver(
    clerk, case: Case, now: datetime, *, method: str, collector_id_number: str = "", tracking: str = ""
) -> Case:
    """The result handed over at any opening session (evenings included) or posted."""
    case = _locked(case)
    _authorize_at_a_window(clerk, Action.CASE_DELIVER, case)
    _allow(case, EventKind.DELIVERED)
    if method == DeliveryMethod.WINDOW:
        if not HallCalendar(case.hall).is_open(now):
            raise Refused(_("Results are handed over during opening hours."), field="transition")
        collector = resident_id(collector_id_number, case.hall.local_date(now), field="collector_id_number",
                                message=gettext_lazy("Check the collector's ID number: %(reason)s."))  # fmt: skip
        case.collector_id_masked = collector.masked
    elif method == DeliveryMethod.POST:
        if not (tracking or "").strip():
            raise InvalidInput(_("Give the postal tracking number."), field="tracking")
        case.postal_tracking = tracking.strip()
    else:
        raise InvalidInput(_("Choose window or post."), field="method")
    case.delivery, case.delivered_at = method, now
    _record(case, EventKind.DELIVERED, now, clerk, method=method, collector=case.collector_id_masked)
    return case


@transaction.atomic
def hand_over_case(actor, case: Case, successor, now: datetime, *, window: Window | None, reason: str) -> Case:
    """The clerk leaving ``window`` hands the case to ``successor``, a colleague on duty, or to the hall's
    pool when ``successor`` is None (``shifts.actions.sign_out`` hands over everything a clerk holds)."""
    case = _locked(case)
    _authorize(actor, Action.CASE_HAND_OVER, case)
    case.clerk = successor
    _record(case, EventKind.HANDED_OVER, now, actor, window=window,
            to=successor.get_username() if successor else None, reason=reason)  # fmt: skip
    ticket_actions.announce(case.hall_id, "case_handed_over")  # the consoles' lists of the hall's pool
    return case


@transaction.atomic
def take_case(actor, case: Case, now: datetime, *, clerk=None) -> Case:
    """A case waiting in the hall's pool (``clerk`` empty) goes to ``clerk`` (default: ``actor``), who
    must be signed in at a window of the hall: a clerk there takes it, the hall's manager assigns it."""
    case = _locked(case)
    _authorize_at_a_window(actor, Action.CASE_TAKE, case)
    clerk = clerk or actor
    if case.clerk_id is not None or case.status not in rules.HELD_STATUSES:
        raise Refused(
            _("Case %(number)s is no longer in the hall's pool: %(who)s has it.")
            % {"number": case.number, "who": person_name(case.clerk) or case.get_status_display()},
            field="case",
        )
    window = Duty.objects.window_held_by(clerk.pk, case.hall)
    if window is None:
        raise InvalidInput(
            _("%(who)s is not signed in at a window of %(hall)s.") % {"who": person_name(clerk), "hall": case.hall},
            field="clerk",
        )
    case.clerk = clerk
    _record(case, EventKind.HANDED_OVER, now, actor, window=window, to=clerk.get_username(), reason="taken_from_pool")
    ticket_actions.announce(case.hall_id, "case_taken", window=window.number)
    return case


@transaction.atomic
def withdraw_broken_promises(now: datetime) -> int:
    """容缺 cases whose promised materials did not arrive by the deadline count as withdrawn."""
    withdrawn = 0
    for case in Case.objects.select_for_update().filter(status=Status.PROCESSING, promise_due__isnull=False):
        if case.promise_due < case.hall.local_date(now):
            _record(case, EventKind.WITHDRAWN, now, None, reason="promise_not_kept",
                    promise_due=case.promise_due.isoformat())  # fmt: skip
            withdrawn += 1
    return withdrawn
