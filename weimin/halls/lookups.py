"""Finding a hall or an item by its public code, with a 404 that names what was not found."""

from django.http import Http404
from django.utils.translation import gettext as _

from weimin.halls import reference
from weimin.halls.models import Hall, ServiceItem, Window


def hall_or_404(code: str) -> Hall:
    hall = reference.halls_by_code().get(code)
    if hall is None:
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    return hall


def window_or_404(window_id: int) -> Window:
    window = Window.objects.select_related("hall").filter(pk=window_id).first()
    if window is None:
        raise Http404(_("No window with id %(id)s.") % {"id": window_id})
    return window


def item_or_404(code: str) -> ServiceItem:
    item = reference.items_by_code().get(code)
    if item is None or not item.active:
        raise Http404(_("No service item with code %(code)s.") % {"code": code})
    return item
