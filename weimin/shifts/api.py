from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from weimin.accounts.auth import BearerToken
from weimin.accounts.permissions import Action, halls_where
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.core.text import Id
from weimin.halls.lookups import window_or_404
from weimin.shifts import actions, queries
from weimin.shifts.models import Duty, Handover
from weimin.shifts.schemas import DutyOut, HandoverOut, SignOutIn

router = Router(tags=["shifts"])
staff = BearerToken()


def duty_out(duty: Duty) -> dict:
    return {
        "window": duty.window_id, "number": duty.window.number, "user": duty.user.get_username(),
        "started_at": duty.started_at, "ended_at": duty.ended_at,
    }  # fmt: skip


def handover_out(handover: Handover) -> dict:
    return {
        "id": handover.pk, "window": handover.window.number, "from_user": handover.from_user.get_username(),
        "successor": handover.successor.get_username() if handover.successor else None,
        "reason": handover.reason, "created_at": handover.created_at,
        "acknowledged": handover.acknowledged_at is not None,
        "items": [{"kind": i.kind, "id": i.object_id, "label": i.label, "to_hall": i.to_hall}
                  for i in handover.items.all()],
    }  # fmt: skip


def signed_out_to(body: bytes) -> SignOutIn:
    """The optional body: empty, {"successor": username} or {"to_hall": true}."""
    if not body.strip():
        return SignOutIn()
    try:
        return SignOutIn.model_validate_json(body)
    except ValueError:
        raise InvalidInput(_('Send {"successor": "username"} or nothing.'), field="successor") from None


@router.post("/windows/{window_id}/sign-in", response=DutyOut, auth=staff)
def sign_in(request, window_id: Id()):
    """The token's staff member takes the window."""
    return duty_out(actions.sign_in(request.auth, window_or_404(window_id), clock.now()))


@router.post("/windows/{window_id}/sign-out", response=HandoverOut | DutyOut, auth=staff)
def sign_out(request, window_id: Id()):
    """Leave the window. Optional JSON body `{"successor": username}` or `{"to_hall": true}`. Answers
    the handover when anything was in hand (to that colleague, the one weimin proposes, or the hall),
    otherwise the ended duty."""
    window = window_or_404(window_id)
    body = signed_out_to(request.body) if request.content_type == "application/json" else SignOutIn()
    successor = None
    if body.successor:
        successor = get_user_model().objects.filter(username=body.successor, is_active=True).first()
        if successor is None:
            raise InvalidInput(_("No staff member %(name)s.") % {"name": body.successor}, field="successor")
    left = actions.leave_window(request.auth, window, clock.now(), successor=successor, to_hall=body.to_hall)
    return handover_out(left.handover) if left.handover is not None else duty_out(left.duty)


@router.post("/handovers/{handover_id}/acknowledge", response=HandoverOut, auth=staff)
def acknowledge(request, handover_id: Id()):
    """The successor confirms taking over."""
    handover = Handover.objects.filter(pk=handover_id).first()
    if handover is None:
        raise Http404(_("No handover %(id)s.") % {"id": handover_id})
    return handover_out(actions.acknowledge(request.auth, handover, clock.now()))


@router.get("/handovers", response=list[HandoverOut], auth=staff)
def handovers(request, state: Literal["open", "all"] = "open"):
    """Handovers at the halls the token's user manages (all halls for the district office)."""
    found = Handover.objects.select_related("window", "from_user", "successor").prefetch_related("items")
    found = found.filter(hall__in=halls_where(request.auth, Action.HALL_EVENING))
    if state == "open":  # awaiting the successor's acknowledgement, or with an item the hall has not taken
        halls = halls_where(request.auth, Action.HALL_EVENING)
        with_hall_items = [h.pk for hall in halls for h, _items in queries.open_hall_handovers(hall)]
        found = found.filter(Q(successor__isnull=False, acknowledged_at__isnull=True) | Q(pk__in=with_hall_items))
    return [handover_out(h) for h in found[:200]]
