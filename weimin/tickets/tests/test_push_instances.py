"""Scale-out (issue 15): two `weimin serve` instances on one PostgreSQL. A call made through instance A
reaches a server-sent event client of instance B — through PostgreSQL's NOTIFY, not by B polling —, and
with both instances calling at once no ticket is called twice and every client hears of every call."""

import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from weimin.accounts.actions import issue_token
from weimin.core import clock
from weimin.testing.servers import free_port, wait_for
from weimin.tickets import actions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY: PostgreSQL only"),
]


def serve(port: int, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1",
               "--threads", "2"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def follow(url: str, frames: queue.Queue) -> None:
    """Every line of the stream at ``url``, as it comes."""
    with urllib.request.urlopen(url, timeout=20) as stream:
        for line in stream:
            frames.put(line.decode().rstrip("\n"))


def open_stream(port: int, hall) -> queue.Queue:
    """A display's stream of the instance at ``port``, once it has told the version it knows."""
    frames: queue.Queue = queue.Queue()
    url = f"http://127.0.0.1:{port}/halls/{hall.code}/events?for=display"
    threading.Thread(target=follow, args=(url, frames), daemon=True).start()
    assert frames.get(timeout=10) == ": listening"  # the instance hears PostgreSQL's notices
    while not frames.get(timeout=10).startswith("data: "):
        pass
    return frames


def calls_told(frames: queue.Queue, count: int) -> dict[str, int]:
    """Ticket number → window of the next ``count`` calls the stream tells."""
    told = {}
    while len(told) < count:
        line = frames.get(timeout=5)
        if line.startswith("data: ") and (news := json.loads(line.removeprefix("data: ")))["kind"] == "called":
            told[news["number"]] = news["window"]
    return told


def post(port: int, path: str, token: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST",
                                     headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_calls_through_either_instance_reach_the_streams_of_both(hall, item, window, clerk, make_clerk, tmp_path):
    from weimin.halls.models import Window

    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    tokens = {5: issue_token(clerk), 6: issue_token(make_clerk("li", other))}
    issued = [actions.issue_ticket(hall, item, clock.now()).ticket.number for _ in range(3)]
    database = connection.settings_dict  # the test database: both instances see what the test wrote
    user = f"{database['USER']}:{database['PASSWORD'] or ''}"
    url = f"postgres://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update({"DATABASE_URL": url, "SECRET_KEY": settings.SECRET_KEY, "WEIMIN_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "weimin.settings", "WEIMIN_ALLOW_CLOCK": "1",
                "WEIMIN_CLOCK": "2017-12-08T18:30", "CONN_MAX_AGE": "0"})  # fmt: skip
    a_port, b_port = free_port(), free_port()
    a, b = serve(a_port, env), serve(b_port, env)
    try:
        wait_for(f"http://127.0.0.1:{a_port}/api/halls", a)
        wait_for(f"http://127.0.0.1:{b_port}/api/halls", b)
        on_a, on_b = open_stream(a_port, hall), open_stream(b_port, hall)

        # A call through A reaches B's client, told by PostgreSQL's NOTIFY.
        called_at = time.monotonic()
        first = post(a_port, f"/api/windows/{window.pk}/call-next", tokens[5])
        assert calls_told(on_b, 1) == {first["number"]: 5}
        latency = time.monotonic() - called_at
        print(f"\ncall through A → B's stream: {latency * 1000:.0f} ms")
        assert latency < 1.0
        assert calls_told(on_a, 1) == {first["number"]: 5}
        post(a_port, f"/api/tickets/{first['id']}/complete", tokens[5])

        # Both instances calling at once: a different ticket each, every client told of both.
        answers: dict[int, dict] = {}

        def call(number: int, port: int, window_id: int) -> None:
            answers[number] = post(port, f"/api/windows/{window_id}/call-next", tokens[number])

        callers = [threading.Thread(target=call, args=(5, a_port, window.pk)),
                   threading.Thread(target=call, args=(6, b_port, other.pk))]  # fmt: skip
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=15)
        called = {answers[5]["number"]: 5, answers[6]["number"]: 6}
        assert sorted(called) == sorted(issued[1:]) and first["number"] == issued[0]  # none twice, none lost
        assert calls_told(on_a, 2) == called
        assert calls_told(on_b, 2) == called
    finally:
        for server in (a, b):
            server.terminate()  # the workers end their streams at once (gunicorn_conf.post_worker_init)
        for server in (a, b):
            server.communicate(timeout=20)
