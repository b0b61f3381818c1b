"""`weimin integrity`: every app may add an ``integrity`` module with ``problems()`` yielding dicts.

Each problem names its check and what is wrong; an empty list means every invariant holds. A problem
marked ``"overdue": True`` is work waiting past its time (a past day not yet closed by `weimin close-day`,
a case left in a hall's pool), not data that breaks a rule: the command lists it and still says ok,
unless ``--strict``.
"""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def all_problems() -> list[dict]:
    problems: list[dict] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.integrity"
        if config.name.startswith("weimin.") and config.name != __package__ and find_spec(module_name):
            problems.extend(import_module(module_name).problems())
    return problems


def replay_problems(check: str, noun: str, records, events: dict, replay) -> Iterator[dict]:
    """Each record's events replayed through its life cycle (``replay``, an app's ``rules.replay``):
    a problem where a step is illegal or the last status is not the record's. ``records`` yields
    (key, name, status); ``events`` maps a key to its events in order."""
    for key, name, status in records:
        try:
            final = replay(events.get(key, []))
        except ValueError as exc:  # IllegalTransition, or an event the life cycle does not know
            yield {"check": check, noun: key, "detail": f"{name}: {exc}"}
            continue
        if final != status:
            yield {
                "check": check,
                noun: key,
                "detail": f"{name}: events lead to {final or 'nothing'}, {noun} says {status}",
            }
