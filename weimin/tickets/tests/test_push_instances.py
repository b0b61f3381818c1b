"""Scale-out: two `weimin serve` instances on one PostgreSQL. A call made through instance A reaches a
server-sent event client of instance B — through PostgreSQL's NOTIFY, not by B polling."""

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


def test_a_call_through_instance_a_reaches_a_stream_of_instance_b(hall, item, window, clerk, tmp_path):
    ticket = actions.issue_ticket(hall, item, clock.now()).ticket
    token = issue_token(clerk)
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
        frames: queue.Queue = queue.Queue()
        events = f"http://127.0.0.1:{b_port}/halls/{hall.code}/events?for=display"
        threading.Thread(target=follow, args=(events, frames), daemon=True).start()
        assert frames.get(timeout=10) == ": listening"  # B hears PostgreSQL's notices
        while not frames.get(timeout=10).startswith("data: "):  # the version B knows now
            pass

        call = urllib.request.Request(f"http://127.0.0.1:{a_port}/api/windows/{window.pk}/call-next", method="POST",
                                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        called_at = time.monotonic()
        with urllib.request.urlopen(call, timeout=10) as answer:
            assert json.loads(answer.read())["number"] == ticket.number
        while not (line := frames.get(timeout=5)).startswith("data: "):
            pass
        latency = time.monotonic() - called_at
        print(f"\ncall through A → B's stream: {latency * 1000:.0f} ms")
        told = json.loads(line.removeprefix("data: "))
        assert {k: told[k] for k in ("kind", "number", "window")} == {"kind": "called", "number": ticket.number,
                                                                     "window": window.number}  # fmt: skip
        assert latency < 1.0
    finally:
        for server in (a, b):
            server.terminate()
            server.communicate(timeout=20)
