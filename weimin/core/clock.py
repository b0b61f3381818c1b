"""The one clock (时钟) every part of weimin reads "now" from.

Real time by default. A demo or training install may start the clock at another instant
(``WEIMIN_CLOCK=YYYY-MM-DDTHH:MM``, hall-local); it then runs forward at normal speed, so a demo at
midnight can show an open hall. Actions read the clock once and pass that instant down.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CLOCK_ENV = "WEIMIN_CLOCK"
# Real epoch seconds at which the simulated clock read WEIMIN_CLOCK; shared by child processes
# (autoreloader, server workers) so every process shows the same simulated instant.
ANCHOR_ENV = "WEIMIN_CLOCK_ANCHOR"
CLOCK_FORMAT = "%Y-%m-%dT%H:%M"

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def is_simulated() -> bool:
    return _frozen is not None or _offset != timedelta(0)


def parse_clock(value: str) -> datetime:
    """``YYYY-MM-DDTHH:MM`` in the district's local time → aware UTC instant."""
    try:
        naive = datetime.strptime(value.strip(), CLOCK_FORMAT)
    except ValueError:
        raise ImproperlyConfigured(
            f"{CLOCK_ENV} must look like 2017-12-08T18:30 (hall-local YYYY-MM-DDTHH:MM), got {value!r}"
        ) from None
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)


def clock_allowed() -> bool:
    return bool(settings.DEBUG or settings.WEIMIN_ALLOW_CLOCK or os.environ.get("WEIMIN_ALLOW_CLOCK") == "1")


def configure_from_env() -> None:
    """Apply WEIMIN_CLOCK if set; refuse it on a production install."""
    value = os.environ.get(CLOCK_ENV, "").strip()
    if not value:
        return
    if not clock_allowed():
        raise ImproperlyConfigured(
            f"{CLOCK_ENV} is set but this is not a demo or training install: "
            "set DEBUG=1 or WEIMIN_ALLOW_CLOCK=1 to use a simulated clock"
        )
    start = parse_clock(value)
    anchor = os.environ.get(ANCHOR_ENV)
    if anchor is None:
        anchor = repr(time.time())
        os.environ[ANCHOR_ENV] = anchor
    run_from(start, started_at=datetime.fromtimestamp(float(anchor), UTC))


def run_from(start: datetime, *, started_at: datetime | None = None) -> None:
    """Make the clock read ``start`` at real instant ``started_at`` (default: now) and run on."""
    global _offset, _frozen
    _frozen = None
    _offset = start - (started_at or datetime.now(UTC))


def freeze(instant: datetime) -> None:
    """Stop the clock at ``instant`` (tests)."""
    global _frozen
    if instant.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = instant.astimezone(UTC)


def reset() -> None:
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None


@contextmanager
def frozen_at(instant: datetime):
    """Tests: ``with clock.frozen_at(dt): ...`` restores the previous clock afterwards."""
    global _offset, _frozen
    saved = (_offset, _frozen)
    freeze(instant)
    try:
        yield instant.astimezone(UTC)
    finally:
        _offset, _frozen = saved
