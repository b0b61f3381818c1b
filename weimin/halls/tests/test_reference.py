"""The per-process reference data answers as the tables do."""

import pytest

from weimin.halls import reference
from weimin.halls.models import ServiceItem

pytestmark = pytest.mark.django_db


def test_a_halls_items_from_the_reference_data_are_its_service_items(hall, window, item):
    retired = ServiceItem.objects.create(
        code="retired",
        name="停办事项",
        department=item.department,
        category=item.category,
        handling_minutes=10,
        promised_days=5,
        statutory_days=5,
        active=False,
    )
    window.items.add(retired)
    reference.forget_reference_data()
    assert reference.hall_items(hall.pk) == list(hall.service_items())
    window.active = False
    window.save()
    assert reference.hall_items(hall.pk) == list(hall.service_items()) == []
