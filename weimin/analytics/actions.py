"""Keeping the rollups up to date: ``refresh`` rebuilds every hall day whose records changed.

**Refreshed incrementally, not maintained as events are recorded.** Each refresh asks the record
tables what is new since the ids it read last time (``RefreshMark``) — ticket events (by their hall
and business day), case events and ratings (by their hall-local day), duties begun or ended — and
rebuilds each such hall day *whole* from its records (``records.days_totals``, a run of consecutive days
from one read of their records). Why:

- the queue's hot path (call, complete, issue) writes nothing more: analytics costs the window
  clerk no time and no lock, which the performance issue needs;
- rebuilding a whole day from its records is idempotent, so a late event (日结 closing yesterday's
  tickets this morning), a transfer (the serving window changes), a rejoin or a case concluded weeks
  after it was opened needs no special case: it makes its day dirty and the day is recounted;
- today's halls are always recounted (their duties are still running, and an event committed by a
  transaction that began before the previous refresh may carry an older id); the last
  ``LOOKBACK_IDS`` ids of each table are read again for the same reason.

Pages call ``refresh_if_stale`` (at most once per ``WEIMIN_ANALYTICS_REFRESH_SECONDS``);
``weimin analytics refresh`` runs it on demand (cron). Totals are computed outside any transaction
and each day is written in its own short transaction, so the halls' writers never wait behind a
long refresh. On PostgreSQL one refresh runs at a time (``core.db.try_lock``, an advisory lock a dead
process gives back); two at once — SQLite's case — only do the same work twice, since a day is always
rebuilt whole and the mark only moves to ids read before the work.
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, connections, transaction

from weimin.analytics.models import RefreshMark, Rollup
from weimin.analytics.records import days_totals
from weimin.cases import queries as case_queries
from weimin.core.db import insert_values, try_lock
from weimin.halls.models import Hall
from weimin.ratings import queries as rating_queries
from weimin.shifts import queries as shift_queries
from weimin.tickets import queue

LOOKBACK_IDS = 1000
LOCK = "weimin-analytics-refresh"
MARK = 1  # the one RefreshMark row
PARALLEL_FROM_DAYS = 200  # fewer hall days are rebuilt faster than processes start
RUN_DAYS = 31  # the most consecutive days of a hall rebuilt from one read of their records


@dataclass(frozen=True)
class RefreshSummary:
    days: int  # hall days rebuilt
    rows: int  # rollup rows written
    skipped: bool = False  # another refresh was running


def refresh(now: datetime, *, workers: int = 1) -> RefreshSummary:
    """Rebuild the rollups of every hall day whose records changed since the last refresh; with
    ``workers`` > 1 a long catch-up (a new database's whole history) is shared by that many processes."""
    with try_lock(LOCK) as got:
        if not got:
            return RefreshSummary(0, 0, skipped=True)
        mark = RefreshMark.objects.filter(pk=MARK).first() or RefreshMark(pk=MARK)
        halls = {hall.pk: hall for hall in Hall.objects.all()}
        newest, dirty = changed_days(mark, halls, LOOKBACK_IDS)
        dirty |= {(hall.pk, hall.local_date(now)) for hall in halls.values()}
        work = runs(dirty)
        if workers > 1 and len(dirty) >= PARALLEL_FROM_DAYS and _safe_to_fork():
            rows = _rebuild_in_processes(work, now, workers)
        else:
            rows = sum(rebuild_days(halls[hall_id], first, last, now) for hall_id, first, last in work)
        mark.ticket_event_id, mark.case_event_id, mark.rating_id, mark.duty_id = newest
        mark.refreshed_at = now
        mark.save()
        return RefreshSummary(len(dirty), rows)


def changed_days(mark: RefreshMark, halls: dict[int, Hall], lookback: int):
    """The newest ids of the record tables, and the (hall id, day) of every record after the mark's ids
    (less ``lookback``) — a case event, rating or duty counts on its hall-local day."""
    ticket_id, dirty = queue.days_with_events_after(max(mark.ticket_event_id - lookback, 0))
    case_id, case_instants = case_queries.event_instants_after(max(mark.case_event_id - lookback, 0))
    rating_id, rated = rating_queries.rating_instants_after(max(mark.rating_id - lookback, 0))
    duty_id, duties = shift_queries.duties_changed_since(max(mark.duty_id - lookback, 0), mark.refreshed_at)
    for hall_id, instant in case_instants | rated | duties:
        dirty.add((hall_id, halls[hall_id].local_date(instant)))
    return (ticket_id, case_id, rating_id, duty_id), dirty


def refresh_if_stale(now: datetime) -> RefreshSummary | None:
    """``refresh`` when the last one is older than ``WEIMIN_ANALYTICS_REFRESH_SECONDS`` (or in the future:
    a demo clock moved back)."""
    last = RefreshMark.objects.values_list("refreshed_at", flat=True).first()
    limit = timedelta(seconds=settings.WEIMIN_ANALYTICS_REFRESH_SECONDS)
    if last is not None and timedelta(0) <= now - last < limit:
        return None
    return refresh(now)


def runs(days) -> list[tuple[int, date, date]]:
    """The (hall id, day) pairs as runs ``(hall id, first, last)`` of consecutive days of one hall, each
    at most ``RUN_DAYS`` long."""
    result: list[tuple[int, date, date]] = []
    for hall_id, day in sorted(days):
        if result:
            run_hall, first, last = result[-1]
            if run_hall == hall_id and day == last + timedelta(days=1) and (day - first).days < RUN_DAYS:
                result[-1] = (hall_id, first, day)
                continue
        result.append((hall_id, day, day))
    return result


def _rebuild_runs(work: list[tuple[int, date, date]], now: datetime) -> int:
    halls = {hall.pk: hall for hall in Hall.objects.all()}
    try:
        return sum(rebuild_days(halls[hall_id], first, last, now) for hall_id, first, last in work)
    finally:
        connections.close_all()


def _safe_to_fork() -> bool:
    """Whether processes forked now may open the database. Not on SQLite while another thread lives: it may
    hold a connection to the file, whose locks SQLite keeps per process, so a child would inherit them as its
    own and write unlocked (sqlite.org/howtocorrupt.html, 2.6). Seen: a planning run's progress watcher
    still waiting on a busy file, and a child's rollups lost."""
    return connection.vendor != "sqlite" or threading.active_count() == 1


def _rebuild_in_processes(work: list[tuple[int, date, date]], now: datetime, workers: int) -> int:
    """The runs dealt out to ``workers`` forked processes, each with its own database connection (the
    parent's are closed first, so no connection is shared across the fork)."""
    connections.close_all()
    shares = [work[n::workers] for n in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.starmap(_rebuild_runs, [(share, now) for share in shares]))


def rebuild_days(hall: Hall, first: date, last: date, now: datetime) -> int:
    """Replace the rollup rows of the hall's days ``first``…``last`` by a recount of their records;
    returns the rows written."""
    rows = [
        Rollup.row_values(hall.pk, day, *key, totals)
        for day, day_rows in days_totals(hall, first, last, now).items()
        for key, totals in day_rows.items()
    ]
    with transaction.atomic():
        Rollup.objects.filter(hall=hall, business_date__range=(first, last)).delete()
        insert_values(Rollup, Rollup.COLUMNS, rows)
    return len(rows)
