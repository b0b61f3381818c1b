"""Limits on abuse: requests counted per client address in the cache every process shares.

The counting is django-ratelimit's (fixed windows in ``settings.CACHES["default"]``, the database
cache): pages call ``count`` directly, the API through a django-ninja throttle built on it
(``tickets/limits.py``), so a page and the API share one count. Each count is one transaction holding
a lock on its key (``db.serialize_on``): concurrent requests from many processes never lose a count.
Who is exempt (signed-in staff, a hall's enrolled devices) is decided by the callers, above core.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from weimin.core import clock
from weimin.core.db import serialize_on


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with ``WEIMIN_TRUSTED_PROXIES`` = n proxies in front, the
    address the n-th proxy from the right saw (a client can prepend anything to X-Forwarded-For; only
    what our own proxies appended is believed). Also django-axes' AXES_CLIENT_IP_CALLABLE; None when
    the request has no address (a test client's forced sign-in)."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.WEIMIN_TRUSTED_PROXIES
    if trusted > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-min(trusted, len(forwarded))]
    return remote


@dataclass(frozen=True)
class Over:
    """A request over its limit: how long until the next one is allowed, and when that is."""

    retry_after: int  # seconds
    until: datetime

    def local_time(self) -> str:
        return timezone.localtime(self.until).strftime("%H:%M")


def rate(per: int, period: str) -> str | None:
    """``rate(10, "h")`` → "10/h"; 0 or less means no limit."""
    return f"{per}/{period}" if per > 0 else None


def count(group: str, key: str, limit: str | None) -> Over | None:
    """Count one request of ``key`` (an address, an ID number's hash) in ``group`` against ``limit``
    ("10/h", "3/d"). None while within the limit, else when to try again. The count is atomic across
    processes: one transaction, the key's lock held (PostgreSQL advisory lock, SQLite's write lock)."""
    if not limit:
        return None
    with transaction.atomic():
        serialize_on(f"limit:{group}:{key}")
        usage = get_usage(None, group=group, key=lambda _group, _request: key, rate=limit, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    seconds = max(1, usage["time_left"])
    return Over(retry_after=seconds, until=clock.now() + timedelta(seconds=seconds))


def wait_message(over: Over) -> str:
    minutes = max(1, math.ceil(over.retry_after / 60))
    return _("Try again after %(time)s (in about %(minutes)s minutes).") % {
        "time": over.local_time(),
        "minutes": minutes,
    }


def login_locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the sign-in page says why and for how long."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": settings.WEIMIN_LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "registration/locked_out.html", context, status=429)


# What a sign-in attempt is counted under: the typed username, cut to the longest a user can have.
# Django's login form does not check the username's length, and django-axes stores it in a 255-character
# column: a 5,000-character username was a 500 on PostgreSQL (issue 9, item 8).
LOGIN_USERNAME_LENGTH = 150


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    return username[:LOGIN_USERNAME_LENGTH] if isinstance(username, str) else username
