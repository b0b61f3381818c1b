"""State changes of staff accounts."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from weimin.accounts.choices import DeviceKind
from weimin.accounts.models import ApiToken, Device, hash_token
from weimin.accounts.permissions import Action, may
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotFound, NotPermitted, Refused

TOKEN_PREFIX = "wm_"


@transaction.atomic
def issue_token(user: AbstractBaseUser, label: str = "") -> str:
    """Create an API token for ``user`` and return it; only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:10], label=label, created_at=clock.now())
    return raw


# --- enrolled devices: a hall's kiosks and rating pads (accounts/devices.py recognises them) ---


@dataclass(frozen=True)
class EnrollmentLink:
    device: Device
    code: str  # shown once: the path /devices/enroll/<code>/ opened on the device


def _check_device(user, device: Device) -> None:
    if not may(user, Action.DEVICE_ENROLL, device.hall):
        raise NotPermitted(_("Only a manager of %(hall)s enrolls its devices.") % {"hall": device.hall})
    if device.kind not in DeviceKind.values:
        raise InvalidInput(_("Choose kiosk or rating pad."), field="kind")
    if device.kind == DeviceKind.PAD:
        if device.window_id is None:
            raise InvalidInput(_("A rating pad belongs to a window: choose it."), field="window")
        if device.window.hall_id != device.hall_id:
            raise InvalidInput(_("Window %(n)s is not at this hall.") % {"n": device.window.number}, field="window")
    elif device.window_id is not None:
        raise InvalidInput(_("A kiosk serves the whole hall: leave the window empty."), field="window")


def _new_link(device: Device, now) -> str:
    code = secrets.token_urlsafe(24)
    device.link_hash = hash_token(code)
    device.link_expires_at = now + timedelta(hours=settings.WEIMIN_DEVICE_LINK_HOURS)
    return code


@transaction.atomic
def add_device(user, device: Device, now) -> EnrollmentLink:
    """A manager adds a kiosk or pad of their hall (an unsaved ``device``); the link enrolls it once."""
    _check_device(user, device)
    device.enrolled_by, device.created_at = user, now
    code = _new_link(device, now)
    device.save()
    return EnrollmentLink(device, code)


@transaction.atomic
def new_enrollment_link(user, device: Device, now) -> EnrollmentLink:
    """A fresh one-time link for a device (a kiosk replaced, its cookie lost); the old link stops working.
    The device's present secret keeps working until the new link is opened or the device is revoked."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    _check_device(user, device)
    if device.revoked:
        raise Refused(_("This device is revoked: add a new one."), field="revoked")
    code = _new_link(device, now)
    device.save(update_fields=["link_hash", "link_expires_at"])
    return EnrollmentLink(device, code)


def device_for_link(code: str, now) -> Device | None:
    """The device a still valid enrollment link belongs to."""
    if not code:
        return None
    return (
        Device.objects.select_related("hall", "window")
        .filter(link_hash=hash_token(code), revoked=False, link_expires_at__gt=now)
        .first()
    )


@transaction.atomic
def enroll(code: str, now) -> tuple[Device, str]:
    """The device opens its link: it gets a new secret (for its cookie) and the link is used up."""
    found = device_for_link(code, now)
    if found is None:
        raise NotFound(_("This enrollment link is not valid: it was used, has expired or the device was revoked."))
    device = Device.objects.select_for_update().get(pk=found.pk)
    if device.link_hash != hash_token(code) or device.revoked:  # another request used it meanwhile
        raise NotFound(_("This enrollment link is not valid: it was used, has expired or the device was revoked."))
    secret = secrets.token_urlsafe(32)
    device.secret_hash, device.link_hash, device.link_expires_at = hash_token(secret), "", None
    device.enrolled_at = now
    device.save(update_fields=["secret_hash", "link_hash", "link_expires_at", "enrolled_at"])
    return device, secret


@transaction.atomic
def enroll_here(user, hall, kind: str, now, *, window=None, label: str = "") -> tuple[Device, str]:
    """A manager signed in on the device itself enrolls it in one step (the pages offer it)."""
    link = add_device(user, Device(hall=hall, kind=kind, window=window, label=label), now)
    return enroll(link.code, now)


@transaction.atomic
def revoke_device(user, device: Device, now) -> Device:
    """From the next request on, the device is an anonymous browser again."""
    device = Device.objects.select_for_update().select_related("hall").get(pk=device.pk)
    if not may(user, Action.DEVICE_ENROLL, device.hall):
        raise NotPermitted(_("Only a manager of %(hall)s enrolls its devices.") % {"hall": device.hall})
    device.revoked, device.link_hash, device.link_expires_at = True, "", None
    device.save(update_fields=["revoked", "link_hash", "link_expires_at"])
    return device
