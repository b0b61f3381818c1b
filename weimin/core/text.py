"""What may arrive as input: text a database can store, numbers and instants within range.

Every API schema declares its inputs with these types (and pages' forms with ``max_length``), so that
bad input is a 422 naming the field instead of a 500 from the database:

- **NUL** (``\\x00``): PostgreSQL refuses it in text ("A string literal cannot contain NUL").
- **Lone surrogates** (``\\ud800``, which JSON's ``"\\ud800"`` carries): no driver can encode them as UTF-8.
- **Length**: PostgreSQL refuses text longer than its column (SQLite stores it silently): each field's
  ``max_length`` is its column's.
- **Range**: an id beyond a 64-bit integer overflows the driver; an instant near year 1 or 9999
  overflows when shifted between time zones.

No Django model import: ``core`` is the bottom of the ladder.
"""

import re
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Row ids (BigAutoField) and counts: a 64-bit signed integer.
MAX_ID = 2**63 - 1
# Dates and instants weimin can reason about: calendars, schedules and appointments are within this.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
FIRST_INSTANT, LAST_INSTANT = datetime(1900, 1, 1), datetime(2999, 12, 31)


def unstorable(value: str) -> bool:
    """Whether ``value`` holds a NUL or a lone surrogate."""
    return UNSTORABLE.search(value) is not None


def storable(value):
    """Checked before pydantic's own str validation, whose message for a lone surrogate is obscure."""
    if isinstance(value, str) and unstorable(value):
        raise ValueError(_("contains a NUL character or an invalid (surrogate) character"))
    return value


def Text(max_length: int, *, min_length: int = 0, **field):  # noqa: N802 — used as a type: name: Text(80)
    """A string of at most ``max_length`` characters (its column's), with no NUL or lone surrogate."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, **field), BeforeValidator(storable)]


def Id(**field):  # noqa: N802
    """A row id: 1 … 2⁶³−1."""
    return Annotated[int, Field(ge=1, le=MAX_ID, **field)]


def instant_in_range(value: datetime) -> bool:
    """Compared as wall time: no time-zone arithmetic, which is what overflows near year 1 or 9999."""
    return FIRST_INSTANT <= value.replace(tzinfo=None) <= LAST_INSTANT


def out_of_range_message() -> str:
    return _("must be between the years %(first)s and %(last)s") % {"first": 1900, "last": 2999}


def instant_validator(value: datetime) -> None:
    """The same check for page forms (a Django validator)."""
    if not instant_in_range(value):
        raise ValidationError(out_of_range_message(), code="out_of_range")


def in_range_instant(value: datetime) -> datetime:
    if not instant_in_range(value):
        raise ValueError(out_of_range_message())
    return value


def Day(**field):  # noqa: N802
    """A date between 1900 and 2999."""
    return Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, **field)]


def Instant(**field):  # noqa: N802
    """A date and time between 1900 and 2999 (far from the ends where time-zone arithmetic overflows)."""
    return Annotated[datetime, Field(**field), AfterValidator(in_range_instant)]
