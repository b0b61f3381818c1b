"""A small per-process cache for reference data read on every request (calendars, opening hours).

Entries live for a setting's number of seconds (WEIMIN_REFERENCE_CACHE_SECONDS unless told otherwise);
saving or deleting the underlying rows clears the cache in the process that did it at once (signals),
so another process sees a change within that time.

An entry that must be loaded again is loaded by one thread of the process; the others wanting it meanwhile
wait for that load instead of repeating it (a hall's queue snapshot, read by every visitor's phone at once
after each call).
"""

import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings

MISSING = object()


class TimedCache:
    def __init__(self, ttl_setting: str = "WEIMIN_REFERENCE_CACHE_SECONDS") -> None:
        self.ttl_setting = ttl_setting
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._unlocked()
        os.register_at_fork(after_in_child=self._unlocked)

    def _unlocked(self) -> None:
        # Fresh locks: a forked child has none of its parent's threads, and a lock one held at the fork (a load
        # under way) would stay held for ever. The entries loaded are kept.
        self._lock = threading.Lock()
        self._loaders: dict[Hashable, threading.Lock] = {}

    def get(
        self,
        load: Callable[[], Any],
        key: Hashable = None,
        *,
        usable: Callable[[Any], bool] | None = None,
        update: Callable[[Any], Any] | None = None,
        ttl: float | None = None,
    ) -> Any:
        """The entry for ``key``, loaded by ``load`` when missing, expired or not ``usable``. ``update``, given
        the entry held when it is only not ``usable``, returns it brought up to date, or None to have it
        loaded: the updated entry keeps the time of its load, so it still expires (and is loaded afresh).
        ``ttl``: this reader's seconds instead of the setting's (0 or less: nothing is kept)."""
        ttl = getattr(settings, self.ttl_setting) if ttl is None else ttl
        value = self._fresh(key, ttl, usable)
        if value is not MISSING:
            return value
        with self._loader(key):
            value = self._fresh(key, ttl, usable)  # loaded by another thread while this one waited
            if value is not MISSING:
                return value
            loaded_at, held = self._values.get(key, (0.0, MISSING))
            if (
                update is None
                or held is MISSING
                or self._fresh(key, ttl, None) is MISSING
                or (value := update(held)) is None
            ):
                loaded_at, value = time.monotonic(), load()
            if ttl > 0:
                with self._lock:
                    self._values[key] = (loaded_at, value)
        return value

    def _fresh(self, key: Hashable, ttl: float, usable) -> Any:
        stored_at, value = self._values.get(key, (0.0, MISSING))
        if value is MISSING or time.monotonic() - stored_at >= ttl or (usable is not None and not usable(value)):
            return MISSING
        return value

    def _loader(self, key: Hashable) -> threading.Lock:
        with self._lock:
            return self._loaders.setdefault(key, threading.Lock())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
