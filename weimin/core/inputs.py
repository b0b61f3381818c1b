"""Checking what people type into forms and API bodies, with errors that name the field.

Every typed ID, credit-code and phone number comes through here (or through ``core.identity``'s
parsers, which these call): ``identity.fold_typed`` is the one normalization, so full-width digits
are the same number as ASCII ones and anything else is an InvalidInput naming the field."""

import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.core.errors import InvalidInput
from weimin.core.identity import (
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidNumber,
    Problem,
    ResidentId,
    fold_typed,
    parse_resident_id,
)

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,18}[0-9]$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # a mainland mobile number: 11 digits, 13x–19x
INVALID_ID = gettext_lazy("Invalid ID number: %(reason)s.")


def number_problem(exc: InvalidNumber) -> str:
    """What is wrong with a typed ID number or credit code, in the visitor's language (never the right
    check character)."""
    detail = exc.detail
    if exc.problem == Problem.CHARACTERS:
        if isinstance(exc, InvalidCreditCode):
            return _("only digits and capital letters (never I, O, S, V or Z) are allowed, not %(chars)s") % detail
        return _("only the digits 0-9 and a final X are allowed, not %(chars)s") % detail
    return {
        Problem.LENGTH: lambda: _("it must have 18 characters, it has %(length)s") % detail,
        Problem.X_POSITION: lambda: _("only the last character may be an X"),
        Problem.BIRTH_DATE: lambda: _("the birth date in it (%(digits)s) is not a real date") % detail,
        Problem.BIRTH_IMPLAUSIBLE: lambda: _("the birth date in it (%(date)s) is not possible") % detail,
        Problem.AREA_CODE: lambda: _("characters 3 to 8 (%(digits)s) must be digits") % detail,
        Problem.CHECK: lambda: _("the last character does not match the others: a character is mistyped"),
    }[exc.problem]()


def resident_id(value: str, today: date, *, field: str = "id_number", message=INVALID_ID) -> ResidentId:
    """The resident ID number, or InvalidInput naming ``field`` and saying what is wrong."""
    try:
        return parse_resident_id(value or "", today=today)
    except InvalidIdNumber as exc:
        raise InvalidInput(message % {"reason": number_problem(exc)}, field=field) from exc


def phone_number(value: str) -> str:
    """A phone number of digits (spaces, hyphens and a leading + allowed), or empty."""
    value = fold_typed(value)
    if value and not PHONE.match(value):
        raise InvalidInput(_("Enter a phone number of digits, e.g. 13800138000."), field="phone")
    return value


def mobile_number(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number (11 digits; spaces, hyphens and a +86 prefix allowed), or empty."""
    digits = fold_typed(value).replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if digits and not MOBILE.match(digits):
        raise InvalidInput(_("Enter an 11-digit mobile number, e.g. 13800138000."), field=field)
    return digits


def mask_phone(phone: str) -> str:
    """First 3 and last 4 digits (138****8000): enough to tell two numbers apart, wherever one is shown."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
