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

import enum
import hashlib
import heapq
import itertools
import json
import logging
import math
import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import gettext as _

from weimin.core.feed import ChangeFeed, EventStream, FeedWait, Signal, SignalWait, Steps, let_go_of_the_database
from weimin.core.prepared import RowsAhead
from weimin.halls import reference
from weimin.tickets.models import HallVersion

logger = logging.getLogger(__name__)


def _load_version(hall_id: int) -> int:
    return HallVersion.objects.filter(pk=hall_id).values_list("version", flat=True).first() or 0


hall_changes = ChangeFeed("weimin_hall_changes", _load_version)


def bump(hall_id: int, about: dict, ahead: RowsAhead | None = None) -> int:
    """The hall's next version, published with ``about`` (kind, number, window…) on commit. One atomic
    statement on both databases, at the end of the action: the row stays locked only until commit. The
    rows ``ahead`` (the change announced) are saved with it: on PostgreSQL in the same statement."""
    table = connection.ops.quote_name(HallVersion._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (hall_id, version) VALUES (%s, 1) "
        f"ON CONFLICT (hall_id) DO UPDATE SET version = {table}.version + 1 RETURNING version"
    )
    return hall_changes.advance(hall_id, upsert, [hall_id], about, ahead)


# --- conditional answers for what still polls ---


def _digest(parts) -> str:
    return hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()


def etag(hall_id: int, *parts) -> str:
    """A weak validator for a page part that depends only on the hall's version and ``parts`` (the
    request's own inputs, the minute shown...). Secret parts are hashed: the ETag is never a secret."""
    return f'W/"h{hall_id}.v{hall_changes.version(hall_id)}.{_digest(parts)[:16]}"'


def shown_etag(hall_id: int, version: int, page: str, shown) -> str:
    """A validator for what one page shows (``shown``: a visitor's status, place and window; a console's
    every part) as of the hall's ``version``: its tail names the ``page`` (a visitor's token; a console's
    window, clerk and minute — hashed: the tag is never a secret) and the ``shown`` (hashed).

    ``version`` is read before any part of ``shown``: a change made while they are read then leaves the
    tag behind, and the next ask reads them again. Read after, it would vouch for what was read before the
    change, and every ask would be answered 304 with the old page until the hall moves again."""
    return f'W/"h{hall_id}.v{version}.{_digest([page])[:8]}{_digest([page, *shown])[:8]}"'


_TAG = re.compile(r'W/"h(\d{1,18})\.v(\d{1,18})\.([0-9a-f]{16})"')


def held_tag(request) -> tuple[int, int, str] | None:
    """The hall, version and tail of the tag in the client's ``If-None-Match``; only of a hall that
    exists (the per-process reference data): a made-up tag costs nothing and holds nothing."""
    found = _TAG.search(request.headers.get("If-None-Match", "")[:200])
    if found is None or int(found.group(1)) not in reference.halls_by_id():
        return None
    return int(found.group(1)), int(found.group(2)), found.group(3)


def shown_unchanged(request, page: str, shown=None, version: int | None = None) -> HttpResponse | None:
    """304 when the page holds what it would be shown now: without a query while the hall's version has not
    moved (every change it shows moves it); once it has, when ``shown`` — read again by the caller after
    the hall's ``version`` (``shown_etag``) — is what the page holds."""
    held = held_tag(request)
    if held is None or held[2][:8] != _digest([page])[:8]:
        return None
    hall_id, held_version, tail = held
    if shown is None and held_version == hall_changes.version(hall_id):
        return with_etag(HttpResponse(status=304), f'W/"h{hall_id}.v{held_version}.{tail}"')
    if shown is not None and (tag := shown_etag(hall_id, version, page, shown)).endswith(f'.{tail}"'):
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


class Telling(enum.Enum):
    """What a visitor's page makes of the hall's news (``Judge``)."""

    NOTHING = "nothing"  # nothing it shows changed: no word (the heartbeat says the line is alive)
    SOON = "soon"  # its place, wait or window may have moved: looked at within WEIMIN_PUSH_VISITOR_SPREAD_SECONDS
    NOW = "now"  # its number named


# Given the events heard since the client's last (version, about): what they change of what it shows.
Judge = Callable[[list[tuple[int, dict]]], Telling]
# The page part as of now, rendered, when news judged SOON is due (None: the page asks for it itself;
# Telling.NOTHING: nothing it shows moved, no word). Its place is worked out then, not when the news is
# judged: a call moves every phone of the hall, and their places, worked out at once, held up the
# process's requests for tens of milliseconds.
Show = Callable[[], "str | Telling | None"]


def _no_streams_open() -> None:
    """This process's count of its open streams, from none (a forked child holds none of its parent's)."""
    global _open_streams, _open_lock, _open_for_ticket
    _open_streams, _open_lock = 0, threading.Lock()
    _open_for_ticket = Counter()  # a visitor's own streams open in this process, by ticket


_no_streams_open()
os.register_at_fork(after_in_child=_no_streams_open)


def _admit(reserve: int, ticket_id: int | None) -> bool:
    """A stream slot in this process, keeping ``reserve`` slots free for clients that come first; a
    visitor's own stream, one of at most WEIMIN_PUSH_STREAMS_PER_TICKET for its ticket."""
    global _open_streams
    with _open_lock:
        if _open_streams + reserve >= settings.WEIMIN_PUSH_STREAMS_PER_PROCESS:
            return False
        if ticket_id is not None:
            if _open_for_ticket[ticket_id] >= settings.WEIMIN_PUSH_STREAMS_PER_TICKET:
                return False
            _open_for_ticket[ticket_id] += 1
        _open_streams += 1
        return True


def _release(ticket_id: int | None) -> None:
    global _open_streams
    with _open_lock:
        _open_streams -= 1
        if ticket_id is not None:
            _open_for_ticket[ticket_id] -= 1
            if not _open_for_ticket[ticket_id]:
                del _open_for_ticket[ticket_id]


# What a client is told of a change; the rest (the ticket's id, its place in the queue) is for the processes.
# ``moved`` (ticket news only): whether the change moved anyone's place, i.e. other windows' consoles care;
# ``windows`` (with ``moved``): the numbers of the windows whose consoles list the ticket, the others need not ask.
_TOLD = ("kind", "number", "window", "moved", "windows")


def _frame(version: int, about: dict) -> str:
    told = {"version": version, **{name: about[name] for name in _TOLD if name in about}}
    return f"id: {version}\nevent: change\ndata: {json.dumps(told, ensure_ascii=False)}\n\n"


def _page_frame(version: int, page: str) -> str:
    """A visitor's page part as of ``version``, sent instead of the news that moved it: the page need not ask."""
    return f"id: {version}\nevent: page\ndata: {json.dumps({'version': version, 'html': page}, ensure_ascii=False)}\n\n"


def _told(current: int, events: list[tuple[int, dict]] | None) -> str:
    """The frames of ``events``; when some are not held here (None), ``resync``: the client reads all again."""
    if events is None:
        return _frame(current, {"kind": "resync"})
    return "".join(_frame(version, about) for version, about in events)


_BEAT = "event: beat\ndata: {}\n\n"


def _opening() -> str:
    """How this process hears other processes' changes, as a comment: the notices, or the counter polled."""
    return f": {'listening' if hall_changes.listening else 'polling'}\nretry: {settings.WEIMIN_PUSH_RETRY_MS}\n\n"


def _events(hall_id: int, after: int, seconds: float) -> Steps:
    """The hall's every event, for its screens. ``after`` is the version the client last saw (-1: none, it
    is told the current one at once)."""
    current = hall_changes.version(hall_id)  # first: it starts this process's listener if need be
    yield _opening()
    deadline, epoch = time.monotonic() + seconds, hall_changes.epoch
    while True:
        if current != after:  # news; or a client from before a database reset
            yield _told(current, hall_changes.events_between(hall_id, after, current))
            after = current
        else:
            # Keeps proxies from closing the line, finds clients gone, and tells the page the line is alive.
            yield _BEAT
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        current = yield FeedWait(hall_changes, hall_id, after, min(remaining, settings.WEIMIN_PUSH_HEARTBEAT_SECONDS))
        if hall_changes.epoch != epoch:
            return


# --- visitors' own streams: their news judged by one thread per process ---


class _Watch:
    """A visitor's stream waiting in this process: what it was last told, and what it is told next."""

    def __init__(self, hall_id: int, after: int, judge: Judge, show: Show | None = None) -> None:
        self.hall_id, self.after, self.judge, self.show = hall_id, after, judge, show
        self.judged = after  # the version its judge last saw: what ``show`` renders is as of then
        self.due: float | None = None  # while news is held back: when it is told
        self.gap_since: float | None = None  # polling: since when its news is not all heard here (``_unheard``)
        self.frames: list[str] = []  # to send; under the judge's lock
        self.told = Signal()


_UNHEARD_GRACE = 0.25  # seconds; a commit's hook runs at once after it, but its thread may wait for the GIL


class _VisitorNews:
    """访客推送 (visitors' news): on each change of a hall, ONE thread per process works out which of its
    visitors' streams have something new to show and wakes only those — a number named at once, a moved
    place at a random moment of the next WEIMIN_PUSH_VISITOR_SPREAD_SECONDS. A call moves the place of every
    phone in the hall: a thread each, all woken at once, would hold up the process's requests and its
    screens' streams (one lock and one GIL), and their refreshes would all come at once too."""

    def __init__(self) -> None:
        self._start_afresh()
        hall_changes.on_news(self._heard)
        os.register_at_fork(after_in_child=self._start_afresh)  # a forked child: no thread came along

    def _start_afresh(self) -> None:
        self._lock = threading.Lock()
        self._news = threading.Condition(self._lock)
        self._watches: dict[int, set[_Watch]] = {}
        self._halls: set[int] = set()  # halls whose news is not judged yet
        self._due: list[tuple[float, int, _Watch]] = []  # a heap of the news held back
        self._order = itertools.count()
        self._again: float | None = None  # polling: when the halls are judged again for news not heard yet
        self._judging = False  # the process's thread started (on first use)

    def watch(self, watch: _Watch) -> None:
        with self._lock:
            if not self._judging:
                self._judging = True
                threading.Thread(target=self._judge_forever, name="visitor-news", daemon=True).start()
            self._watches.setdefault(watch.hall_id, set()).add(watch)
            self._halls.add(watch.hall_id)  # judged at once: a client behind is told what it missed
            self._news.notify()

    def unwatch(self, watch: _Watch) -> None:
        with self._lock:
            watches = self._watches.get(watch.hall_id, set())
            watches.discard(watch)
            if not watches:
                self._watches.pop(watch.hall_id, None)

    def take(self, watch: _Watch) -> str:
        """What the stream is to send now, emptied."""
        with self._lock:
            watch.told.clear()
            frames, watch.frames = "".join(watch.frames), []
            return frames

    def _heard(self, key: int | None) -> None:
        """The feed's news of ``key`` (None: of every key, or the feed interrupted): called holding its lock."""
        with self._lock:
            if key is None:
                self._halls.update(self._watches)
                for watches in self._watches.values():
                    for watch in watches:
                        watch.told.set()  # an interrupted stream ends; the others send a beat
            elif key in self._watches:
                self._halls.add(key)
            self._news.notify()

    def _judge_forever(self) -> None:
        while True:
            with self._lock:
                if not self._halls and not self._is_due():
                    self._news.wait(self._timeout())
                if not hall_changes.listening:  # another process's change is found by reading the counters
                    self._halls.update(self._watches)
                    self._again = None
                halls, self._halls = self._halls, set()
                judged = [(hall_id, list(self._watches.get(hall_id, ()))) for hall_id in halls]
                due = []
                while self._is_due():
                    due.append(heapq.heappop(self._due)[2])
            try:
                for hall_id, watches in judged:
                    self._judge(hall_id, watches)
                for watch in due:
                    if watch.due is not None:  # not told since (its number named meanwhile)
                        self._tell(watch, hall_changes.version(watch.hall_id), time.monotonic(), in_place=True)
            except Exception:  # the database away: the streams beat on, and the next news is judged again
                logger.exception("visitor news: the hall's news could not be judged")
            finally:
                let_go_of_the_database()

    def _is_due(self) -> bool:
        return bool(self._due) and self._due[0][0] <= time.monotonic()

    def _timeout(self) -> float | None:
        """Until the next news held back is due; without the listener, the feed's polling interval at most."""
        timeouts = [self._due[0][0] - time.monotonic()] if self._due else []
        if not hall_changes.listening:
            timeouts.append(settings.WEIMIN_FEED_POLL_SECONDS)
            if self._again is not None:
                timeouts.append(self._again - time.monotonic())
        return max(0.0, min(timeouts)) if timeouts else None

    def _judge(self, hall_id: int, watches: list[_Watch]) -> None:
        current, now = hall_changes.version(hall_id), time.monotonic()
        for watch in watches:
            if watch.after == current:
                continue
            try:
                events = hall_changes.events_between(hall_id, watch.after, current)
                if events is None and self._unheard(watch, current, now):
                    continue
                if events is not None:
                    watch.gap_since = None
                telling = Telling.NOW if events is None else watch.judge(events)
                watch.judged = current
            except Exception:  # one visitor's page must not stop the others': it is told the news, and asks again
                logger.exception("visitor news: a stream's news could not be judged")
                telling = Telling.NOW
            if telling is Telling.NOW:
                self._tell(watch, current, now)
            elif telling is Telling.SOON and watch.due is None:
                self._hold(watch, now + random.uniform(0, settings.WEIMIN_PUSH_VISITOR_SPREAD_SECONDS))
            elif watch.due is None:
                watch.after = current  # nothing it shows changed: no word

    def _unheard(self, watch: _Watch, current: int, now: float) -> bool:
        """Polling reads the counter, and can find a change this very process committed a moment before the
        commit's hook tells the feed what it was: such a gap is held back _UNHEARD_GRACE seconds (the halls
        are judged again when it is heard, or then), and only then told as one (``resync``: the page reads
        all again) — another process's change is never heard here."""
        if hall_changes.listening or not 0 <= watch.after < current:
            return False
        if watch.gap_since is None:
            watch.gap_since = now
        if now >= (again := watch.gap_since + _UNHEARD_GRACE):
            return False
        with self._lock:
            self._again = min(self._again or math.inf, again)
        return True

    def _hold(self, watch: _Watch, due: float) -> None:
        watch.due = due
        with self._lock:
            heapq.heappush(self._due, (due, next(self._order), watch))

    def _tell(self, watch: _Watch, current: int, now: float, in_place: bool = False) -> None:
        """Send the watch the news up to ``current``; ``in_place`` (news that may have moved its place, held
        back till now): the page part as of now when the watch can show it, nothing when its place did not
        move — the news judged since the judge last ran (if any) is judged and told as usual."""
        if in_place and (page := self._rendered(watch)) is not None:
            current = watch.judged
            frames = "" if page is Telling.NOTHING else _page_frame(current, page)
        else:
            events = hall_changes.events_between(watch.hall_id, watch.after, current)
            if events is None and self._unheard(watch, current, now):
                self._hold(watch, watch.gap_since + _UNHEARD_GRACE)  # told then, or with the hall's news
                return
            frames = _told(current, events) if current != watch.after else ""
        watch.after, watch.due, watch.gap_since = current, None, None
        if frames:
            with self._lock:
                watch.frames.append(frames)
                watch.told.set()

    @staticmethod
    def _rendered(watch: _Watch) -> str | Telling | None:
        if watch.show is None or not watch.after < watch.judged:
            return None
        try:
            return watch.show()
        except Exception:  # the page asks for itself instead
            logger.exception("visitor news: a page could not be rendered")
            return None


visitor_news = _VisitorNews()


def _watched(hall_id: int, after: int, seconds: float, judge: Judge, show: Show | None) -> Steps:
    """A visitor's own stream: what ``judge`` finds in the hall's news for its page (``_VisitorNews``)."""
    hall_changes.version(hall_id)  # first: it starts this process's listener if need be
    yield _opening()
    deadline, epoch = time.monotonic() + seconds, hall_changes.epoch
    watch = _Watch(hall_id, after, judge, show)
    visitor_news.watch(watch)
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            yield SignalWait(watch.told, min(remaining, settings.WEIMIN_PUSH_HEARTBEAT_SECONDS))
            if hall_changes.epoch != epoch:
                return
            yield visitor_news.take(watch) or _BEAT
    finally:
        visitor_news.unwatch(watch)


def stream(
    request, hall_id: int, *, judge: Judge | None = None, show: Show | None = None, ticket_id: int | None = None
) -> HttpResponse:
    """The hall's events as ``text/event-stream`` for ``WEIMIN_PUSH_STREAM_SECONDS``, then the browser
    reconnects (``Last-Event-ID``), so a load balancer spreads streams again. When the process holds
    its most streams it answers 503 and the page keeps polling; visitors' phones may take only half
    the slots, so TVs, consoles and pads come first. With ``judge``, the own stream of ``ticket_id``'s
    visitor: only the news that changes their page (``_VisitorNews``), and at most
    WEIMIN_PUSH_STREAMS_PER_TICKET of them (one ticket's token must not hold the phones' every slot); with
    ``show`` too, news that only moved their place comes as the page part itself (``event: page``), so
    the phone does not ask for it — after every call, every phone of the hall would."""
    visitor = judge is not None or request.GET.get("for") == "visitor"
    reserve = settings.WEIMIN_PUSH_STREAMS_PER_PROCESS // 2 if visitor else 0
    if not _admit(reserve, ticket_id):
        response = HttpResponse(_("Too many live connections: the page asks again in a while."), status=503)
        response["Retry-After"] = "60"
        return response
    try:
        after = int(request.headers.get("Last-Event-ID") or -1)
    except ValueError:
        after = -1
    seconds = settings.WEIMIN_PUSH_STREAM_SECONDS
    steps = _events(hall_id, after, seconds) if judge is None else _watched(hall_id, after, seconds, judge, show)
    return EventStream(steps, closing=lambda: _release(ticket_id))  # its slot given back, even unread
