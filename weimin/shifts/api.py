from ninja import Router

from weimin.accounts.auth import BearerToken
from weimin.core import clock
from weimin.halls.lookups import window_or_404
from weimin.shifts import actions
from weimin.shifts.models import Duty
from weimin.shifts.schemas import DutyOut

router = Router(tags=["shifts"])


def duty_out(duty: Duty) -> dict:
    return {
        "window": duty.window_id,
        "number": duty.window.number,
        "user": duty.user.get_username(),
        "started_at": duty.started_at,
        "ended_at": duty.ended_at,
    }


@router.post("/windows/{window_id}/sign-in", response=DutyOut, auth=BearerToken())
def sign_in(request, window_id: int):
    """The token's staff member takes the window."""
    return duty_out(actions.sign_in(request.auth, window_or_404(window_id), clock.now()))


@router.post("/windows/{window_id}/sign-out", response=DutyOut, auth=BearerToken())
def sign_out(request, window_id: int):
    return duty_out(actions.sign_out(request.auth, window_or_404(window_id), clock.now()))
