"""Enrolled devices: a hall's kiosks and rating pads, recognised by the secret in their cookie.

One browser may carry the secrets of several devices (a demo laptop acting as kiosk and pad): the
cookie holds up to ``MAX_SECRETS`` of them. Every request looks the secrets up (no cache), so a revoked
device is refused at its next request.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse

from weimin.accounts.choices import DeviceKind
from weimin.accounts.models import Device, hash_token
from weimin.core import clock

COOKIE = "weimin_device"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # a kiosk stays enrolled until revoked
MAX_SECRETS = 8
SEEN_PRECISION = timedelta(minutes=1)


def cookie_secrets(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(COOKIE, "")
    return [part for part in raw.split(".") if part][:MAX_SECRETS]


def recognised(request: HttpRequest, hall, kind: str | None = None, window=None) -> Device | None:
    """The enrolled, unrevoked device of ``hall`` this request comes from (of ``kind``, for ``window``), or None."""
    secrets = cookie_secrets(request)
    if not secrets or hall is None:
        return None
    found = Device.objects.filter(
        hall=hall, secret_hash__in=[hash_token(s) for s in secrets], revoked=False, enrolled_at__isnull=False
    )
    if kind is not None:
        found = found.filter(kind=kind)
    if window is not None:
        found = found.filter(window=window)
    device = found.order_by("pk").first()
    if device is not None:
        now = clock.now()
        if device.last_seen_at is None or now - device.last_seen_at > SEEN_PRECISION:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)  # a minute's precision will do
    return device


def is_pad_for(request: HttpRequest, window) -> bool:
    return recognised(request, window.hall, DeviceKind.PAD, window) is not None


def remember(request: HttpRequest, response: HttpResponse, secret: str) -> HttpResponse:
    """Add ``secret`` to the browser's device cookie: HttpOnly, long-lived, secure over HTTPS."""
    kept = [s for s in cookie_secrets(request) if s != secret][-(MAX_SECRETS - 1) :]
    response.set_cookie(
        COOKIE,
        ".".join([*kept, secret]),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )
    return response
