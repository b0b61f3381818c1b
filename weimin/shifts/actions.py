"""Signing in to and out of a window."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from weimin.accounts.auth import can_act_at
from weimin.core.errors import NotPermitted, Refused
from weimin.halls.models import Window
from weimin.shifts.models import Duty
from weimin.tickets.actions import release_window
from weimin.tickets.queue import ticket_at_window


@transaction.atomic
def sign_in(user, window: Window, now: datetime, *, simulated: bool = False) -> Duty:
    """Take the window. A simulated demo clerk yields it; a person holding it does not."""
    if not can_act_at(user, window.hall):
        raise NotPermitted(_("You do not work at %(hall)s.") % {"hall": window.hall}, field="window")
    if not window.active:
        raise Refused(_("Window %(n)s is out of service.") % {"n": window.number}, field="window")
    mine = Duty.objects.open().select_for_update().filter(user=user).first()
    if mine is not None:
        if mine.window_id == window.pk:
            return mine
        raise Refused(
            _("You are signed in at window %(n)s: sign out there first.") % {"n": mine.window.number}, field="window"
        )
    holder = Duty.objects.open().select_for_update().filter(window=window).first()
    if holder is not None:
        if not (holder.simulated and not simulated):
            raise Refused(
                _("Window %(n)s is held by %(who)s.") % {"n": window.number, "who": holder.user.get_username()},
                field="window",
            )
        release_window(holder, now)  # the simulated clerk finishes what it holds
        end_duty(holder, now)
    return Duty.objects.create(window=window, user=user, started_at=now, simulated=simulated)


@transaction.atomic
def sign_out(user, window: Window, now: datetime) -> Duty:
    duty = Duty.objects.open().select_for_update().filter(user=user, window=window).first()
    if duty is None:
        raise Refused(_("You are not signed in at window %(n)s.") % {"n": window.number}, field="window")
    in_hand = ticket_at_window(window)
    if in_hand is not None:
        raise Refused(
            _("Ticket %(number)s is still at this window: complete it, mark it no-show or transfer it first.")
            % {"number": in_hand.number},
            field="window",
        )
    end_duty(duty, now)
    return duty


def end_duty(duty: Duty, now: datetime) -> None:
    duty.ended_at = now
    duty.save(update_fields=["ended_at"])


def duty_of(user) -> Duty | None:
    return Duty.objects.open().select_related("window__hall").filter(user=user).first()
