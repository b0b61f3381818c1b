"""What `weimin serve` runs in each granian worker process: Django's WSGI application behind granian's RSGI
interface, its requests on a pool of threads and its live streams on the worker's event loop.

granian (an HTTP server with a Rust core) reads and writes the sockets without Python. Its RSGI interface
hands each request to the worker's asyncio event loop (``Application``):

- a request is answered by Django on one of ``--threads`` threads (its ORM, middleware and views are
  synchronous), and the answer handed back to granian whole;
- a server-sent event stream (``core.feed.EventStream``) opens in that thread like any view, and is then
  sent from the event loop: between two of its frames it waits on a future of the loop, holding no
  thread. A worker's thousands of screens and phones used to hold a parked thread each, and every call's
  news woke dozens of them at once to fight its requests for the GIL (docs/benchmarks.md, eighteenth
  session).

``ready_worker()`` (called by ``weimin.worker``, the module granian loads in each worker) readies the
worker before its first request:

- ``warm_up()``: what every first request would load on its own — the URLs and the code they import (the
  planner's solver, the analyses' tables), the translations, the templates. Nothing here reads the database.
- each feed's listener (PostgreSQL ``LISTEN``): the worker hears every hall's changes from the start.
- the garbage collector leaves what was imported alone: shorter, rarer pauses while requests are served.
- each request lets go of what it holds once its response is closed (``LettingGoRequest``): freed at once
  by reference counting, not left to the garbage collector's pauses.
- told to stop (a restart, a deploy), the worker ends its live streams at once: their browsers reconnect
  to another worker instead of holding this one until it is killed.

A request's WSGI environ is built from the request alone (never from the process's environment, so neither
``SECRET_KEY`` nor ``DATABASE_URL`` is in a ``request.META``, and a ``HTTP_PROXY`` variable cannot pass for a
request header); its scheme comes from ``X-Forwarded-Proto`` only from the proxies in
``FORWARDED_ALLOW_IPS`` (127.0.0.1 and ::1 unless set).
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from granian.rsgi import ProtocolClosed

from weimin.core.feed import EventStream

logger = logging.getLogger(__name__)

DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1,::1"
# A request's body is read whole before Django sees it: the largest a form sends (a campaign's attachment,
# 10 MiB, in a multipart body) with room to spare. Beyond: 413, nothing read further.
REQUEST_BODY_MAX_BYTES = 64 * 2**20
# Threads for the few database reads of streams on the event loop (a feed polled while its listener is
# down) and for closing ended streams: the two connections of the pool beyond --threads.
STREAM_READ_THREADS = 2


def trusted_proxies(value: str) -> frozenset[str]:
    return frozenset(address.strip() for address in value.split(",") if address.strip())


def environ(scope, body: bytes, proxies: frozenset[str]) -> dict:
    """The WSGI environ (PEP 3333) of an RSGI request: its path percent-decoded (granian decodes it) and
    carried as latin-1, as WSGI servers do; a header sent twice, its values joined by commas; a header whose
    name has an underscore dropped, as Django's own server does (``X_Forwarded_For`` would pass for the
    ``X-Forwarded-For`` a proxy sets)."""
    server, _, server_port = scope.server.rpartition(":")
    client, _, client_port = scope.client.rpartition(":")
    client = client.strip("[]")
    built = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode().decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server.strip("[]"),
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client,
        "REMOTE_PORT": client_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.headers.items():
        if "_" in name:
            continue
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        built[key] = f"{built[key]},{value}" if key in built else value
    if client in proxies and built.get("HTTP_X_FORWARDED_PROTO") in ("http", "https"):
        built["wsgi.url_scheme"] = built["HTTP_X_FORWARDED_PROTO"]
    return built


class _BodyTooLarge(Exception):
    pass


async def _body(protocol) -> bytes:
    chunks, size = [], 0
    async for chunk in protocol:
        size += len(chunk)
        if size > REQUEST_BODY_MAX_BYTES:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class Application:
    """The RSGI application of a `weimin serve` worker (see the module's docstring)."""

    def __init__(self, django_application, threads: int, proxies: frozenset[str]) -> None:
        self._django, self._proxies = django_application, proxies
        self._requests = ThreadPoolExecutor(threads, thread_name_prefix="request")

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.set_default_executor(ThreadPoolExecutor(STREAM_READ_THREADS, thread_name_prefix="stream-reads"))

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._requests.shutdown(wait=False)

    def _answer(self, request: dict):
        """Django's answer to ``request``: its status, headers, and its body read whole, or the event stream
        to send."""
        started = []
        answer = self._django(request, lambda status, headers, exc_info=None: started.extend((status, headers)))
        if isinstance(answer, EventStream):
            return int(started[0][:3]), started[1], answer
        try:
            body = b"".join(answer)
        finally:
            answer.close()
        return int(started[0][:3]), started[1], body

    async def __rsgi__(self, scope, protocol) -> None:
        loop = asyncio.get_running_loop()
        try:
            request = environ(scope, await _body(protocol), self._proxies)
        except _BodyTooLarge:
            protocol.response_str(413, [("content-type", "text/plain; charset=utf-8")], "Request body too large.")
            return
        status, headers, answer = await loop.run_in_executor(self._requests, self._answer, request)
        if not isinstance(answer, EventStream):
            protocol.response_bytes(status, headers, answer)
            return
        try:
            await answer.frames.send_async(protocol.response_stream(status, headers).send_str)
        except ProtocolClosed:  # the client is gone: found at the next frame or beat
            pass
        except Exception:
            logger.exception("a stream ended on an error")
        finally:
            await loop.run_in_executor(None, answer.close)


def warm_up() -> None:
    """Load what each worker's first requests would load on their own (1.5 s): a restart at the evening
    peak does not stall the first requests behind it (issue 15). Reads no database."""
    from django.apps import apps
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018 — imports the URLconf and fills its lookup tables
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("weimin")
    engine = engines["django"]
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        for template in folder.rglob("*.html"):
            with suppress(TemplateSyntaxError, TemplateDoesNotExist):  # the page asking for it will say so
                engine.get_template(template.relative_to(folder).as_posix())


def end_streams_when_told_to_stop() -> None:
    """granian's worker sets its stop signals' handlers on its event loop after loading the application,
    through ``granian._signals.set_loop_signals``, each only telling the worker to stop: wrapped here, the
    handlers also end the live streams (from a thread of their own: the loop must not wait on a lock a
    request thread holds)."""
    from granian import _signals

    from weimin.core.feed import interrupt_all

    install = _signals.set_loop_signals
    if getattr(install, "ends_streams", False):
        return

    def set_loop_signals(loop):
        told = install(loop)

        def stop():
            threading.Thread(target=interrupt_all, daemon=True).start()
            told.set()

        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop)
        return told

    set_loop_signals.ends_streams = True
    _signals.set_loop_signals = set_loop_signals


class LettingGoRequest(WSGIRequest):
    """A request that empties itself when its response is closed (the last thing done with it). Django's
    lazy user and messages hold a closure over their request, so every request and all it holds (its
    headers, session, user, URL match with every pattern tried) would be cyclic garbage, freed only by the
    garbage collector: at the district's peak a worker's every young-generation collection found about
    7,000 such objects and held the GIL 10–45 ms for them (docs/benchmarks.md, sixteenth session)."""

    def close(self) -> None:
        super().close()
        self.__dict__.clear()


def ready_worker(django_application) -> Application:
    """This worker readied as the module's docstring says; the application it serves."""
    from weimin.core.feed import start_listeners

    warm_up()
    start_listeners()
    end_streams_when_told_to_stop()
    gc.freeze()
    gc.set_threshold(7000, 20, 20)
    django_application.request_class = LettingGoRequest
    proxies = trusted_proxies(os.environ.get("FORWARDED_ALLOW_IPS", DEFAULT_FORWARDED_ALLOW_IPS))
    return Application(django_application, max(1, settings.WEIMIN_REQUEST_SLOTS), proxies)
