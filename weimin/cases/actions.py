"""Every change to a case (办件): one transactional function each, each writing the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.accounts.auth import can_act_at
from weimin.cases import rules
from weimin.cases.choices import ApplicantKind, CaseStatus, DeliveryMethod, NoticeKind, PauseKind, ResultKind
from weimin.cases.models import Case, CaseEvent, CaseMaterial, CaseNotice, CasePause, Notification, Resubmission
from weimin.cases.rules import Decision, MaterialState
from weimin.core.db import serialize_on
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.core.identity import InvalidCreditCode, parse_credit_code
from weimin.core.inputs import phone_number, resident_id
from weimin.halls.hours import HallCalendar, add_working_days
from weimin.shifts.models import Duty
from weimin.tickets import actions as ticket_actions
from weimin.tickets.choices import Priority, TicketSource
from weimin.tickets.models import Ticket
from weimin.tickets.rules import AT_WINDOW_STATUSES

NOTICE_CODES = {NoticeKind.ACCEPTANCE: "SL", NoticeKind.CORRECTION: "BZ", NoticeKind.REFUSAL: "BY"}
DECISION_NOTICE = {
    Decision.ACCEPT: NoticeKind.ACCEPTANCE,
    Decision.ACCEPT_ON_PROMISE: NoticeKind.ACCEPTANCE,
    Decision.CORRECTION: NoticeKind.CORRECTION,
    Decision.REFUSE: NoticeKind.REFUSAL,
}


DECISION_REFUSALS = {
    "gaps": gettext_lazy("Materials are missing or non-compliant: accept on a written promise or ask for correction."),
    "nothing_missing": gettext_lazy("Nothing is missing: accept the application."),
    "not_eligible": gettext_lazy("Only materials eligible for 容缺 may be missing."),
    "no_promise": gettext_lazy("The applicant must sign the written promise."),
    "nothing_to_correct": gettext_lazy("Nothing is missing or non-compliant: there is nothing to correct."),
}


@dataclass(frozen=True)
class MaterialCheck:
    material: str  # the material's id or name
    state: str
    note: str = ""


def _event(case: Case, now: datetime, actor, action: str, window=None, **detail) -> None:
    CaseEvent.objects.create(case=case, at=now, actor=actor, window=window, action=action, detail=detail)


def _staff_at(user, case: Case) -> None:
    if not can_act_at(user, case.hall):
        raise NotPermitted(_("You do not work at %(hall)s.") % {"hall": case.hall})


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("hall", "item").get(pk=case.pk)


def _checks(case: Case, checks: list[MaterialCheck]) -> list[tuple[CaseMaterial, MaterialCheck]]:
    """Resolve each check to the case's line for that material (created if new); errors name the entry."""
    materials = {str(m.pk): m for m in case.item.materials.all()} | {m.name: m for m in case.item.materials.all()}
    lines = {line.material_id: line for line in case.materials.all()}
    resolved = []
    for index, check in enumerate(checks):
        material = materials.get(str(check.material).strip())
        if material is None:
            raise InvalidInput(
                _("%(material)s is not on the checklist of %(item)s.")
                % {"material": check.material, "item": case.item},
                field=f"materials[{index}].material",
            )
        if check.state not in set(MaterialState):
            raise InvalidInput(_("Choose present, missing or non_compliant."), field=f"materials[{index}].state")
        line = lines.get(material.pk) or CaseMaterial(case=case, material=material, state=MaterialState.MISSING)
        resolved.append((line, check))
    return resolved


def _case_number(hall, business_date: date) -> str:
    serialize_on(f"case-number:{hall.pk}:{business_date}")
    prefix = f"{business_date:%Y%m%d}{hall.pk:03d}"
    return f"{prefix}{Case.objects.filter(number__startswith=prefix).count() + 1:04d}"


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
    ticket = Ticket.objects.select_related("hall", "item").get(pk=ticket.pk)
    if ticket.status not in AT_WINDOW_STATUSES or ticket.window_id is None:
        raise Refused(_("Ticket %(number)s is not at a window.") % {"number": ticket.number}, field="ticket")
    if not Duty.objects.open().filter(user=clerk, window_id=ticket.window_id).exists():
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
            if not (credit_code_override or "").strip() or len((credit_code or "").strip()) != 18:
                raise InvalidInput(
                    _("Invalid credit code: %(reason)s.") % {"reason": exc}, field="credit_code"
                ) from exc
            code = credit_code.strip().upper()
    case = Case.objects.create(
        number=_case_number(ticket.hall, today),
        hall=ticket.hall,
        item=ticket.item,
        ticket=ticket,
        window_id=ticket.window_id,
        clerk=clerk,
        applicant_kind=kind,
        applicant_name=name.strip(),
        id_number=person.number,
        credit_code=code,
        credit_code_override=(credit_code_override or "").strip(),
        agent_name=(agent_name or "").strip(),
        phone=phone_number(phone),
        created_at=now,
    )
    for line, check in _checks(case, list(materials)):
        line.state, line.note = check.state, check.note.strip()
        line.save()
    _event(
        case,
        now,
        clerk,
        "opened",
        window=ticket.window,
        ticket=ticket.number,
        credit_code_override=bool(case.credit_code_override),
    )
    return case


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
    """The decision at the window, with its written notice (行政许可法 Art. 32)."""
    case = _locked(case)
    if case.clerk_id != clerk.pk:
        _staff_at(clerk, case)
    if case.status not in (CaseStatus.INTAKE, CaseStatus.AWAITING_SUPPLEMENT):
        raise Refused(
            _("Case %(number)s is %(status)s: no decision is due.")
            % {"number": case.number, "status": case.get_status_display()},
            field="transition",
        )
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidInput(_("Choose accept, accept_on_promise, correction or refuse."), field="decision") from None
    noticed = case.status == CaseStatus.AWAITING_SUPPLEMENT
    for index, (line, check) in enumerate(_checks(case, list(materials))):
        if noticed and not line.in_notice:
            # 一次性告知: the notice listed every gap; a new one now would be the second trip it prevents.
            raise Refused(
                _("%(material)s was not in the correction notice: only the listed materials are re-checked.")
                % {"material": line.material},
                field=f"materials[{index}].material",
            )
        line.state, line.note = check.state, check.note.strip()
        line.save()
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
    today = case.hall.local_date(now)
    gaps = [line for line in lines if rules.is_gap(line.material.required, MaterialState(line.state))]
    if decision == Decision.REFUSE:
        if not (reason or "").strip():
            raise InvalidInput(_("Give the reason for refusing."), field="reason")
        case.status, case.refusal_reason = CaseStatus.REFUSED, reason.strip()
        case.competent_agency = (competent_agency or "").strip()
    elif decision == Decision.CORRECTION:
        case.status = CaseStatus.AWAITING_SUPPLEMENT
        for line in lines:
            line.in_notice = line in gaps
            line.save(update_fields=["in_notice"])
    else:
        case.status, case.accepted_on = CaseStatus.PROCESSING, today
        if decision == Decision.ACCEPT_ON_PROMISE:
            case.promise_due = add_working_days(today, settings.WEIMIN_PROMISE_SUPPLY_DAYS, case.hall)
    case.decision, case.decided_at = decision, now
    case.save()
    kind = DECISION_NOTICE[decision]
    notice = CaseNotice.objects.create(
        case=case,
        kind=kind,
        issued_at=now,
        issued_by=clerk,
        number=f"{NOTICE_CODES[kind]}{case.number}-{case.notices.count() + 1}",
        body={
            "decision": decision.value,
            "materials": [{"name": line.material.name, "state": line.state, "note": line.note} for line in gaps],
            "promise_due": case.promise_due.isoformat() if case.promise_due else None,
            "reason": case.refusal_reason,
            "competent_agency": case.competent_agency,
        },
    )
    _event(
        case,
        now,
        clerk,
        f"decided:{decision.value}",
        window=case.window,
        notice=notice.number,
        gaps=[line.material.name for line in gaps],
    )
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


@transaction.atomic
def check_in_resubmission(case: Case, now: datetime) -> ticket_actions.IssuedTicket:
    """The visitor is back with the supplements: a fast-lane ticket to the clerk who asked for them,
    at the window that clerk holds now; when the clerk is off duty, to any window for the item."""
    case = _locked(case)
    if case.status != CaseStatus.AWAITING_SUPPLEMENT:
        raise Refused(
            _("Case %(number)s is not waiting for supplements.") % {"number": case.number}, field="transition"
        )
    duty = Duty.objects.open().filter(user_id=case.clerk_id, window__hall=case.hall).select_related("window").first()
    target = duty.window if duty and duty.window.items.filter(pk=case.item_id).exists() else None
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
    _event(
        case,
        now,
        None,
        "resubmission_ticket",
        ticket=issued.ticket.number,
        window_number=target.number if target else None,
    )
    return issued


@transaction.atomic
def supply_promised(clerk, case: Case, now: datetime, materials: list[MaterialCheck]) -> Case:
    """容缺: the applicant brings the promised materials; the promise is kept when none is missing."""
    case = _locked(case)
    _staff_at(clerk, case)
    if case.status != CaseStatus.PROCESSING or case.promise_due is None:
        raise Refused(_("Case %(number)s has no promise to keep.") % {"number": case.number}, field="transition")
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
        case.save(update_fields=["promise_due"])
    _event(case, now, clerk, "supplied", materials=[str(m.material) for m in materials])
    return case


NEXT_STATUS = {CaseStatus.PROCESSING: CaseStatus.CONCLUDED, CaseStatus.CONCLUDED: CaseStatus.READY}


@transaction.atomic
def set_status(actor, case: Case, now: datetime, status: str, *, result: str = "") -> Case:
    """Back office: 办理中 → 办结 (approved or refused) → 待领取, which notifies the applicant."""
    case = _locked(case)
    _staff_at(actor, case)
    if NEXT_STATUS.get(case.status) != status:
        raise Refused(
            _("Case %(number)s cannot go from %(from)s to %(to)s.")
            % {"number": case.number, "from": case.status, "to": status},
            field="transition",
        )
    if status == CaseStatus.CONCLUDED:
        if result not in ResultKind.values:
            raise InvalidInput(_("Give the result: approved or refused."), field="result")
        if case.promise_due is not None:
            raise Refused(_("The promised materials have not been supplied yet."), field="transition")
        case.result, case.concluded_at = result, now
    case.status = status
    case.save()
    if status == CaseStatus.READY and case.phone:
        Notification.objects.create(
            case=case,
            recipient=case.phone,
            created_at=now,
            message=_("Case %(number)s (%(item)s): your result is ready. Collect it at %(hall)s, evenings included.")
            % {"number": case.number, "item": case.item, "hall": case.hall},
        )
    _event(case, now, actor, f"status:{status}", result=result)
    return case


@transaction.atomic
def extend(actor, case: Case, now: datetime, *, approver: str) -> Case:
    """The one extension of the statutory limit (行政许可法 Art. 42), with the approver named."""
    case = _locked(case)
    _staff_at(actor, case)
    if case.status != CaseStatus.PROCESSING:
        raise Refused(_("Only a case being processed can be extended."), field="transition")
    if case.extension_days:
        raise Refused(_("The time limit can be extended once only."), field="transition")
    if not (approver or "").strip():
        raise InvalidInput(_("Name who approved the extension."), field="approver")
    case.extension_days, case.extension_approver = settings.WEIMIN_CASE_EXTENSION_DAYS, approver.strip()
    case.save(update_fields=["extension_days", "extension_approver"])
    _event(case, now, actor, "extended", days=case.extension_days, approver=case.extension_approver)
    return case


@transaction.atomic
def pause(actor, case: Case, now: datetime, *, kind: str) -> CasePause:
    """Testing, a hearing, appraisal or expert review: the clock stops (行政许可法 Art. 45)."""
    case = _locked(case)
    _staff_at(actor, case)
    if kind not in PauseKind.values:
        raise InvalidInput(_("Choose testing, hearing, appraisal or expert_review."), field="kind")
    if case.status != CaseStatus.PROCESSING or case.pauses.filter(ended_on__isnull=True).exists():
        raise Refused(_("The case is not running: nothing to pause."), field="transition")
    paused = CasePause.objects.create(case=case, kind=kind, started_on=case.hall.local_date(now))
    _event(case, now, actor, "paused", kind=kind)
    return paused


@transaction.atomic
def resume(actor, case: Case, now: datetime) -> CasePause:
    case = _locked(case)
    _staff_at(actor, case)
    running = case.pauses.filter(ended_on__isnull=True).first()
    if running is None:
        raise Refused(_("The case is not paused."), field="transition")
    running.ended_on = case.hall.local_date(now)
    running.save(update_fields=["ended_on"])
    _event(case, now, actor, "resumed", kind=running.kind)
    return running


@transaction.atomic
def deliver(
    clerk, case: Case, now: datetime, *, method: str, collector_id_number: str = "", tracking: str = ""
) -> Case:
    """The result handed over at any opening session (evenings included) or posted."""
    case = _locked(case)
    _staff_at(clerk, case)
    if case.status != CaseStatus.READY:
        raise Refused(_("Case %(number)s is not ready for pick-up.") % {"number": case.number}, field="transition")
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
    case.status, case.delivery, case.delivered_at = CaseStatus.DELIVERED, method, now
    case.save()
    _event(case, now, clerk, f"delivered:{method}", collector=case.collector_id_masked)
    return case


@transaction.atomic
def withdraw_broken_promises(now: datetime) -> int:
    """容缺 cases whose promised materials did not arrive by the deadline count as withdrawn."""
    withdrawn = 0
    for case in Case.objects.select_for_update().filter(status=CaseStatus.PROCESSING, promise_due__isnull=False):
        if case.promise_due < case.hall.local_date(now):
            case.status = CaseStatus.WITHDRAWN
            case.save(update_fields=["status"])
            _event(case, now, None, "withdrawn", reason="promise_not_kept", promise_due=case.promise_due.isoformat())
            withdrawn += 1
    return withdrawn
