"""``{% rating_form action ticket %}``: the 好差评 form, for any page that offers a rating (the
visitor's ticket, the pad beside a window) without that page's app importing ratings."""

from django import template
from django.conf import settings

from weimin.ratings.choices import Level

register = template.Library()


@register.inclusion_tag("ratings/_form.html", takes_context=True)
def rating_form(context, action: str, ticket=None):
    """Level first, then an optional comment (and, with a bad level, an optional mobile number for the
    call-back), then one submit button. ``rating`` in the page's context re-fills it after an error."""
    return {
        "action": action,
        "ticket": ticket,
        "levels": Level.choices,
        "rating": context.get("rating") or {},
        "csrf_token": context.get("csrf_token"),
        "contact_days": settings.WEIMIN_FOLLOW_UP_CONTACT_DAYS,
    }
