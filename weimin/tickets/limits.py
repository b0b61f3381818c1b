"""Tickets and bookings per client address (docs/security.md "Limits on abuse and enrolled devices").

One count per scope and address, shared by the pages (``page_over_limit``) and the API (the
django-ninja throttles ``TicketsPerAddress`` and ``BookingsPerAddress``), kept in the cache every
process shares (``core.limits``). Signed-in staff and the hall's enrolled kiosks and pads are not
limited per address: a real kiosk issues hundreds of numbers an hour from one address.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

from weimin.accounts import devices
from weimin.accounts.auth import optional_staff
from weimin.core import limits
from weimin.halls import reference

TICKETS = "tickets-per-address"
BOOKINGS = "bookings-per-address"
REMOTE_TICKETS = "remote-tickets-per-address"


def _rate(scope: str) -> str | None:
    if scope == TICKETS:
        return limits.rate(settings.WEIMIN_TICKETS_PER_ADDRESS_PER_HOUR, "h")
    if scope == REMOTE_TICKETS:
        return limits.rate(settings.WEIMIN_REMOTE_TICKETS_PER_ADDRESS_PER_DAY, "d")
    return limits.rate(settings.WEIMIN_BOOKINGS_PER_ADDRESS_PER_DAY, "d")


def _message(scope: str, over: limits.Over) -> str:
    if scope == TICKETS:
        said = _("Too many tickets were taken from your address in the last hour (at most %(n)s).") % {
            "n": settings.WEIMIN_TICKETS_PER_ADDRESS_PER_HOUR
        }
    elif scope == REMOTE_TICKETS:
        said = _("Too many numbers were taken on the phone from your address today (at most %(n)s).") % {
            "n": settings.WEIMIN_REMOTE_TICKETS_PER_ADDRESS_PER_DAY
        }
    else:
        said = _("Too many appointments were booked from your address today (at most %(n)s).") % {
            "n": settings.WEIMIN_BOOKINGS_PER_ADDRESS_PER_DAY
        }
    return f"{said} {limits.wait_message(over)}"


def exempt(request: HttpRequest, hall) -> bool:
    """Signed-in staff (a session or a bearer token) and the hall's enrolled devices."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return True
    if optional_staff(request) is not None:
        return True
    return devices.recognised(request, hall) is not None


def over_limit(request: HttpRequest, hall, scope: str) -> tuple[limits.Over, str] | None:
    """Count this request against the address's limit; (when to try again, the message) once over it."""
    if exempt(request, hall):
        return None
    over = limits.count(scope, limits.client_address(request) or "unknown", _rate(scope))
    return None if over is None else (over, _message(scope, over))


class AddressThrottle(BaseThrottle):
    """django-ninja throttle over the same counts as the pages. A refused request remembers its
    message on the request for the API's 429 handler (weimin/api.py)."""

    scope = ""

    def __init__(self) -> None:
        self._local = threading.local()  # one throttle object serves every thread of the process

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.over = None
        match = getattr(request, "resolver_match", None)
        hall = reference.halls_by_code().get((match.kwargs if match else {}).get("code", ""))
        found = over_limit(request, hall, self.scope)
        if found is None:
            return True
        self._local.over, request.weimin_limit = found[0], found
        return False

    def wait(self) -> float | None:
        over = getattr(self._local, "over", None)
        return over.retry_after if over else None


class TicketsPerAddress(AddressThrottle):
    scope = TICKETS


class BookingsPerAddress(AddressThrottle):
    scope = BOOKINGS


class RemoteTicketsPerAddress(AddressThrottle):
    scope = REMOTE_TICKETS
