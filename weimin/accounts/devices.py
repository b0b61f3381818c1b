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
from weimin.core.prepared import PreparedQuery

COOKIE = "weimin_device"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # a kiosk stays enrolled until revoked
MAX_SECRETS = 8
SEEN_PRECISION = timedelta(minutes=1)


def cookie_secrets(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(COOKIE, "")
    return [part for part in raw.split(".") if part][:MAX_SECRETS]


_DEVICE = PreparedQuery(
    lambda hall_id, secret_hash: Device.objects.filter(
        hall_id=hall_id, secret_hash=secret_hash, revoked=False, enrolled_at__isnull=False
    ),
    hall_id=Device._meta.get_field("hall"),
    secret_hash=Device._meta.get_field("secret_hash"),
)


def recognised(request: HttpRequest, hall, kind: str | None = None, window=None) -> Device | None:
    """The enrolled, unrevoked device of ``hall`` this request comes from (of ``kind``, for ``window``), or None.
    Every number a kiosk issues asks: a prepared query per secret the cookie holds (one, mostly)."""
    secrets = cookie_secrets(request)
    if not secrets or hall is None:
        return None
    found = [
        device
        for secret in secrets
        for device in _DEVICE.objects(hall_id=hall.pk, secret_hash=hash_token(secret))
        if (kind is None or device.kind == kind) and (window is None or device.window_id == window.pk)
    ]
    device = min(found, key=lambda d: d.pk, default=None)
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
