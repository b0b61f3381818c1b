"""Ratings (好差评) and the follow-up of bad ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, authorize
from weimin.cases import queries as case_queries
from weimin.cases.models import Case
from weimin.cases.rules import RATABLE_STATUSES
from weimin.core.errors import InvalidInput, Refused
from weimin.core.inputs import mobile_number
from weimin.ratings.choices import Level, Resolution
from weimin.ratings.models import FollowUp, Rating, working_days_after
from weimin.tickets import queue
from weimin.tickets.actions import announce
from weimin.tickets.models import Ticket
from weimin.tickets.rules import Status


def _level(level) -> int:
    if level not in Level.values:
        raise InvalidInput(_("Choose a rating from 1 (very dissatisfied) to 5 (very satisfied)."), field="level")
    return int(level)


def _create(now: datetime, level: int, comment: str, by_default: bool = False, phone: str = "", **target) -> Rating:
    # A number is asked for only with a bad rating, and kept only for its follow-up's call-back.
    phone = mobile_number(phone) if level <= Level.DISSATISFIED else ""
    try:
        with transaction.atomic():
            rating = Rating.objects.create(level=level, comment=(comment or "").strip()[:500], rated_at=now,
                                           by_default=by_default, **target)  # fmt: skip
    except IntegrityError:
        raise Refused(_("This visit has already been rated."), field="level") from None
    if rating.window is not None:  # the 好差评 pad beside the window stops asking
        announce(rating.hall_id, "rated", window=rating.window.number)
    if rating.bad:
        today = rating.hall.local_date(now)
        FollowUp.objects.create(
            rating=rating,
            contact_phone=phone,
            contact_due=working_days_after(today, settings.WEIMIN_FOLLOW_UP_CONTACT_DAYS, rating.hall),
            resolve_due=working_days_after(today, settings.WEIMIN_FOLLOW_UP_RESOLVE_DAYS, rating.hall),
        )
    return rating


@transaction.atomic
def rate_ticket(ticket: Ticket, now: datetime, *, level, comment: str = "", phone: str = "") -> Rating:
    """The visitor rates the service of a completed ticket, within the rating period; with a bad rating,
    optionally a mobile number for the follow-up's call-back."""
    completed = queue.completion(ticket)
    if ticket.status != Status.COMPLETED or completed is None:
        raise Refused(_("A visit can be rated once it is completed."), field="transition")
    if now - completed.at > timedelta(days=settings.WEIMIN_RATING_PERIOD_DAYS):
        raise Refused(_("The rating period of this visit has ended."), field="transition")
    return _create(now, _level(level), comment, phone=phone, hall=ticket.hall, ticket=ticket,
                   window=completed.window, clerk=completed.actor)  # fmt: skip


@transaction.atomic
def rate_case(case: Case, now: datetime, *, level, comment: str = "", phone: str = "") -> Rating:
    if case.status not in RATABLE_STATUSES:
        raise Refused(_("A case can be rated once it is concluded."), field="transition")
    return _create(now, _level(level), comment, phone=phone, hall=case.hall, case=case, clerk=case.clerk,
                   window=case.window)  # fmt: skip


@transaction.atomic
def apply_default_ratings(now: datetime) -> int:
    """Visits not rated within the period get the default level (Guangdong: 基本满意 after 7 days)."""
    ended = now - timedelta(days=settings.WEIMIN_RATING_PERIOD_DAYS)
    created = 0
    completions = queue.completions_between(ended - timedelta(days=60), ended).filter(ticket__rating__isnull=True)
    for completed in completions:
        _create(now, settings.WEIMIN_RATING_DEFAULT_LEVEL, "", by_default=True, hall=completed.ticket.hall,
                ticket=completed.ticket, window=completed.window, clerk=completed.actor)  # fmt: skip
        created += 1
    for case in case_queries.concluded_before(ended).filter(rating__isnull=True):
        _create(now, settings.WEIMIN_RATING_DEFAULT_LEVEL, "", by_default=True, hall=case.hall, case=case,
                clerk=case.clerk, window=case.window)  # fmt: skip
        created += 1
    return created


def _follow_up_for(user, follow_up: FollowUp) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related("rating__hall").get(pk=follow_up.pk)
    authorize(user, Action.FOLLOW_UP_HANDLE, follow_up.rating.hall)
    return follow_up


@transaction.atomic
def record_contact(user, follow_up: FollowUp, now: datetime) -> FollowUp:
    follow_up = _follow_up_for(user, follow_up)
    follow_up.contacted_at, follow_up.handled_by = follow_up.contacted_at or now, user
    follow_up.save(update_fields=["contacted_at", "handled_by"])
    return follow_up


@transaction.atomic
def resolve(
    user, follow_up: FollowUp, now: datetime, *, resolution: str, note: str, rater_answer: str = ""
) -> FollowUp:
    """Rectified or explained, with what was done and what the rater said to it."""
    follow_up = _follow_up_for(user, follow_up)
    if resolution not in Resolution.values:
        raise InvalidInput(_("Choose rectified or explained."), field="resolution")
    if not (note or "").strip():
        raise InvalidInput(_("Say what was done."), field="note")
    if follow_up.contacted_at is None:
        raise Refused(_("Contact the rater first."), field="transition")
    follow_up.resolution, follow_up.resolution_note = resolution, note.strip()
    follow_up.rater_answer, follow_up.resolved_at, follow_up.handled_by = (rater_answer or "").strip(), now, user
    follow_up.save()
    return follow_up
