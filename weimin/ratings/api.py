from datetime import date
from typing import Literal

from ninja import Router, Schema
from ninja.responses import Status

from weimin.accounts.auth import BearerToken, halls_managed_by
from weimin.cases.api import staff_or_applicant
from weimin.cases.queries import case_or_404
from weimin.core import clock
from weimin.halls import reference
from weimin.halls.models import Hall
from weimin.ratings import actions
from weimin.ratings.models import FollowUp, Rating
from weimin.ratings.queries import overdue
from weimin.tickets.api import ticket_or_404, visitor_or_staff

router = Router(tags=["ratings"])


class RatingIn(Schema):
    level: int
    comment: str = ""


class RatingOut(Schema):
    level: int
    comment: str
    by_default: bool
    follow_up: bool


class FollowUpOut(Schema):
    id: int
    hall: str
    level: int
    comment: str
    contact_due: date
    resolve_due: date
    contacted: bool
    resolved: bool


def rating_out(rating: Rating) -> dict:
    return {"level": rating.level, "comment": rating.comment, "by_default": rating.by_default,
            "follow_up": hasattr(rating, "follow_up")}  # fmt: skip


@router.post("/tickets/{ticket_id}/rating", response={201: RatingOut})
def rate_ticket(request, ticket_id: int, payload: RatingIn, token: str | None = None):
    """好差评 for a completed visit: 5 very satisfied … 1 very dissatisfied (1–2 open a follow-up)."""
    ticket = ticket_or_404(ticket_id)
    visitor_or_staff(request, ticket, reference.halls_by_id()[ticket.hall_id], token)
    return Status(
        201, rating_out(actions.rate_ticket(ticket, clock.now(), level=payload.level, comment=payload.comment))
    )


@router.post("/cases/{number}/rating", response={201: RatingOut})
def rate_case(request, number: str, payload: RatingIn, id_last4: str | None = None):
    case = case_or_404(number)
    staff_or_applicant(request, case, id_last4)
    return Status(201, rating_out(actions.rate_case(case, clock.now(), level=payload.level, comment=payload.comment)))


@router.get("/follow-ups", response=list[FollowUpOut], auth=BearerToken())
def follow_ups(request, state: Literal["overdue", "open"] = "overdue"):
    """Bad ratings' follow-ups at the halls the token's user manages."""
    halls = halls_managed_by(request.auth)
    halls = list(halls if halls is not None else Hall.objects.all())
    if state == "overdue":
        found = overdue(halls, clock.now())
    else:
        found = FollowUp.objects.filter(rating__hall__in=halls, resolved_at__isnull=True).select_related("rating__hall")
    return [
        {"id": f.pk, "hall": f.rating.hall.code, "level": f.rating.level, "comment": f.rating.comment,
         "contact_due": f.contact_due, "resolve_due": f.resolve_due, "contacted": f.contacted_at is not None,
         "resolved": f.resolved_at is not None}
        for f in found
    ]  # fmt: skip
