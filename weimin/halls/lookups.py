"""Finding a hall or an item by its public code, with a 404 that names what was not found."""

import copy

from django.http import Http404
from django.utils.translation import gettext as _

from weimin.core.prepared import PreparedQuery
from weimin.halls import reference
from weimin.halls.models import Hall, ServiceItem, Window


def hall_or_404(code: str) -> Hall:
    hall = reference.halls_by_code().get(code)
    if hall is None:
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    return hall


_WINDOW = PreparedQuery(lambda window_id: Window.objects.filter(pk=window_id), window_id=Window._meta.pk)


def window_or_404(window_id: int) -> Window:
    """The window, with its hall as every page of the process knows it (``reference``): asked on every call."""
    found = _WINDOW.objects(window_id=window_id)
    hall = reference.halls_by_id().get(found[0].hall_id) if found else None
    if hall is None:
        raise Http404(_("No window with id %(id)s.") % {"id": window_id})
    found[0].hall = hall
    return found[0]


def known_window_or_404(window_id: int) -> Window:
    """``window_or_404`` as the process's reference data knows the window (its number and hall, up to
    WEIMIN_REFERENCE_CACHE_SECONDS old; one newer than that is read): no query for what a clerk repeats all
    day — a call, the console's panel — which does not depend on the window being in service."""
    known = reference.windows_by_id().get(window_id)
    hall = reference.halls_by_id().get(known.hall_id) if known is not None else None
    if hall is None:
        return window_or_404(window_id)
    window = copy.copy(known)  # the cached instance is shared: the copy gets its hall
    window.hall = hall
    return window


def item_or_404(code: str) -> ServiceItem:
    item = reference.items_by_code().get(code)
    if item is None or not item.active:
        raise Http404(_("No service item with code %(code)s.") % {"code": code})
    return item
