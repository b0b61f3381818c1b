from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from weimin.accounts.auth import BearerToken
from weimin.accounts.permissions import Action, halls_where
from weimin.cases.api import applicant_case
from weimin.core import clock
from weimin.core.errors import NotPermitted
from weimin.core.text import Id, Text
from weimin.core.visitors import refuse_secrets_in_query, visitor_token
from weimin.ratings import actions
from weimin.ratings.models import FollowUp, Rating
from weimin.ratings.queries import overdue
from weimin.tickets.api import ticket_or_404

router = Router(tags=["ratings"])


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    comment: Text(500) = ""
    phone: Text(20) = Field("", description="with a bad rating (1–2), a mobile number for the call-back")
    token: Text(64) = Field("", description="the visitor's token (or the X-Visitor-Token header)")


class CaseRatingIn(RatingIn):
    id_number: Text(40) = Field("", description="or the applicant's whole ID number")


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
    contact_due: date | None = Field(description="empty while pending the national calendar")
    resolve_due: date | None = Field(description="empty while pending the national calendar")
    contacted: bool
    resolved: bool


def rating_out(rating: Rating) -> dict:
    return {"level": rating.level, "comment": rating.comment, "by_default": rating.by_default,
            "follow_up": hasattr(rating, "follow_up")}  # fmt: skip


@router.post("/tickets/{ticket_id}/rating", response={201: RatingOut})
def rate_ticket(request, ticket_id: Id(), payload: RatingIn):
    """好差评 for a completed visit: 5 very satisfied … 1 very dissatisfied (1–2 open a follow-up)."""
    token = visitor_token(request, payload.token)  # the header or the body, never the address
    ticket = ticket_or_404(ticket_id)
    # Only the visitor's own token: staff never rate on a visitor's behalf (issue 9, item 5).
    if not ticket.token_matches(token or ""):
        raise NotPermitted(_("Only the visitor rates a visit: give the ticket's own token."), field="token")
    return Status(
        201,
        rating_out(
            actions.rate_ticket(ticket, clock.now(), level=payload.level, comment=payload.comment, phone=payload.phone)
        ),
    )


@router.post("/cases/{number}/rating", response={201: RatingOut})
def rate_case(request, number: Text(20), payload: CaseRatingIn):
    """好差评 of a case, by its applicant only: the token of the notice's link (X-Visitor-Token header or
    ``token``) or the whole ID number."""
    refuse_secrets_in_query(request)
    case = applicant_case(request, number, token=payload.token, id_number=payload.id_number)
    rating = actions.rate_case(case, clock.now(), level=payload.level, comment=payload.comment, phone=payload.phone)
    return Status(201, rating_out(rating))


@router.get("/follow-ups", response=list[FollowUpOut], auth=BearerToken())
def follow_ups(request, state: Literal["overdue", "open"] = "overdue"):
    """Bad ratings' follow-ups at the halls the token's user manages."""
    halls = list(halls_where(request.auth, Action.FOLLOW_UPS_READ))
    if state == "overdue":
        found = overdue(halls, clock.now())
    else:
        found = FollowUp.objects.filter(rating__hall__in=halls, resolved_at__isnull=True).select_related("rating__hall")
    return [
        {"id": f.pk, "hall": f.rating.hall.code, "level": f.rating.level, "comment": f.rating.comment,
         "contact_due": f.contact_by, "resolve_due": f.resolve_by, "contacted": f.contacted_at is not None,
         "resolved": f.resolved_at is not None}
        for f in found
    ]  # fmt: skip
