"""Database choices for the enumerations that pure rule modules (no Django) define."""

import enum

from django.db import models


def labelled_choices(name: str, labels: dict[enum.StrEnum, str]) -> type[models.TextChoices]:
    """TextChoices with the enum's values and these labels; a member without a label is an error."""
    members = list(type(next(iter(labels))))
    missing = [m for m in members if m not in labels]
    if missing:
        raise ValueError(f"{name}: no label for {missing}")
    return models.TextChoices(name, [(m.name, (m.value, labels[m])) for m in members])
