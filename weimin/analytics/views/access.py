"""Whose figures a person may see, as the pages answer it: 403 rather than an empty page."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from weimin.analytics import queries
from weimin.core.errors import NotPermitted
from weimin.halls.models import Hall


def hall_or_403(user, code: str) -> Hall:
    """The hall of ``code`` whose figures ``user`` may see; 403 (404 for an unknown code) otherwise."""
    try:
        return queries.hall_for(user, code[:40])
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None


def visible_halls(user, wanted: str = "") -> list[Hall]:
    """The halls whose figures ``user`` may see; 403 for someone who may see none, or when ``wanted`` (a
    page's ``?hall=``) names a hall that is not theirs — an unknown code is left to the page's form."""
    halls = queries.halls_for(user)
    if not halls:
        raise PermissionDenied(_("The figures are for hall managers and the district office."))
    wanted = wanted[:40]
    if wanted and wanted not in {hall.code for hall in halls} and Hall.objects.filter(code=wanted).exists():
        raise PermissionDenied(_("You may not see this hall's figures."))
    return halls
