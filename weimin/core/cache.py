"""A small per-process cache for reference data read on every request (calendars, opening hours).

Entries live for a setting's number of seconds (WEIMIN_REFERENCE_CACHE_SECONDS unless told otherwise);
saving or deleting the underlying rows clears the cache in the process that did it at once (signals),
so another process sees a change within that time.
"""

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
        self._lock = threading.Lock()

    def get(self, load: Callable[[], Any], key: Hashable = None) -> Any:
        ttl = getattr(settings, self.ttl_setting)
        stored_at, value = self._values.get(key, (0.0, MISSING))
        if value is not MISSING and time.monotonic() - stored_at < ttl:
            return value
        value = load()
        if ttl > 0:
            with self._lock:
                self._values[key] = (time.monotonic(), value)
        return value

    def discard(self, key: Hashable = None) -> None:
        with self._lock:
            self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
