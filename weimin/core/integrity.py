"""`weimin integrity`: every app may add an ``integrity`` module with ``problems()`` yielding dicts.

Each problem names its check and what is wrong; an empty list means every invariant holds.
"""

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
