"""Counting failed guesses at citizens' secrets (a case's ID number, a booking's code), in the cache
every process shares (settings.CACHES, the database's own table by default).

A guess is checked against several counters at once — the record it aims at and the client address
it comes from — and refused while any of them is full, right or wrong, so guessing costs time that
a person typing their own number never notices. Each counter is a fixed window: the first failure
opens it for ``seconds``; ``limit`` failures within it close the door until it ends.

Record failures outside any transaction that is rolled back afterwards (the cache is a table).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weimin.core.db import serialize_on
from weimin.core.errors import TooManyAttempts


@dataclass(frozen=True)
class Counter:
    scope: str  # what is counted, e.g. "case" or "case-address"
    key: str  # which one: a case number, an address (hashed before it reaches the cache)
    limit: int
    seconds: int

    @property
    def cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.scope}:{self.key}".encode("utf-8", "surrogatepass")).hexdigest()
        return f"weimin:failures:{self.scope}:{digest[:40]}"


def _full_until(counter: Counter, now: datetime) -> datetime | None:
    entry = cache.get(counter.cache_key)
    if entry and entry["count"] >= counter.limit and now < entry["until"]:
        return entry["until"]
    return None


def check(counters: list[Counter], now: datetime) -> None:
    """Raise TooManyAttempts, saying when to try again, while any counter is full."""
    ends = [until for until in (_full_until(c, now) for c in counters) if until is not None]
    if ends:
        until = max(ends)
        raise TooManyAttempts(
            _("Too many failed attempts. Try again after %(time)s.")
            % {"time": f"{timezone.localtime(until):%H:%M}" if until - now < timedelta(hours=20)
               else f"{timezone.localtime(until):%Y-%m-%d %H:%M}"},
            retry_at=until.isoformat(),
        )  # fmt: skip


def fail(counters: list[Counter], now: datetime) -> None:
    """Count one failure on each counter (atomically: concurrent guesses are all counted)."""
    with transaction.atomic():
        for counter in sorted(counters, key=lambda c: c.cache_key):  # one lock order: no deadlock
            serialize_on(counter.cache_key)
            entry = cache.get(counter.cache_key)
            if not entry or now >= entry["until"]:
                entry = {"count": 0, "until": now + timedelta(seconds=counter.seconds)}
            entry["count"] += 1
            cache.set(counter.cache_key, entry, timeout=counter.seconds + 60)


def forget(counters: list[Counter]) -> None:
    """A success: these counters start again (only a record's own, never an address's)."""
    cache.delete_many([c.cache_key for c in counters])


def lookup_counters(kind: str, key: str | None, address: str | None) -> tuple[list[Counter], list[Counter]]:
    """The failure counters of a citizen opening a record (a case, a booking) by its secret: the key
    tried — whether or not such a record exists — in a short window and over a day, and the client
    address (None: a hall's enrolled kiosk, not counted per address). Limits: WEIMIN_LOOKUP_*."""
    minutes = settings.WEIMIN_LOOKUP_FAILURE_MINUTES * 60
    per_key = []
    if key is not None:
        per_key = [
            Counter(kind, key, settings.WEIMIN_LOOKUP_FAILURES_PER_CASE, minutes),
            Counter(f"{kind}-day", key, settings.WEIMIN_LOOKUP_FAILURES_PER_CASE_PER_DAY, 24 * 3600),
        ]
    per_address = []
    if address is not None:
        per_address = [Counter(f"{kind}-address", address, settings.WEIMIN_LOOKUP_FAILURES_PER_ADDRESS, minutes)]
    return per_key, per_address
