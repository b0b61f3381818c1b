"""Scale-out (issue 15): two `weimin serve` instances on one PostgreSQL. A call made through instance A
reaches a server-sent event client of instance B — through PostgreSQL's NOTIFY, not by B polling —, and
with both instances calling at once no ticket is called twice and every client hears of every call.
Then the same behind the shipped load balancer (deploy/haproxy.cfg, docs/scaling.md): the TVs' streams
spread over both instances, unbuffered, and every one hears a call made through the balancer."""

import csv
import grp
import json
import os
import pwd
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from weimin.accounts.actions import issue_token
from weimin.core import clock
from weimin.core.management.commands.serve import STOP_SECONDS
from weimin.testing.servers import free_port, wait_for
from weimin.tickets import actions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY: PostgreSQL only"),
]

HAPROXY_CONFIG = Path(settings.BASE_DIR).parent / "deploy" / "haproxy.cfg"


def serve(port: int, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1",
               "--threads", "2"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def instance_env(tmp_path) -> dict:
    """An instance's environment: the test database (it sees what the test wrote), as a deployment runs them."""
    database = connection.settings_dict
    user = f"{database['USER']}:{database['PASSWORD'] or ''}"
    url = f"postgres://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update({"DATABASE_URL": url, "SECRET_KEY": settings.SECRET_KEY, "WEIMIN_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "weimin.settings", "WEIMIN_ALLOW_CLOCK": "1",
                "WEIMIN_CLOCK": "2017-12-08T18:30", "CONN_MAX_AGE": "0", "WEIMIN_TRUSTED_PROXIES": "1"})  # fmt: skip
    return env


@contextmanager
def instances(tmp_path, count: int = 2) -> Iterator[list[int]]:
    """``count`` instances on the test database, behind a proxy on their host; their ports once each answers."""
    env = instance_env(tmp_path)
    ports = [free_port() for _ in range(count)]
    servers = [serve(port, env) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_for(f"http://127.0.0.1:{port}/api/halls", server)
        yield ports
    finally:
        for server in servers:
            server.terminate()  # the workers end their streams at once (core/serving.py)
        for server in servers:
            server.communicate(timeout=20)


def follow(url: str, frames: queue.Queue) -> None:
    """Every line of the stream at ``url``, as it comes; None when it ends."""
    with urllib.request.urlopen(url, timeout=20) as stream:
        for line in stream:
            frames.put(line.decode().rstrip("\n"))
    frames.put(None)


def open_stream(port: int, hall) -> queue.Queue:
    """A display's stream of the server at ``port``, once it has told the version it knows."""
    frames: queue.Queue = queue.Queue()
    url = f"http://127.0.0.1:{port}/halls/{hall.code}/events?for=display"
    threading.Thread(target=follow, args=(url, frames), daemon=True).start()
    assert frames.get(timeout=10) == ": listening"  # the instance hears PostgreSQL's notices
    while not frames.get(timeout=10).startswith("data: "):
        pass
    return frames


def test_a_stopped_instance_ends_its_streams_at_once(hall, tmp_path):
    """Told to stop (a restart, a deploy), a worker ends its live streams at once: their browsers reconnect
    to another instance, and the worker exits instead of being killed STOP_SECONDS later (core/serving.py)."""
    port = free_port()
    server = serve(port, instance_env(tmp_path))
    try:
        wait_for(f"http://127.0.0.1:{port}/api/halls", server)
        frames = open_stream(port, hall)
        started = time.monotonic()
        server.terminate()
        server.communicate(timeout=30)
        assert time.monotonic() - started < STOP_SECONDS / 2
        while frames.get(timeout=5) is not None:  # the stream was ended, not left hanging (queue.Empty)
            pass
    finally:
        if server.poll() is None:
            server.kill()


def test_a_workers_streams_wait_on_its_event_loop_not_on_a_thread_each(hall, item, window, clerk, tmp_path):
    """`weimin serve` sends its streams from each worker's event loop (core/serving.py): 120 screens hold no
    thread of the worker, and a call reaches every one of them."""
    actions.issue_ticket(hall, item, clock.now())
    token = issue_token(clerk)
    port = free_port()
    server = serve(port, instance_env(tmp_path))
    lines = []
    try:
        wait_for(f"http://127.0.0.1:{port}/api/halls", server)
        (worker,) = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        threads_before = len(os.listdir(f"/proc/{worker}/task"))
        for _ in range(120):
            line = socket.create_connection(("127.0.0.1", port), timeout=10)
            line.sendall(
                f"GET /halls/{hall.code}/events?for=display HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            )
            lines.append(line.makefile("rb"))
        for stream in lines:
            while not stream.readline().startswith(b"data: "):  # the version it knows: the stream is open
                pass
        threads = len(os.listdir(f"/proc/{worker}/task"))
        assert threads <= threads_before + 2, (threads_before, threads)
        called = post(port, f"/api/windows/{window.pk}/call-next", token)
        for stream in lines:
            while not (line := stream.readline()).startswith(b"data: ") or b'"called"' not in line:
                pass
            assert json.loads(line.removeprefix(b"data: "))["number"] == called["number"]
    finally:
        for stream in lines:
            stream.close()
        server.terminate()
        server.communicate(timeout=30)


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


def two_clerks(window, clerk, make_clerk, item) -> dict[int, tuple[int, str]]:
    """Window number → (window id, its signed-in clerk's API token): window 5 and a second one, 6."""
    from weimin.halls.models import Window

    other = Window.objects.create(hall=window.hall, number=6)
    other.items.add(item)
    return {5: (window.pk, issue_token(clerk)), 6: (other.pk, issue_token(make_clerk("li", other)))}


def call_at_once(calls: dict[int, tuple[int, int, str]]) -> dict[str, int]:
    """Window number → (port, window id, token): each calls its next ticket at the same moment; the
    ticket number each got → its window number."""
    answers: dict[int, dict] = {}

    def call(number: int) -> None:
        port, window_id, token = calls[number]
        answers[number] = post(port, f"/api/windows/{window_id}/call-next", token)

    callers = [threading.Thread(target=call, args=(number,)) for number in calls]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(timeout=15)
    return {answers[number]["number"]: number for number in calls}


def test_calls_through_either_instance_reach_the_streams_of_both(hall, item, window, clerk, make_clerk, tmp_path):
    clerks = two_clerks(window, clerk, make_clerk, item)
    issued = [actions.issue_ticket(hall, item, clock.now()).ticket.number for _ in range(3)]
    with instances(tmp_path) as (a_port, b_port):
        on_a, on_b = open_stream(a_port, hall), open_stream(b_port, hall)

        # A call through A reaches B's client, told by PostgreSQL's NOTIFY.
        called_at = time.monotonic()
        first = post(a_port, f"/api/windows/{window.pk}/call-next", clerks[5][1])
        assert calls_told(on_b, 1) == {first["number"]: 5}
        latency = time.monotonic() - called_at
        print(f"\ncall through A → B's stream: {latency * 1000:.0f} ms")
        assert latency < 1.0
        assert calls_told(on_a, 1) == {first["number"]: 5}
        post(a_port, f"/api/tickets/{first['id']}/complete", clerks[5][1])

        # Both instances calling at once: a different ticket each, every client told of both.
        called = call_at_once({5: (a_port, *clerks[5]), 6: (b_port, *clerks[6])})
        assert sorted(called) == sorted(issued[1:]) and first["number"] == issued[0]  # none twice, none lost
        assert calls_told(on_a, 2) == called
        assert calls_told(on_b, 2) == called


# --- behind the load balancer ---

TICKETS_PER_ADDRESS = settings.WEIMIN_TICKETS_PER_ADDRESS_PER_HOUR


def take_ticket(port: int, hall, item, forged: str) -> int:
    """The status of an anonymous visitor's ``POST /api/halls/<code>/tickets`` claiming to be ``forged``."""
    headers = {"Content-Type": "application/json", "X-Forwarded-For": forged}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/halls/{hall.code}/tickets", method="POST",
                                     data=json.dumps({"item": item.code}).encode(), headers=headers)  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def admin(socket_path: Path, command: str) -> str:
    """HAProxy's answer to ``command`` on its admin socket."""
    with socket.socket(socket.AF_UNIX) as admin_socket:
        admin_socket.connect(str(socket_path))
        admin_socket.sendall(f"{command}\n".encode())
        return b"".join(iter(lambda: admin_socket.recv(65536), b"")).decode()


def servers(socket_path: Path) -> dict[str, dict]:
    """The balancer's instances (app1, app2) by name: their ``status`` and ``scur`` (open sessions)."""
    rows = csv.DictReader(admin(socket_path, "show stat").removeprefix("# ").splitlines())
    return {row["svname"]: row for row in rows if row["pxname"] == "weimin_app" and row["svname"].startswith("app")}


@contextmanager
def load_balancer(app_ports: list[int], tmp_path) -> Iterator[tuple[int, Path, list[str]]]:
    """HAProxy with the shipped deploy/haproxy.cfg, its ``${…}`` filled in from the environment as an
    operator does (running as whoever runs the test): its port, its admin socket, and the lines of its
    output (the access log) as they come."""
    binary = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/local/sbin")
    if binary is None:
        pytest.skip("HAProxy is not installed (apt-get install haproxy; .ci/run installs it)")
    port, socket_path, log = free_port(), tmp_path / "lb.sock", []
    env = {**os.environ, "WEIMIN_LB_BIND": f"127.0.0.1:{port}", "WEIMIN_APP_1": f"127.0.0.1:{app_ports[0]}",
           "WEIMIN_APP_2": f"127.0.0.1:{app_ports[1]}", "WEIMIN_HOST": "127.0.0.1",
           "WEIMIN_LB_SOCKET": str(socket_path), "WEIMIN_LB_LOG": "stdout",
           "WEIMIN_LB_USER": pwd.getpwuid(os.getuid()).pw_name,
           "WEIMIN_LB_GROUP": grp.getgrgid(os.getgid()).gr_name}  # fmt: skip
    balancer = subprocess.Popen([binary, "-db", "-f", str(HAPROXY_CONFIG)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)  # fmt: skip
    reader = threading.Thread(target=lambda: log.extend(balancer.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 10
        while not (socket_path.exists() and all(s["status"] == "UP" for s in servers(socket_path).values())):
            assert balancer.poll() is None, "".join(log)
            assert time.monotonic() < deadline, "the instances were not UP behind the balancer within 10 s"
            time.sleep(0.1)
        yield port, socket_path, log
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)
        reader.join(timeout=10)


def test_behind_the_load_balancer_every_tv_hears_a_call_from_either_instance(
    hall, item, window, clerk, make_clerk, tmp_path
):
    clerks = two_clerks(window, clerk, make_clerk, item)
    issued = [actions.issue_ticket(hall, item, clock.now()).ticket.number for _ in range(3)]
    with instances(tmp_path) as app_ports, load_balancer(app_ports, tmp_path) as (lb_port, socket_path, log):
        # Four TVs follow the hall through the balancer. Each stream's first frames arrive while it is
        # open (it lasts WEIMIN_PUSH_STREAM_SECONDS, 300 s): the proxy passes events on, unbuffered.
        tvs = [open_stream(lb_port, hall) for _ in range(4)]
        # Round robin put them on both instances: each holds two of the open sessions.
        assert {name: int(row["scur"]) for name, row in servers(socket_path).items()} == {"app1": 2, "app2": 2}

        # A call through the balancer reaches every TV, whichever instance it is on, within 1 s.
        called_at = time.monotonic()
        first = post(lb_port, f"/api/windows/{window.pk}/call-next", clerks[5][1])
        assert all(calls_told(tv, 1) == {first["number"]: 5} for tv in tvs)
        latency = time.monotonic() - called_at
        print(f"\ncall through the balancer → all 4 TVs: {latency * 1000:.0f} ms")
        assert latency < 1.0
        post(lb_port, f"/api/tickets/{first['id']}/complete", clerks[5][1])

        # Two clerks calling at once through the balancer: a different ticket each, every TV told of both.
        called = call_at_once({number: (lb_port, *clerks[number]) for number in (5, 6)})
        assert sorted(called) == sorted(issued[1:]) and first["number"] == issued[0]
        assert all(calls_told(tv, 2) == called for tv in tvs)

        # The client's address is the one the balancer saw, whatever X-Forwarded-For the client forges: the
        # per-address limit on numbers holds (WEIMIN_TRUSTED_PROXIES=1, docs/security.md).
        answers = [take_ticket(lb_port, hall, item, forged=f"10.0.0.{n}") for n in range(TICKETS_PER_ADDRESS + 1)]
        assert answers == [201] * TICKETS_PER_ADDRESS + [429]

        # The balancer's access log never keeps a citizen's secret link (docs/security.md).
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{lb_port}/t/secret-of-a-visitor/", timeout=10)
        deadline = time.monotonic() + 5  # the line is written once the answer has gone
        while not any('"/t/-"' in line for line in log) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert any('"/t/-"' in line for line in log) and not any("secret-of-a-visitor" in line for line in log)
