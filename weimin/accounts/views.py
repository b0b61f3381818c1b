"""Enrolling a hall's kiosks and rating pads (docs/security.md "Limits on abuse and enrolled devices")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts import actions, devices
from weimin.accounts.choices import DeviceKind
from weimin.accounts.models import Device
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.lookups import hall_or_404


def device_page(device: Device) -> str:
    """Where an enrolled device goes: the hall's kiosk, or the pad of its window."""
    if device.kind == DeviceKind.PAD:
        return reverse("ratings:pad", args=[device.hall.code, device.window.number])
    return reverse("tickets:kiosk", args=[device.hall.code])


def enroll(request, code):
    """The one-time link, opened on the device: a page that says what it enrolls, then a button
    (a GET changes nothing, so a link preview cannot use the link up)."""
    now = clock.now()
    device = actions.device_for_link(code, now)
    if device is None:
        raise Http404(_("This enrollment link is not valid: it was used, has expired or the device was revoked."))
    if request.method == "POST":
        try:
            device, secret = actions.enroll(code, now)
        except DomainError as error:
            raise Http404(error.message) from None
        return devices.remember(request, redirect(device_page(device)), secret)
    return render(request, "accounts/enroll.html", {"device": device})


@require_POST
@login_required
def enroll_here(request, code):
    """A manager signed in on the kiosk or pad enrolls this very browser (offered on those pages)."""
    hall = hall_or_404(code)
    kind = request.POST.get("kind", "")
    window = None
    if kind == DeviceKind.PAD:
        window = hall.windows.filter(number=request.POST.get("window") or 0).first()
    try:
        device, secret = actions.enroll_here(
            request.user, hall, kind, clock.now(), window=window, label=request.POST.get("label", "")[:80]
        )
    except DomainError as error:
        raise Http404(error.message) from None
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = device_page(device)
    return devices.remember(request, redirect(target), secret)
