"""`weimin serve`: the production server answers the API from several processes."""

import gc
import http.client
import json
import logging
import os
import resource
import subprocess
import sys
import time
import urllib.request
import weakref
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from weimin.testing.servers import free_port, wait_for


def sqlite_env(tmp_path) -> dict:
    """A served instance's environment: a SQLite database of its own in ``tmp_path``, migrated."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "WEIMIN_CLOCK")}
    env.update(
        {"SECRET_KEY": "serve-test", "WEIMIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "weimin.settings"}
    )
    subprocess.run([sys.executable, "-m", "weimin.manage", "migrate", "-v", "0"], env=env, check=True)
    return env


def served(port: int, workers: int, env: dict, **options) -> subprocess.Popen:
    command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}", "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **options)


def test_serve_runs_granian_workers_and_answers(tmp_path):
    port = free_port()
    server = served(port, 2, sqlite_env(tmp_path), preexec_fn=_service_managers_file_limit)
    try:
        assert json.loads(wait_for(f"http://127.0.0.1:{port}/api/halls", server)) == []
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/weimin/display.js", timeout=5) as js:
            assert js.status == 200  # static files are served by the app itself (closed networks)
        # A polling screen keeps its connection between polls (the stream threads do not use up the
        # process's kept-alive connections: they did, and every answer closed its connection).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        for _ in range(3):
            connection.request("GET", "/api/halls")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200
            assert answer.getheader("Connection", "").lower() != "close"
        socket = connection.sock
        connection.request("GET", "/api/halls")
        connection.getresponse().read()
        assert connection.sock is socket  # not reopened
        connection.close()
        # A body beyond what any form sends is refused before Django reads it, and not kept in memory.
        from weimin.core.serving import REQUEST_BODY_MAX_BYTES

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("POST", "/api/halls", body=b"x" * (REQUEST_BODY_MAX_BYTES + 1))
        assert connection.getresponse().status == 413
        connection.close()
        # The first worker may answer before the second is ready (each loads Django on its own).
        deadline = time.monotonic() + 10
        while len(workers := subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                            text=True).stdout.split()) < 2 and time.monotonic() < deadline:  # fmt: skip
            time.sleep(0.1)
        assert len(workers) == 2
        # Started under a soft limit of 1,024 open files, a worker may open one for each of its connections.
        for worker in workers:
            limits = Path(f"/proc/{worker}/limits").read_text()
            soft = next(line.split()[3] for line in limits.splitlines() if line.startswith("Max open files"))
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            assert soft == "unlimited" or int(soft) >= min(hard, 5200)
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_a_served_stream_on_sqlite_hears_another_processs_change(tmp_path):
    """Without PostgreSQL's notices, a worker's streams find another process's change by reading the hall's
    counter: the stream waits on the worker's event loop, and the read runs on its helper threads (the loop
    must not wait on the database; core.feed.ChangeFeed.wait_async)."""
    port, env = free_port(), sqlite_env(tmp_path)

    def shell(code: str) -> None:
        subprocess.run([sys.executable, "-m", "weimin.manage", "shell", "-c", code], env=env, check=True)

    shell("from weimin.halls.models import District, Hall; district = District.objects.create(code='d', name='区')\n"
          "Hall.objects.create(district=district, code='h', name='大厅')")  # fmt: skip
    server = served(port, 1, env)
    try:
        wait_for(f"http://127.0.0.1:{port}/api/halls", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/halls/h/events?for=display", timeout=10) as stream:
            assert stream.readline() == b": polling\n"
            assert next_data(stream)  # the version it knows
            shell("from django.db import transaction; from weimin.halls.models import Hall; "
                  "from weimin.tickets.actions import announce\n"
                  "with transaction.atomic(): announce(Hall.objects.get(code='h').pk, 'signed_in')")  # fmt: skip
            started = time.monotonic()
            assert next_data(stream)["kind"] == "resync"  # not heard here: read again
            assert time.monotonic() - started < 3
    finally:
        server.terminate()
        server.communicate(timeout=20)


def next_data(stream) -> dict | None:
    """The next event's data; None when the stream ended."""
    while line := stream.readline():
        if line.startswith(b"data: "):
            return json.loads(line.removeprefix(b"data: "))
    return None


def _service_managers_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, soft), hard))


@pytest.mark.parametrize(("options", "field"), [({"addr": "8000"}, "--addr"), ({"workers": 0}, "--workers")])
def test_serve_refuses_bad_options(options, field):
    with pytest.raises(CommandError, match=field):
        call_command("serve", **options)


def test_a_worker_loads_before_its_first_request_what_that_request_would_load():
    from django.template import engines
    from django.template.loaders.cached import Loader

    from weimin.core import serving

    loader = engines["django"].engine.template_loaders[0]
    if not isinstance(loader, Loader):
        pytest.skip("templates are not cached (DEBUG)")
    loader.reset()
    serving.warm_up()
    assert {"workstation/_panel.html", "tickets/mine.html", "base.html"} <= set(loader.get_template_cache)


class Scope:
    """An RSGI request's scope as granian gives it (its path percent-decoded)."""

    def __init__(self, client="10.0.0.9:5123", headers=(), path="/t/抽/", method="GET"):
        self.proto, self.http_version, self.scheme, self.method = "http", "1.1", "http", method
        self.server, self.client, self.path, self.query_string = "127.0.0.1:8000", client, path, "a=%20b"
        self.headers = Headers(headers)


class Headers:
    def __init__(self, items):
        self._items = list(items)

    def items(self):
        return self._items


def test_a_request_sees_none_of_the_process_environment(monkeypatch):
    """A request's environ is the request's alone: the secret key and the database's password would be in
    every request.META (and in an error report's), and an HTTP_PROXY variable would pass for a request's
    Proxy header (httpoxy)."""
    from weimin.core import serving

    for key, value in {"SECRET_KEY": "s3cret", "DATABASE_URL": "postgres://u:pw@db/x", "HTTP_PROXY": "evil"}.items():
        monkeypatch.setenv(key, value)
    headers = [("host", "h"), ("x-a", "1"), ("x-a", "2"), ("content-length", "3"), ("x_forwarded_for", "1.2.3.4")]
    seen = serving.environ(Scope(headers=headers), b"abc", serving.trusted_proxies("127.0.0.1,::1"))
    assert not {"SECRET_KEY", "DATABASE_URL", "HTTP_PROXY", "PATH"} & set(seen)
    assert seen["HTTP_HOST"] == "h" and seen["REQUEST_METHOD"] == "GET" and seen["HTTP_X_A"] == "1,2"
    assert seen["CONTENT_LENGTH"] == "3" and seen["wsgi.input"].read() == b"abc"
    assert seen["PATH_INFO"] == "/t/抽/".encode().decode("latin-1") and seen["QUERY_STRING"] == "a=%20b"
    assert (seen["REMOTE_ADDR"], seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("10.0.0.9", "127.0.0.1", "8000")
    assert "HTTP_X_FORWARDED_FOR" not in seen  # an underscore's header never passes for a proxy's


@pytest.mark.parametrize(
    ("remote", "proto", "scheme"),
    [
        ("127.0.0.1:4000", "https", "https"),
        ("[::1]:4000", "https", "https"),
        ("10.0.0.9:4000", "https", "http"),
        ("127.0.0.1:4000", "gopher", "http"),
    ],
)
def test_the_scheme_comes_from_x_forwarded_proto_only_from_a_trusted_proxy(remote, proto, scheme):
    from weimin.core import serving

    seen = serving.environ(Scope(client=remote, headers=[("x-forwarded-proto", proto)]), b"",
                           serving.trusted_proxies("127.0.0.1, ::1"))  # fmt: skip
    assert seen["wsgi.url_scheme"] == scheme


@pytest.mark.django_db
def test_a_request_is_let_go_when_its_response_is_closed_without_the_garbage_collector(
    client, clerk, window, item, at_window
):
    """Django's lazy user and messages hold closures over their request, and a page's context over itself:
    a worker's every request would be cyclic garbage, found only by the collector's pauses at the peak
    (serving.LettingGoRequest, templates_backend.LettingGoTemplate)."""
    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    from weimin.core import clock, serving
    from weimin.tickets import actions

    waiting = actions.issue_ticket(window.hall, item, clock.now())
    client.force_login(clerk)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    paths = [
        f"/console/{window.pk}/panel",  # the clerk's: the user and the messages read, a template rendered
        f"/t/{waiting.token}/status",
        f"/halls/{window.hall.code}/display/feed",
        "/no-such-page/",  # every URL pattern tried
    ]

    def served(request_class) -> list[weakref.ref]:
        requests = []

        class Watched(request_class):
            def __init__(self, environ):
                super().__init__(environ)
                requests.append(weakref.ref(self))

        handler, statuses = WSGIHandler(), []
        handler.request_class = Watched
        for path in paths:
            environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie)
            response = handler(environ, lambda status, headers: statuses.append(status[:3]))
            assert b"".join(response)
            response.close()
        assert statuses == ["200", "200", "200", "404"]
        return requests

    gc.collect()
    gc.disable()
    logging.disable(logging.WARNING)  # the test's log capture would keep the 404's record, and its request
    # As Django's test client does: the test's transaction stays open across the requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        kept = served(WSGIRequest)
        assert all(request() is not None for request in kept)  # Django's own: left to the collector
        assert all(request() is None for request in served(serving.LettingGoRequest))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        logging.disable(logging.NOTSET)
        gc.enable()
