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
    assert list(reference.transfer_choices(hall.pk).items) == list(hall.service_items())
    window.active = False
    window.save()
    assert list(reference.transfer_choices(hall.pk).items) == list(hall.service_items()) == []


def test_a_known_window_comes_from_the_reference_data_and_a_newer_one_from_the_table(
    hall, window, django_assert_num_queries
):
    from django.http import Http404

    from weimin.halls.lookups import known_window_or_404
    from weimin.halls.models import Window

    reference.windows_by_id(), reference.halls_by_id()  # loaded, as in a process that has served a request
    with django_assert_num_queries(0):
        known = known_window_or_404(window.pk)
    assert (known.pk, known.number, known.hall) == (window.pk, 5, hall)
    assert known is not reference.windows_by_id()[window.pk]  # the shared instance is not handed out
    newer = Window.objects.bulk_create([Window(hall=hall, number=9)])[0]  # no signal: the cache still holds
    assert known_window_or_404(newer.pk).number == 9
    with pytest.raises(Http404):
        known_window_or_404(newer.pk + 1000)
