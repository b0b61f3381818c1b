from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from weimin.accounts.auth import BearerToken, can_act_at, optional_staff
from weimin.cases import actions, queries, rules
from weimin.cases.actions import MaterialCheck
from weimin.cases.models import Case
from weimin.cases.queries import case_or_404
from weimin.cases.schemas import CaseIn, CaseOut, DecisionIn, PickupIn, StatusIn, ValidationOut
from weimin.core import clock
from weimin.core.errors import NotPermitted
from weimin.core.identity import InvalidCreditCode, InvalidIdNumber, parse_credit_code, parse_resident_id
from weimin.tickets.api import ticket_out
from weimin.tickets.models import Ticket
from weimin.tickets.schemas import TicketIssuedOut

router = Router(tags=["cases"])
staff = BearerToken()


def checks(materials) -> list[MaterialCheck]:
    return [MaterialCheck(m.material, m.state, m.note) for m in materials]


def material_out(line) -> dict:
    return {"name": line.material.name, "state": line.state, "note": line.note, "in_notice": line.in_notice}


def case_out(case: Case, viewer=None) -> dict:
    dates = queries.due_dates(case, case.hall.local_date(clock.now()))
    lines = list(case.materials.select_related("material"))
    return {
        "number": case.number, "hall": case.hall.code, "item": case.item.code, "status": case.status,
        "decision": case.decision, "applicant": case.applicant_name, "id_number": case.id_for(viewer),
        "accepted_on": case.accepted_on, "promised_due": dates.promised, "statutory_due": dates.statutory,
        "paused": dates.paused, "promise_due": case.promise_due,
        "missing": [material_out(line) for line in lines if rules.is_gap(line.material.required, line.state)],
        "materials": [material_out(line) for line in lines],
        "notices": [
            {"number": n.number, "kind": n.kind, "issued_at": n.issued_at,
             "url": reverse("cases:notice", args=[case.number, n.pk])}
            for n in case.notices.all()
        ],
        "history": [{"at": e.at, "action": rules.event_code(e.kind, e.detail)} for e in case.events.all()],
    }  # fmt: skip


def staff_or_applicant(request, case: Case, id_last4: str | None):
    """Staff of the hall see the case; a citizen needs the case number and the ID number's last 4."""
    user = optional_staff(request)
    if user is not None and can_act_at(user, case.hall):
        return user
    if not case.opens_with(id_last4):
        raise NotPermitted(_("Give the last 4 characters of the applicant's ID number."), field="id_last4")
    return None


@router.post("/tickets/{ticket_id}/case", response={201: CaseOut}, auth=staff)
def open_case(request, ticket_id: int, payload: CaseIn):
    """收件: open a case for the ticket at the clerk's window, with the checklist checked so far."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404(_("No ticket with id %(id)s.") % {"id": ticket_id})
    case = actions.open_case(
        request.auth, ticket, clock.now(), kind=payload.kind, name=payload.name, id_number=payload.id_number,
        credit_code=payload.credit_code, credit_code_override=payload.credit_code_override,
        agent_name=payload.agent_name, phone=payload.phone, materials=checks(payload.materials),
    )  # fmt: skip
    return Status(201, case_out(case, request.auth))


@router.post("/cases/{number}/decision", response=CaseOut, auth=staff)
def decide(request, number: str, payload: DecisionIn):
    """受理 / 容缺受理 / 补正 / 不予受理, with the notice."""
    case = case_or_404(number)
    actions.decide(
        request.auth, case, clock.now(), payload.decision, materials=checks(payload.materials),
        promise_signed=payload.promise_signed, reason=payload.reason, competent_agency=payload.competent_agency,
    )  # fmt: skip
    return case_out(case_or_404(number), request.auth)


@router.post("/cases/{number}/resubmit", response={201: TicketIssuedOut})
def resubmit(request, number: str, id_last4: str | None = None):
    """Back with the supplements: a fast-lane ticket to the clerk who issued the notice."""
    case = case_or_404(number)
    staff_or_applicant(request, case, id_last4)
    issued = actions.check_in_resubmission(case, clock.now())
    return Status(201, {**ticket_out(issued.ticket), "token": issued.token, "url": f"/t/{issued.token}/"})


@router.post("/cases/{number}/supply", response=CaseOut, auth=staff)
def supply(request, number: str, payload: DecisionIn):
    """容缺: the promised materials arrive (only ``materials`` is read)."""
    case = actions.supply_promised(request.auth, case_or_404(number), clock.now(), checks(payload.materials))
    return case_out(case, request.auth)


@router.post("/cases/{number}/status", response=CaseOut, auth=staff)
def set_status(request, number: str, payload: StatusIn):
    """Back office: 办结 with its result, then 待领取 (the applicant is notified)."""
    case = actions.set_status(request.auth, case_or_404(number), clock.now(), payload.status, result=payload.result)
    return case_out(case, request.auth)


@router.post("/cases/{number}/pickup", response=CaseOut, auth=staff)
def pickup(request, number: str, payload: PickupIn):
    case = actions.deliver(
        request.auth, case_or_404(number), clock.now(), method=payload.method,
        collector_id_number=payload.collector_id_number, tracking=payload.tracking,
    )  # fmt: skip
    return case_out(case, request.auth)


@router.get("/cases/{number}", response=CaseOut)
def get_case(request, number: str, id_last4: str | None = None):
    """Status, due dates, missing materials and history (staff token, or the ID number's last 4)."""
    case = case_or_404(number)
    viewer = staff_or_applicant(request, case, id_last4)
    return case_out(case, viewer)


@router.get("/validate/id-number/{value}", response=ValidationOut)
def validate_id_number(request, value: str):
    """For forms that check as the number is typed: birth date and sex when valid, the reason otherwise."""
    try:
        # No hall here: the date in the halls' default time zone (Asia/Shanghai), not UTC's.
        person = parse_resident_id(value, today=timezone.localdate(clock.now()))
    except InvalidIdNumber as exc:
        return {"valid": False, "reason": str(exc)}
    return {"valid": True, "reason": "", "birth_date": person.birth_date, "sex": person.sex.value}


@router.get("/validate/credit-code/{value}", response=ValidationOut)
def validate_credit_code(request, value: str):
    try:
        parse_credit_code(value)
    except InvalidCreditCode as exc:
        return {"valid": False, "reason": str(exc)}
    return {"valid": True, "reason": ""}
