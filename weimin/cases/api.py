from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from weimin.accounts.auth import BearerToken, optional_staff
from weimin.accounts.permissions import Action, may
from weimin.cases import actions, queries, rules
from weimin.cases.actions import MaterialCheck
from weimin.cases.models import Case
from weimin.cases.queries import case_or_404
from weimin.cases.schemas import (
    CaseIn,
    CaseLookupIn,
    CaseOut,
    CaseSecretIn,
    DecisionIn,
    PickupIn,
    StatusIn,
    ValidateIn,
    ValidationOut,
)
from weimin.core import clock
from weimin.core.identity import InvalidCreditCode, InvalidIdNumber, parse_credit_code, parse_resident_id
from weimin.core.inputs import number_problem
from weimin.core.limits import client_address
from weimin.core.text import Id, Text
from weimin.core.visitors import refuse_secrets_in_query, visitor_token
from weimin.tickets.api import issued_out
from weimin.tickets.models import Ticket
from weimin.tickets.schemas import TicketIssuedOut

router = Router(tags=["cases"])
staff = BearerToken()


def checks(materials) -> list[MaterialCheck]:
    return [MaterialCheck(m.material, m.state, m.note) for m in materials]


def material_out(line) -> dict:
    return {"name": line.material.name, "state": line.state, "note": line.note, "in_notice": line.in_notice}


def case_out(case: Case, viewer=None, token: str = "") -> dict:
    """The case as ``viewer`` sees it; a citizen who came with their link's ``token`` gets the notices'
    pages under that link."""
    dates = queries.due_dates(case, case.hall.local_date(clock.now()))
    lines = list(case.materials.select_related("material"))
    return {
        "number": case.number, "hall": case.hall.code, "item": case.item.code, "status": case.status,
        "decision": case.decision, "applicant": case.applicant_name, "id_number": case.id_for(viewer),
        "accepted_on": case.accepted_on, "promised_due": dates.promised, "statutory_due": dates.statutory,
        "due_pending_year": dates.pending_year,
        "paused": dates.paused, "promise_due": case.promise_due,
        "missing": [material_out(line) for line in lines if rules.is_gap(line.material.required, line.state)],
        "materials": [material_out(line) for line in lines],
        "notices": [
            {"number": n.number, "kind": n.kind, "issued_at": n.issued_at,
             "url": reverse("cases:my-notice", args=[token, n.pk]) if token and viewer is None
                    else reverse("cases:notice", args=[case.number, n.pk]) if viewer is not None else None}
            for n in case.notices.all()
        ],
        "history": [{"at": e.at, "action": rules.event_code(e.kind, e.detail)} for e in case.events.all()],
    }  # fmt: skip


def staff_or_applicant(
    request, number: str, *, token: str = "", id_number: str = "", typed: bool = False
) -> tuple[Case, object]:
    """The case and who sees it: staff of the hall (None for a citizen). A citizen opens it with the
    token of their notice's QR code (X-Visitor-Token header or body) or the whole ID number (body),
    never anything in the address; an unknown case and a wrong secret get the same 404, and failures
    are limited per case and per address (queries.case_for_applicant)."""
    refuse_secrets_in_query(request)
    user = optional_staff(request)
    if user is not None:
        case = Case.objects.select_related("hall", "item", "clerk").filter(number=number).first()
        if case is not None and may(user, Action.CASE_READ, case.hall):
            return case, user
    return applicant_case(request, number, token=token, id_number=id_number, typed=typed), None


def applicant_case(request, number: str, *, token: str = "", id_number: str = "", typed: bool = False) -> Case:
    """The case its applicant opens: the whole ID number (typed) or their link's token (the header or
    ``token``); an unknown case and a wrong secret are the same 404."""
    now, address = clock.now(), client_address(request)
    if typed or id_number:
        return queries.case_for_applicant(number, id_number, address=address, now=now)
    return queries.case_for_link(visitor_token(request, token), address=address, now=now, number=number)


@router.post("/tickets/{ticket_id}/case", response={201: CaseOut}, auth=staff)
def open_case(request, ticket_id: Id(), payload: CaseIn):
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
def decide(request, number: Text(20), payload: DecisionIn):
    """受理 / 容缺受理 / 补正 / 不予受理, with the notice."""
    case = case_or_404(number)
    notice = actions.decide(
        request.auth, case, clock.now(), payload.decision, materials=checks(payload.materials),
        promise_signed=payload.promise_signed, reason=payload.reason, competent_agency=payload.competent_agency,
    )  # fmt: skip
    token = notice.access_token  # the applicant's new key: print it as the notice's QR code
    return {**case_out(case_or_404(number), request.auth), "access_token": token,
            "access_url": reverse("cases:mine", args=[token])}  # fmt: skip


@router.post("/cases/{number}/resubmit", response={201: TicketIssuedOut})
def resubmit(request, number: Text(20), payload: CaseSecretIn = None):
    """Back with the supplements: a fast-lane ticket to the clerk who issued the notice (staff, or the
    applicant's token or whole ID number)."""
    secret = payload or CaseSecretIn()
    case, _viewer = staff_or_applicant(request, number, token=secret.token, id_number=secret.id_number)
    issued = actions.check_in_resubmission(case, clock.now())
    return Status(201, issued_out(issued))


@router.post("/cases/{number}/supply", response=CaseOut, auth=staff)
def supply(request, number: Text(20), payload: DecisionIn):
    """容缺: the promised materials arrive (only ``materials`` is read)."""
    case = actions.supply_promised(request.auth, case_or_404(number), clock.now(), checks(payload.materials))
    return case_out(case, request.auth)


@router.post("/cases/{number}/status", response=CaseOut, auth=staff)
def set_status(request, number: Text(20), payload: StatusIn):
    """Back office: 办结 with its result, then 待领取 (the applicant is notified)."""
    case = actions.set_status(request.auth, case_or_404(number), clock.now(), payload.status, result=payload.result)
    return case_out(case, request.auth)


@router.post("/cases/{number}/pickup", response=CaseOut, auth=staff)
def pickup(request, number: Text(20), payload: PickupIn):
    case = actions.deliver(
        request.auth, case_or_404(number), clock.now(), method=payload.method,
        collector_id_number=payload.collector_id_number, tracking=payload.tracking,
    )  # fmt: skip
    return case_out(case, request.auth)


@router.get("/cases/{number}", response=CaseOut)
def get_case(request, number: Text(20)):
    """Status, due dates, missing materials and history: staff of the hall, or the applicant's link
    token in the X-Visitor-Token header (typed lookup: POST /cases/{number}/lookup)."""
    case, viewer = staff_or_applicant(request, number)
    return case_out(case, viewer, token=visitor_token(request) if viewer is None else "")


@router.post("/cases/{number}/lookup", response=CaseOut)
def look_up_case(request, number: Text(20), payload: CaseLookupIn):
    """The applicant types the case number and their whole ID number (in the body, never the address)."""
    case, _viewer = staff_or_applicant(request, number, id_number=payload.id_number, typed=True)
    return case_out(case, None)


@router.post("/validate/id-number", response=ValidationOut)
def validate_id_number(request, payload: ValidateIn):
    """For forms that check as the number is typed (the number in the body, never the address): birth
    date and sex when valid, the reason otherwise."""
    try:
        # No hall here: the date in the halls' default time zone (Asia/Shanghai), not UTC's.
        person = parse_resident_id(payload.value, today=timezone.localdate(clock.now()))
    except InvalidIdNumber as exc:
        return {"valid": False, "reason": number_problem(exc)}
    return {"valid": True, "reason": "", "birth_date": person.birth_date, "sex": person.sex.value}


@router.post("/validate/credit-code", response=ValidationOut)
def validate_credit_code(request, payload: ValidateIn):
    try:
        parse_credit_code(payload.value)
    except InvalidCreditCode as exc:
        return {"valid": False, "reason": number_problem(exc)}
    return {"valid": True, "reason": ""}
