"""Reference data every queue request reads — halls, items, which window serves what — cached per process.

The catalogue changes a few times a year and the window set-up a few times a day; the queue reads
them hundreds of times a second. Saving or deleting any of these rows clears the cache at once in
that process (signals, see apps.py) and within WEIMIN_REFERENCE_CACHE_SECONDS in the others.
Cached instances are shared: read them, never modify them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from weimin.core.cache import TimedCache
from weimin.halls.models import Hall, ServiceItem, Window

_halls = TimedCache()
_items = TimedCache()
_topology = TimedCache()
_windows = TimedCache()
_choices = TimedCache()


def _by_code_and_id(rows) -> tuple[dict, dict]:
    # Both lookups built once per load: rebuilt on every call, the one by id cost a visitor's poll 0.1 ms.
    rows = list(rows)
    return {row.code: row for row in rows}, {row.pk: row for row in rows}


def _load_halls() -> tuple[dict[str, Hall], dict[int, Hall]]:
    return _by_code_and_id(Hall.objects.all())


def halls_by_code() -> dict[str, Hall]:
    return _halls.get(_load_halls)[0]


def halls_by_id() -> dict[int, Hall]:
    return _halls.get(_load_halls)[1]


def _all_windows() -> tuple[dict[int, Window], dict[int, int]]:
    def load():
        windows = {w.pk: w for w in Window.objects.all()}
        return windows, {pk: w.number for pk, w in windows.items()}

    return _windows.get(load)


def windows_by_id() -> dict[int, Window]:
    return _all_windows()[0]


def window_numbers() -> dict[int, int]:
    return _all_windows()[1]


def _load_items() -> tuple[dict[str, ServiceItem], dict[int, ServiceItem]]:
    return _by_code_and_id(ServiceItem.objects.select_related("category", "department"))


def items_by_code() -> dict[str, ServiceItem]:
    return _items.get(_load_items)[0]


def items_by_id() -> dict[int, ServiceItem]:
    return _items.get(_load_items)[1]


@dataclass(frozen=True)
class Topology:
    """Which active window of a hall serves which item."""

    windows_of_item: dict[int, frozenset[int]]
    items_of_window: dict[int, frozenset[int]]
    _sharing: dict[int, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def items_sharing_windows_with(self, item_id: int) -> frozenset[int]:
        """Items whose tickets compete with this item's for the same clerks (one set per item and load: a
        visitor's every poll asks, and the set is the key of the item's place list in the queue snapshot)."""
        found = self._sharing.get(item_id)
        if found is None:
            found = self._sharing[item_id] = frozenset(
                i for w in self.windows_of_item.get(item_id, ()) for i in self.items_of_window[w]
            )
        return found


def topology(hall_id: int) -> Topology:
    def load() -> Topology:
        windows, items = defaultdict(set), defaultdict(set)
        pairs = Window.items.through.objects.filter(window__hall_id=hall_id, window__active=True)
        for window_id, item_id in pairs.values_list("window_id", "serviceitem_id"):
            windows[item_id].add(window_id)
            items[window_id].add(item_id)
        return Topology({k: frozenset(v) for k, v in windows.items()}, {k: frozenset(v) for k, v in items.items()})

    return _topology.get(load, key=hall_id)


@dataclass(frozen=True)
class TransferChoices:
    """What a hall's console offers to transfer a visitor to (its transfer form): ``Hall.service_items`` from
    the reference data (the active items an active window of the hall serves, in the same order) and its
    active windows by number; ``shown``, a digest of what the form shows of them, for the console's tag (the
    console is refreshed every few seconds: built once per load)."""

    items: tuple[ServiceItem, ...]
    windows: tuple[Window, ...]
    shown: str


def transfer_choices(hall_id: int) -> TransferChoices:
    def load() -> TransferChoices:
        items = items_by_id()
        served = (items[pk] for pk in topology(hall_id).windows_of_item if pk in items)
        chosen = tuple(sorted((i for i in served if i.active), key=lambda i: (i.category.ticket_prefix, i.code)))
        windows = tuple(
            sorted((w for w in windows_by_id().values() if w.hall_id == hall_id and w.active), key=lambda w: w.number)
        )
        shown = [(i.code, i.name, i.category.ticket_prefix) for i in chosen]
        shown += [(w.pk, w.number, w.label) for w in windows]
        return TransferChoices(chosen, windows, hashlib.sha256(repr(shown).encode()).hexdigest()[:16])

    return _choices.get(load, key=hall_id)


def forget_reference_data(**kwargs) -> None:
    for cache in (_halls, _items, _topology, _windows, _choices):
        cache.clear()
