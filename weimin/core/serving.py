"""What `weimin serve` runs: Django's WSGI application inside each granian worker process.

granian (an HTTP server with a Rust core) reads and writes the sockets without Python and calls the
application from a pool of threads; on this 2-core box it answers the queue's request mix with about a
fifth less of a worker's CPU than gunicorn's gthread worker did (docs/benchmarks.md, twelfth session).
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

``application`` also keeps to the request what granian's WSGI environ adds from the process's own
environment (``SECRET_KEY`` and ``DATABASE_URL`` would otherwise be in every ``request.META``, and a
``HTTP_PROXY`` of the environment would pass for a request header), and takes the scheme from
``X-Forwarded-Proto`` only from the proxies in ``FORWARDED_ALLOW_IPS`` (127.0.0.1 and ::1 unless set).
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

from django.core.handlers.wsgi import WSGIRequest

# Request keys granian sets itself (PEP 3333): never dropped, even if the environment has one of them.
REQUEST_KEYS = frozenset(
    {
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "REMOTE_ADDR",
        "REMOTE_PORT",
        "GATEWAY_INTERFACE",
        "SERVER_SOFTWARE",
    }
)
DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1,::1"


def process_keys(environment: Mapping[str, str]) -> tuple[str, ...]:
    """The keys of the process's environment that are not part of a request."""
    return tuple(key for key in environment if key not in REQUEST_KEYS)


def trusted_proxies(value: str) -> frozenset[str]:
    return frozenset(address.strip() for address in value.split(",") if address.strip())


def wrap(django_application, dropped: tuple[str, ...], proxies: frozenset[str]):
    """``django_application`` given only the request's environ, its scheme as the trusted proxy says."""

    def application(environ, start_response):
        for key in dropped:
            environ.pop(key, None)
        if environ.get("REMOTE_ADDR") in proxies and environ.get("HTTP_X_FORWARDED_PROTO") in ("http", "https"):
            environ["wsgi.url_scheme"] = environ["HTTP_X_FORWARDED_PROTO"]
        return django_application(environ, start_response)

    return application


def warm_up() -> None:
    """Load what each worker's first requests would load on their own (1.5 s): a restart at the evening
    peak does not stall the first requests behind it (issue 15). Reads no database."""
    from django.apps import apps
    from django.conf import settings
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
    """granian's worker sets its stop signals' handlers after loading the application, through
    ``granian._signals.set_sync_signals``: wrapped here, each handler also ends the live streams (from a
    thread of its own: a signal handler must not wait on a lock a request thread holds)."""
    from granian import _signals

    from weimin.core.feed import interrupt_all

    install = _signals.set_sync_signals
    if getattr(install, "ends_streams", False):
        return

    def set_sync_signals():
        told = install()
        for number in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(number)

            def stop(signum, frame, handler=handler):
                threading.Thread(target=interrupt_all, daemon=True).start()
                if callable(handler):
                    handler(signum, frame)

            signal.signal(number, stop)
        return told

    set_sync_signals.ends_streams = True
    _signals.set_sync_signals = set_sync_signals


class LettingGoRequest(WSGIRequest):
    """A request that empties itself when its response is closed (the last thing done with it). Django's
    lazy user and messages hold a closure over their request, so every request and all it holds (its
    headers, session, user, URL match with every pattern tried) would be cyclic garbage, freed only by the
    garbage collector: at the district's peak a worker's every young-generation collection found about
    7,000 such objects and held the GIL 10–45 ms for them (docs/benchmarks.md, sixteenth session)."""

    def close(self) -> None:
        super().close()
        self.__dict__.clear()


def ready_worker(django_application):
    """This worker readied as the module's docstring says; the application it serves."""
    from weimin.core.feed import start_listeners

    warm_up()
    start_listeners()
    end_streams_when_told_to_stop()
    gc.freeze()
    gc.set_threshold(7000, 20, 20)
    django_application.request_class = LettingGoRequest
    proxies = trusted_proxies(os.environ.get("FORWARDED_ALLOW_IPS", DEFAULT_FORWARDED_ALLOW_IPS))
    return wrap(django_application, process_keys(os.environ), proxies)
