"""Checking what people type into forms and API bodies, with errors that name the field.

Every typed ID, credit-code and phone number comes through here (or through ``core.identity``'s
parsers, which these call): ``identity.fold_typed`` is the one normalization, so full-width digits
are the same number as ASCII ones and anything else is an InvalidInput naming the field."""

import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.core.errors import InvalidInput
from weimin.core.identity import InvalidIdNumber, ResidentId, fold_typed, parse_resident_id

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,18}[0-9]$")
INVALID_ID = gettext_lazy("Invalid ID number: %(reason)s.")


def resident_id(value: str, today: date, *, field: str = "id_number", message=INVALID_ID) -> ResidentId:
    """The resident ID number, or InvalidInput naming ``field`` and saying what is wrong."""
    try:
        return parse_resident_id(value or "", today=today)
    except InvalidIdNumber as exc:
        raise InvalidInput(message % {"reason": exc}, field=field) from exc


def phone_number(value: str) -> str:
    """A phone number of digits (spaces, hyphens and a leading + allowed), or empty."""
    value = fold_typed(value)
    if value and not PHONE.match(value):
        raise InvalidInput(_("Enter a phone number of digits, e.g. 13800138000."), field="phone")
    return value
