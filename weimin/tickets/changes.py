"""The hall's change feed (变更推送): what the hall display, the visitor's ticket page, the clerk's console
and the 好差评 pad wait on instead of asking "anything new?" every second.

Every change they show bumps the hall's ``HallVersion`` through ``tickets.actions.announce`` (ticket
changes from ``_record`` and ``issue_ticket``; other apps' actions call it for theirs) and publishes
the event through ``core.feed`` — PostgreSQL ``NOTIFY``, delivered on commit to one listener thread in
every app process; on SQLite, a read of the counter at most every ``WEIMIN_FEED_POLL_SECONDS``.

Clients follow it by server-sent events (``stream``: bounded in number per process and in length, see
docs/architecture.md, "Push, not poll"), and what still polls answers ``304 Not Modified`` from the
version held in memory (``not_modified``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from weimin.core.feed import ChangeFeed
from weimin.halls import reference
from weimin.tickets.models import HallVersion


def _load_version(hall_id: int) -> int:
    return HallVersion.objects.filter(pk=hall_id).values_list("version", flat=True).first() or 0


hall_changes = ChangeFeed("weimin_hall_changes", _load_version)


def bump(hall_id: int, about: dict) -> int:
    """The hall's next version, published with ``about`` (kind, number, window…) on commit. One atomic
    statement on both databases, at the end of the action: the row stays locked only until commit."""
    table = connection.ops.quote_name(HallVersion._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (hall_id, version) VALUES (%s, 1) "
        f"ON CONFLICT (hall_id) DO UPDATE SET version = {table}.version + 1 RETURNING version"
    )
    return hall_changes.advance(hall_id, upsert, [hall_id], about)


# --- conditional answers for what still polls ---


def _digest(parts) -> str:
    return hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()


def etag(hall_id: int, *parts) -> str:
    """A weak validator for a page part that depends only on the hall's version and ``parts`` (the
    request's own inputs, the minute shown...). Secret parts are hashed: the ETag is never a secret."""
    return f'W/"h{hall_id}.v{hall_changes.version(hall_id)}.{_digest(parts)[:16]}"'


def shown_etag(hall_id: int, secret: str, shown) -> str:
    """A validator for what one visitor's page shows (``shown``: its status, place, window…) as of the
    hall's version: its tail names the visitor's ``secret`` (hashed) and the ``shown`` (hashed)."""
    return f'W/"h{hall_id}.v{hall_changes.version(hall_id)}.{_digest([secret])[:8]}{_digest([secret, *shown])[:8]}"'


_TAG = re.compile(r'W/"h(\d{1,18})\.v(\d{1,18})\.([0-9a-f]{16})"')


def held_tag(request) -> tuple[int, int, str] | None:
    """The hall, version and tail of the tag in the client's ``If-None-Match``; only of a hall that
    exists (the per-process reference data): a made-up tag costs nothing and holds nothing."""
    found = _TAG.search(request.headers.get("If-None-Match", "")[:200])
    if found is None or int(found.group(1)) not in reference.halls_by_id():
        return None
    return int(found.group(1)), int(found.group(2)), found.group(3)


def shown_unchanged(request, secret: str, shown=None) -> HttpResponse | None:
    """304 when the visitor's page holds what it would be shown now: without a query while the hall's
    version has not moved (every change to a ticket moves it); once it has, when ``shown`` — read again
    by the caller — is what the page holds."""
    held = held_tag(request)
    if held is None or held[2][:8] != _digest([secret])[:8]:
        return None
    hall_id, version, tail = held
    if shown is None and version == hall_changes.version(hall_id):
        return with_etag(HttpResponse(status=304), f'W/"h{hall_id}.v{version}.{tail}"')
    if shown is not None and (tag := shown_etag(hall_id, secret, shown)).endswith(f'.{tail}"'):
        return with_etag(HttpResponse(status=304), tag)
    return None


def not_modified(request, tag: str) -> HttpResponse | None:
    """304 when the client already holds ``tag``: no query was needed to know it."""
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return with_etag(HttpResponse(status=304), tag)
    return None


def with_etag(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    # The browser keeps the answer but asks every time (If-None-Match): a 304 costs a few bytes.
    response["Cache-Control"] = "private, no-cache"
    return response


# --- server-sent events ---

# Given the events heard since the client's last (version, about), whether they change what it shows.
Matters = Callable[[list[tuple[int, dict]]], bool]

_open_streams = 0
_open_lock = threading.Lock()


def _admit(reserve: int) -> bool:
    """A stream slot in this process, keeping ``reserve`` slots free for clients that come first."""
    global _open_streams
    with _open_lock:
        if _open_streams + reserve >= settings.WEIMIN_PUSH_STREAMS_PER_PROCESS:
            return False
        _open_streams += 1
        return True


def _release() -> None:
    global _open_streams
    with _open_lock:
        _open_streams -= 1


def _frame(version: int, about: dict) -> str:
    told = {"version": version, **{name: value for name, value in about.items() if name != "ticket"}}
    return f"id: {version}\nevent: change\ndata: {json.dumps(told, ensure_ascii=False)}\n\n"


class _Stream:
    """The events of one client; its slot is given back when the response is closed, even unread."""

    def __init__(self, events: Iterator[str]) -> None:
        self._events, self._open = events, True

    def __iter__(self) -> Iterator[str]:
        return self._events

    def close(self) -> None:
        if self._open:
            self._open = False
            self._events.close()
            _release()


def _events(hall_id: int, after: int, seconds: float, matters: Matters | None = None) -> Iterator[str]:
    """``after`` is the version the client last saw (-1: none, it is told the current one at once).
    ``matters``: whether news changes what this client shows; when it says no, the client hears a beat."""
    current = hall_changes.version(hall_id)  # first: it starts this process's listener if need be
    # How this process hears other processes' changes, as a comment: the notices, or the counter polled.
    yield f": {'listening' if hall_changes.listening else 'polling'}\nretry: {settings.WEIMIN_PUSH_RETRY_MS}\n\n"
    deadline, epoch = time.monotonic() + seconds, hall_changes.epoch
    while True:
        if current != after:  # news; or a client from before a database reset
            events = hall_changes.events_after(hall_id, after) if 0 <= after < current else None
            if events is None:
                yield _frame(current, {"kind": "resync"})  # the client reads everything again
            elif matters is None or matters(events):
                yield "".join(_frame(version, about) for version, about in events)
            else:
                yield "event: beat\ndata: {}\n\n"
            after = current
        else:
            # Keeps proxies from closing the line, finds clients gone, and tells the page the line is alive.
            yield "event: beat\ndata: {}\n\n"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        _let_go_of_the_database()
        current = hall_changes.wait(hall_id, after, min(remaining, settings.WEIMIN_PUSH_HEARTBEAT_SECONDS))
        if hall_changes.epoch != epoch:
            return


def _let_go_of_the_database() -> None:
    """A stream waits minutes on the feed, which needs no query while the process listens: its thread
    must not keep a database connection meanwhile (every thread keeps its own for CONN_MAX_AGE, and a
    process's stream threads would hold PostgreSQL's connections by the hundred). A read it needs later
    opens one again, closed again here."""
    if connection.connection is not None and not connection.in_atomic_block:
        connection.close()


def stream(request, hall_id: int, *, visitor: bool = False, matters: Matters | None = None) -> HttpResponse:
    """The hall's events as ``text/event-stream`` for ``WEIMIN_PUSH_STREAM_SECONDS``, then the browser
    reconnects (``Last-Event-ID``), so a load balancer spreads streams again. When the process holds
    its most streams it answers 503 and the page keeps polling; visitors' phones may take only half
    the slots, so TVs, consoles and pads come first. ``matters`` filters the news (a visitor's own
    stream: only what changes their page)."""
    visitor = visitor or request.GET.get("for") == "visitor"
    reserve = settings.WEIMIN_PUSH_STREAMS_PER_PROCESS // 2 if visitor else 0
    if not _admit(reserve):
        response = HttpResponse(_("Too many live connections: the page asks again in a while."), status=503)
        response["Retry-After"] = "60"
        return response
    try:
        after = int(request.headers.get("Last-Event-ID") or -1)
    except ValueError:
        after = -1
    events = _Stream(_events(hall_id, after, settings.WEIMIN_PUSH_STREAM_SECONDS, matters))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
