"""``{% enroll_offer hall "kiosk" %}`` / ``{% enroll_offer hall "pad" window %}``: on the kiosk and pad pages,
a signed-in manager of the hall may enroll the browser they are using (nothing for anyone else, or
when the browser already is that device)."""

from django import template

from weimin.accounts import devices
from weimin.accounts.permissions import Action, may

register = template.Library()


@register.inclusion_tag("accounts/_enroll_offer.html", takes_context=True)
def enroll_offer(context, hall, kind, window=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = (
        request is not None
        and may(user, Action.DEVICE_ENROLL, hall)
        and devices.recognised(request, hall, kind, window) is None
    )
    return {"show": shown, "hall": hall, "kind": kind, "window": window, "request": request,
            "csrf_token": context.get("csrf_token")}  # fmt: skip
