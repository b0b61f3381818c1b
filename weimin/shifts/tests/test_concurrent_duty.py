"""Issue 9, item 8: one person signing in and out of two windows from several requests at once gets
answers (200, 409), never a 500. The API used to read the duty outside the sign-out's transaction
(AttributeError when another request had ended it), and two simultaneous sign-ins both passed the
"signed in elsewhere?" check and hit the one-window-per-person constraint (IntegrityError)."""

import threading
from collections import Counter

import pytest
from django.db import connections
from django.test import Client

from weimin.accounts.actions import issue_token
from weimin.halls.models import Window
from weimin.shifts.models import Duty

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, ROUNDS = 4, 12


def test_concurrent_sign_in_and_out_of_one_person_never_fails(hall, item, window, make_clerk, freeze):
    freeze("2017-12-08 18:30")
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    clerk = make_clerk("huang")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(clerk)}"}
    paths = [f"/api/windows/{w.pk}/{step}" for w in (window, other) for step in ("sign-in", "sign-out")]
    statuses, start = Counter(), threading.Barrier(THREADS)
    lock = threading.Lock()

    def run(offset: int) -> None:
        client = Client(raise_request_exception=False)
        try:
            start.wait()
            for n in range(ROUNDS):
                response = client.post(paths[(n + offset) % len(paths)], **headers)
                with lock:
                    statuses[response.status_code] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(offset,)) for offset in range(THREADS)]
    connections.close_all()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(statuses.values()) == THREADS * ROUNDS
    assert set(statuses) <= {200, 409}, statuses
    assert Duty.objects.open().filter(user=clerk).count() <= 1
