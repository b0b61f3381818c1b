"""gunicorn settings for `weimin serve` (the command line sets bind, workers and threads)."""

import gc
import signal
import threading
from contextlib import suppress

from django.conf import settings

# Load Django once in the master: workers start fast and share the imported code's memory.
preload_app = True
worker_class = "gthread"
# Requests parsed in C (gunicorn_h1c), not in Python: less of a worker's CPU a request (docs/benchmarks.md).
# "fast", not "auto": without the package the server fails loudly, not slowly.
http_parser = "fast"
# Longer than the 5 s between a visitor's phone's polls (a console's 4 s, a TV's 1 s): each screen keeps its
# connection instead of opening one per poll. An idle connection costs no thread (gthread's poller holds it;
# `weimin serve` sets how many a process keeps).
keepalive = 15
graceful_timeout = 10


def when_ready(server):
    # Before the first fork: what every worker's first request would load again on its own — the URLs and
    # all the code they import (the planner's solver, the analyses' tables: 1.5 s), the translations and
    # the templates. Loaded once here, shared by the workers' memory, and a restart at the evening peak does
    # not stall every worker's first requests behind it (issue 15). Nothing here reads the database.
    from pathlib import Path

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


def pre_fork(server, worker):
    # Everything imported so far lives as long as the process: keep the garbage collector from
    # scanning it again and again while requests are served (shorter, rarer pauses).
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(7000, 20, 20)
    # Each worker's one listener thread (PostgreSQL LISTEN): it hears every hall's changes from the start.
    from weimin.core.feed import start_listeners

    start_listeners()


def post_worker_init(worker):
    # Told to stop (a restart, a deploy), a worker ends its live streams at once: their browsers reconnect
    # to another worker, and the worker exits without waiting out graceful_timeout on them. Ended from a
    # thread of its own: the signal handler must not wait on a lock a request thread holds.
    from weimin.core.feed import interrupt_all

    stop = worker.handle_exit

    def handle_exit(sig, frame):
        threading.Thread(target=interrupt_all, daemon=True).start()
        stop(sig, frame)

    signal.signal(signal.SIGTERM, handle_exit)
