"""Analytics benchmark (issue 11, point 6): the district dashboard and a one-year hall report read from
the rollups, against computing the same figures by a full scan of the events, at millions of tickets.

    .venv/bin/python bench/analytics.py                      # 1 M, then 5 M tickets
    .venv/bin/python bench/analytics.py --tickets 20000      # smoke run (about two minutes)

Loading and building the rollups dominate: about 2½ minutes per million tickets each on two shared cores
(2026-11-30), so the default run takes about 30 minutes; docs/benchmarks.md has the figures.

In a throwaway PostgreSQL cluster it migrates, seeds the demo district (12 halls) and loads tickets with
their events backwards in time from the demo day (2017-12-08), in SQL (``INSERT … SELECT`` over
``generate_series``): the district hall about 1,000 tickets a weekday, each subdistrict hall about 200,
fewer on Saturdays, none on Sundays and public holidays; each ticket issued → called → serving →
completed, with cancellations, no-shows (some of whom rejoin and are served), transfers and tickets
left unserved at close; every window held by its clerk for the day (a duty), so utilisation is defined.
With several sizes (``--tickets 1000000,5000000``) each stage adds the older days to the same database.

Per stage it builds the rollups with the real ``analytics.actions.refresh`` (the incremental path
catching up from its last mark; ``--workers`` processes rebuild disjoint runs of hall days through
``actions.rebuild_days`` first, then ``refresh`` runs and redoes only what it always rereads), runs
``ANALYZE``, then times each read of the two pages (median and p95 of ``--repeat`` runs):

- district dashboard: ``queries.total`` of the 12 halls over the last 30 days, ``breakdown(By.HALL)``
  over the same days, the district's trend ``breakdown(By.WEEK)`` over the last 365 days;
- one-year hall report of the district hall: ``breakdown`` by month, item, hour and weekday.

and the same figures by two full scans, in the same run:

- **SQL scan**: one aggregation over ``tickets_ticketevent`` (joined to the ticket for its item and
  issue instant) per read, the headline figures only (visits, mean wait, p90 wait) — the fastest a page
  could get them without rollups (median of ``--scan-repeat``);
- **records scan**: ``analytics.records.day_totals`` of every hall day of the period — every figure,
  the computation the rollups store. Its time is what the refresh spent in ``day_totals`` for those hall
  days (measured inside the workers), so it costs no second pass over the history.

Each read is timed cold (nothing kept in the process: a new server process), warm (median and p95 of
``--repeat``), and each page once more right after a ``refresh`` (the minute's refresh rebuilds today's
hall days, so the current month's parts are recomputed). It asserts that the rollups' figures equal the
SQL scan's (visits, mean wait, p90 wait) for every group of every read, and, in the first stage, every
figure of the 30-day reads recomputed from the records; and prints the 300 ms check per page (all its
reads together) and the ratios full scan ÷ rollup.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# In place of this script's folder, whose queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

from weimin.testing.pgcluster import throwaway_cluster  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
LAST_DAY = date(2017, 12, 8)  # the demo day: the newest business day loaded
NOW = datetime(2017, 12, 8, 22, 0, tzinfo=TZ)  # after every hall closed and every duty ended
PAGE_LIMIT_MS = 300
DISTRICT_WEEKDAY_TICKETS = 1000
SUBDISTRICT_WEEKDAY_TICKETS = 200
# Monday's backlog after the weekend, the quieter end of the week, Saturday mornings only; Sunday closed.
WEEKDAY_FACTOR = (1.2, 1.05, 1.0, 0.95, 0.9, 0.45, 0.0)
HOLIDAYS = {(1, 1), (1, 2), (5, 1), (5, 2), (5, 3), *((10, d) for d in range(1, 8))}


def configure(database_url: str, var_dir: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "WEIMIN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "weimin.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DEBUG", None)
    import django

    django.setup()


# Loading -----------------------------------------------------------------------------------------


def plan_days(halls: list, first_free: date, tickets: int, rng: random.Random) -> list[tuple]:
    """(hall id, day, tickets, mean wait minutes, weekday) going back from ``first_free`` until ``tickets``."""
    plan, left, day = [], tickets, first_free
    while left > 0:
        factor = WEEKDAY_FACTOR[day.weekday()]
        if factor and (day.month, day.day) not in HOLIDAYS:
            for position, hall in enumerate(halls):
                base = DISTRICT_WEEKDAY_TICKETS if position == 0 else SUBDISTRICT_WEEKDAY_TICKETS
                count = min(left, max(1, round(base * factor * rng.uniform(0.85, 1.15))))
                mean_wait = (14 if position == 0 else 7) * factor * rng.uniform(0.7, 1.3)
                plan.append((hall.pk, day, count, max(mean_wait, 2.0), day.weekday()))
                left -= count
                if not left:
                    break
        day -= timedelta(days=1)
    return plan


SETUP_SQL = """
CREATE OR REPLACE FUNCTION bench_u(id bigint, salt int) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT ((hashint8(id * 7919 + salt)::bigint + 2147483648) % 1000000)::float8 / 1000000::float8 $$;
DROP TABLE IF EXISTS bench_plan, bench_offer, bench_offers_of, bench_clerk, bench_story;
CREATE UNLOGGED TABLE bench_plan (hall_id int, day date, n int, mean_wait float, weekday int);
-- Every (window, item) a hall's open windows handle, numbered per hall: a ticket picks one at random,
-- so an item's demand follows the windows it has.
CREATE UNLOGGED TABLE bench_offer AS
    SELECT w.hall_id, (row_number() OVER (PARTITION BY w.hall_id ORDER BY w.number, wi.serviceitem_id) - 1)::int AS k,
           count(*) OVER (PARTITION BY w.hall_id)::int AS m,
           wi.serviceitem_id AS item_id, w.id AS window_id, c.ticket_prefix AS prefix
    FROM halls_window w
    JOIN halls_window_items wi ON wi.window_id = w.id
    JOIN halls_serviceitem i ON i.id = wi.serviceitem_id
    JOIN halls_itemcategory c ON c.id = i.category_id
    WHERE w.active;
CREATE UNLOGGED TABLE bench_offers_of AS SELECT hall_id, max(m) AS m FROM bench_offer GROUP BY hall_id;
CREATE UNLOGGED TABLE bench_clerk (window_id int PRIMARY KEY, clerk_id int, other_window_id int);
"""

# A ticket's whole story follows from its id (bench_u) and its hall day's plan row, worked out once
# into bench_story: the (window, item) it picks (u 1), its variant (u 2: < .03 cancelled; < .07
# no-show; < .08 left waiting and closed at 日结, 21:00; < .10 a no-show who rejoined and was served;
# < .12 transferred from the neighbour window, then served; else served), its wait (u 3, exponential
# around the day's mean, at most 90 min) and service (u 4, 2–42 min). Issue instants are spread evenly
# over the day's ticket hours in sequence order (u 5 within each ticket's share).
STORY_SQL = """
CREATE UNLOGGED TABLE bench_story AS
SELECT q.id, q.hall_id, q.day, q.s, q.o, o.prefix, o.item_id, o.window_id, c.clerk_id,
    c.other_window_id, oc.clerk_id AS other_clerk_id, q.issued,
    q.issued + make_interval(secs => q.wait * 60) AS first_call,
    q.issued + make_interval(secs => (q.wait + CASE WHEN q.o >= 0.08 AND q.o < 0.12 THEN 20 ELSE 0 END) * 60)
        AS last_call,
    make_interval(secs => (2 + least(-ln(1 - bench_u(q.id, 4)) * 8, 40)) * 60) AS service
FROM (
    SELECT r.*, floor(bench_u(r.id, 1) * h.m)::int AS k, bench_u(r.id, 2) AS o,
        least(-ln(1 - bench_u(r.id, 3)) * r.mean_wait, 90) AS wait,
        ((r.day + time '09:00') AT TIME ZONE 'Asia/Shanghai')
            + make_interval(secs => (r.s - 1 + bench_u(r.id, 5)) * (CASE WHEN r.weekday = 5 THEN 3 ELSE 9.5 END)
                                     * 3600 / r.n) AS issued
    FROM (
        SELECT p.*, s, nextval('tickets_ticket_id_seq') AS id
        FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) s
    ) r
    JOIN bench_offers_of h ON h.hall_id = r.hall_id
) q
JOIN bench_offer o ON o.hall_id = q.hall_id AND o.k = q.k
JOIN bench_clerk c ON c.window_id = o.window_id
JOIN bench_clerk oc ON oc.window_id = c.other_window_id
"""

TICKETS_SQL = """
INSERT INTO tickets_ticket (id, hall_id, business_date, prefix, sequence, number, item_id, status, priority,
    source, issued_at, queued_at, front, target_window_id, window_id, called_by_id, called_at, recalls,
    id_hash, id_masked, phone, token_hash)
SELECT id, hall_id, day, prefix, s, prefix || lpad(s::text, 3, '0'), item_id,
    CASE WHEN o < 0.03 THEN 'cancelled' WHEN o < 0.07 THEN 'no_show' WHEN o < 0.08 THEN 'closed'
         ELSE 'completed' END,
    '', 'kiosk', issued, issued, false, NULL, CASE WHEN o >= 0.08 THEN window_id END,
    CASE WHEN o >= 0.08 THEN clerk_id END, CASE WHEN o >= 0.08 THEN last_call END,
    0, '', '', '', md5(id::text) || md5('t' || id::text)
FROM bench_story
"""

# Each event kind of each variant, as (kind, instant, actor, window, detail, which stories).
EVENT_KINDS = [
    ("issued", "issued", "NULL", "NULL", '{"source": "kiosk"}', "true"),
    ("cancelled", "issued + (first_call - issued) / 2", "NULL", "NULL", "{}", "o < 0.03"),
    ("called", "first_call", "clerk_id", "window_id", "{}", "o >= 0.03 AND o < 0.07"),
    ("no_show", "first_call + interval '3 min'", "clerk_id", "window_id", "{}", "o >= 0.03 AND o < 0.07"),
    ("closed", "(day + time '21:00') AT TIME ZONE 'Asia/Shanghai'", "NULL", "NULL", "{}", "o >= 0.07 AND o < 0.08"),
    ("called", "first_call", "clerk_id", "window_id", "{}", "o >= 0.08 AND o < 0.10"),
    ("no_show", "first_call + interval '3 min'", "clerk_id", "window_id", "{}", "o >= 0.08 AND o < 0.10"),
    ("rejoined", "first_call + interval '10 min'", "clerk_id", "window_id", "{}", "o >= 0.08 AND o < 0.10"),
    ("called", "first_call", "other_clerk_id", "other_window_id", "{}", "o >= 0.10 AND o < 0.12"),
    (
        "transferred",
        "first_call + interval '4 min'",
        "other_clerk_id",
        "other_window_id",
        "{}",
        "o >= 0.10 AND o < 0.12",
    ),
    ("called", "last_call", "clerk_id", "window_id", "{}", "o >= 0.08"),
    ("serving", "last_call + interval '20 s'", "clerk_id", "window_id", "{}", "o >= 0.08"),
    ("completed", "last_call + service", "clerk_id", "window_id", "{}", "o >= 0.08"),
]
EVENTS_SQL = (
    "INSERT INTO tickets_ticketevent (ticket_id, hall_id, business_date, kind, at, actor_id, window_id, detail)\n"
    + "\nUNION ALL\n".join(
        f"SELECT id, hall_id, day, '{kind}', {at}, {actor}::int, {window}::int, '{detail}'::jsonb "
        f"FROM bench_story WHERE {which}"
        for kind, at, actor, window, detail, which in EVENT_KINDS
    )
)

# Each open window is held by its clerk from 08:50 to 20:00 (Saturdays to 13:30).
DUTIES_SQL = """
INSERT INTO shifts_duty (window_id, user_id, started_at, ended_at, last_seen_at)
SELECT c.window_id, c.clerk_id, (p.day + time '08:50') AT TIME ZONE 'Asia/Shanghai',
    (p.day + CASE WHEN p.weekday = 5 THEN time '13:30' ELSE time '20:00' END) AT TIME ZONE 'Asia/Shanghai', NULL
FROM bench_plan p
JOIN halls_window w ON w.hall_id = p.hall_id AND w.active
JOIN bench_clerk c ON c.window_id = w.id
"""


def assign_clerks(cursor, halls: list) -> None:
    """Each open window gets one of its hall's demo clerks (who also works at it in the events), and a
    neighbour window that transfers tickets to it."""
    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Window

    rows = []
    for hall in halls:
        clerks = list(
            StaffProfile.objects.filter(halls=hall, user__username__startswith=f"{hall.code}-")
            .order_by("user__username")
            .values_list("user_id", flat=True)
        )
        windows = list(Window.objects.filter(hall=hall, active=True).order_by("number").values_list("id", flat=True))
        for n, window_id in enumerate(windows):
            rows.append((window_id, clerks[n % len(clerks)], windows[(n + 1) % len(windows)]))
    cursor.executemany("INSERT INTO bench_clerk VALUES (%s, %s, %s)", rows)


def droppable_indexes(cursor, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint: dropped while loading, rebuilt after."""
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN
           (SELECT conname FROM pg_constraint WHERE conindid <> 0)""",
        [list(tables)],
    )
    return cursor.fetchall()


def load(tickets: int, first_free: date, rng: random.Random) -> tuple[date, dict]:
    """Adds ``tickets`` tickets on the days going back from ``first_free``; returns the oldest day and timings."""
    from django.db import connection

    from weimin.halls.models import Hall

    halls = list(Hall.objects.order_by("position", "code"))
    plan = plan_days(halls, first_free, tickets, rng)
    timings = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(SETUP_SQL)
        assign_clerks(cursor, halls)
        cursor.executemany("INSERT INTO bench_plan VALUES (%s, %s, %s, %s, %s)", plan)
        cursor.execute("ANALYZE bench_plan, bench_offer, bench_offers_of, bench_clerk")
        cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_ticketevent")
        timings["last_event_before"] = cursor.fetchone()[0]
        indexes = droppable_indexes(cursor, ("tickets_ticket", "tickets_ticketevent", "shifts_duty"))
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Foreign keys are checked by triggers; the rows are built from the tables they point to.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(STORY_SQL)
        cursor.execute(TICKETS_SQL)
        cursor.execute(EVENTS_SQL)
        cursor.execute(DUTIES_SQL)
        cursor.execute("SET session_replication_role = DEFAULT")
        timings["insert_s"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("DROP TABLE bench_plan, bench_offer, bench_offers_of, bench_clerk, bench_story")
        cursor.execute("DROP FUNCTION bench_u")
        timings["index_s"] = time.perf_counter() - started
    return min(day for _, day, *_ in plan), timings


# Rollups ------------------------------------------------------------------------------------------


@contextmanager
def timing_day_totals(day_ms: dict):
    """Keeps what the refresh spends computing each hall day from its records (``records.days_totals``,
    the records scan) in ``day_ms``, by (hall id, day): a run of days read together shares its time
    equally among its days."""
    from weimin.analytics import actions

    compute = actions.days_totals

    def timed_days_totals(hall, first, last, now):
        started = time.perf_counter()
        totals = compute(hall, first, last, now)
        share = 1000 * (time.perf_counter() - started) / len(totals)
        day_ms.update({(hall.pk, day): share for day in totals})
        return totals

    actions.days_totals = timed_days_totals
    try:
        yield
    finally:
        actions.days_totals = compute


def _rebuild(work: list[tuple[int, date, date]]) -> tuple[int, dict]:
    from django.db import connections

    from weimin.analytics.actions import rebuild_days
    from weimin.halls.models import Hall

    connections.close_all()  # a forked worker opens its own connection
    halls = {hall.pk: hall for hall in Hall.objects.all()}
    day_ms = {}
    with timing_day_totals(day_ms):
        rows = sum(rebuild_days(halls[hall_id], first, last, NOW) for hall_id, first, last in work)
    return rows, day_ms


def build_rollups(workers: int, events_before: int, day_ms: dict) -> dict:
    """Brings the rollups up to date after a load. With ``workers`` > 1 that many processes first rebuild
    the new hall days (runs of consecutive days, each run whole in its own transaction, through
    ``actions.rebuild_days`` as ``refresh`` does) and the refresh mark is moved past what they read; then
    ``refresh`` runs as a page or cron would and redoes only what it always rereads (its last ids, today)."""
    from django.db import connection, connections

    from weimin.analytics import actions
    from weimin.analytics.models import RefreshMark
    from weimin.shifts.models import Duty
    from weimin.tickets import queue

    started = time.perf_counter()
    rows = 0
    if workers > 1:
        last_event, dirty = queue.days_with_events_after(events_before)
        work = actions.runs(dirty)
        last_duty = Duty.objects.order_by("-id").values_list("id", flat=True).first() or 0
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for written, times in pool.map(_rebuild, [work[n::workers] for n in range(workers)]):
                rows += written
                day_ms.update(times)
        mark = RefreshMark.objects.first() or RefreshMark()
        mark.ticket_event_id, mark.duty_id = last_event, last_duty
        mark.save()
    parallel = time.perf_counter() - started
    with timing_day_totals(day_ms):
        summary = actions.refresh(NOW)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM analytics_rollup")
        table_rows = cursor.fetchone()[0]
    return {
        "seconds": time.perf_counter() - started,
        "parallel_s": parallel,
        "refresh_days": summary.days,
        "rows_written": rows + summary.rows,
        "table_rows": table_rows,
    }


# Reads --------------------------------------------------------------------------------------------


class Read:
    """One read of a page: ``queries.total`` (``by`` None) or ``queries.breakdown`` over the last ``days``."""

    def __init__(self, page: str, label: str, district: bool, days: int, by: str | None):
        self.page, self.label, self.district, self.days, self.by = page, label, district, days, by

    def halls(self, halls: list) -> list:
        return halls if self.district else halls[:1]

    @property
    def first(self) -> date:
        return LAST_DAY - timedelta(days=self.days - 1)

    def from_rollups(self, halls: list) -> dict:
        """{group key: figures}."""
        from weimin.analytics import queries

        if self.by is None:
            return {None: queries.figures(queries.total(self.halls(halls), self.first, LAST_DAY))}
        return {g.key: g.figures for g in queries.breakdown(self.halls(halls), self.first, LAST_DAY, self.by)}


def page_reads():
    from weimin.analytics.queries import By

    return [
        Read("district dashboard", "total, 12 halls, 30 days", True, 30, None),
        Read("district dashboard", "by hall, 30 days", True, 30, By.HALL),
        Read("district dashboard", "trend by week, 365 days", True, 365, By.WEEK),
        Read("hall report", "by month, 365 days", False, 365, By.MONTH),
        Read("hall report", "by item, 365 days", False, 365, By.ITEM),
        Read("hall report", "by hour, 365 days", False, 365, By.HOUR),
        Read("hall report", "by weekday, 365 days", False, 365, By.WEEKDAY),
    ]


def timed(function, repeat: int) -> tuple[list[float], object]:
    function()  # warm: imports, the connection, PostgreSQL's buffers
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(1000 * (time.perf_counter() - started))
    return times, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


# The SQL scan: a read's headline figures straight from the events (nearest-rank p90 on whole minutes
# capped at rules.HISTOGRAM_MINUTES, as the measures define it: percentile_disc is nearest rank).
SQL_GROUP = {
    None: "0",
    "hall": "x.hall_id",
    "week": "date_trunc('week', x.business_date)::date",
    "month": "date_trunc('month', x.business_date)::date",
    "weekday": "extract(isodow FROM x.business_date)::int - 1",
    "item": "x.item_id",
    "hour": "extract(hour FROM x.issued_at AT TIME ZONE 'Asia/Shanghai')::int",
}
SCAN_SQL = """
SELECT {group} AS g, count(*) FILTER (WHERE x.served), avg(x.wait),
    percentile_disc(0.9) WITHIN GROUP (ORDER BY least(greatest(floor(x.wait / 60), 0), %(cap)s))
        FILTER (WHERE x.wait IS NOT NULL)
FROM (
    SELECT t.hall_id, t.business_date, t.item_id, t.issued_at, bool_or(e.kind = 'completed') AS served,
        extract(epoch FROM min(e.at) FILTER (WHERE e.kind = 'called') - t.issued_at) AS wait
    FROM tickets_ticketevent e JOIN tickets_ticket t ON t.id = e.ticket_id
    WHERE e.hall_id = ANY(%(halls)s) AND e.business_date BETWEEN %(first)s AND %(last)s
    GROUP BY t.id
) x
GROUP BY 1
"""


def sql_scan(read: Read, halls: list) -> dict:
    """{group key: (visits, mean wait seconds, p90 wait minutes)}."""
    from django.db import connection

    from weimin.analytics import rules

    params = {"halls": [h.pk for h in read.halls(halls)], "first": read.first, "last": LAST_DAY,
              "cap": rules.HISTOGRAM_MINUTES}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(SCAN_SQL.format(group=SQL_GROUP[read.by]), params)
        rows = cursor.fetchall()
    return {(None if read.by is None else key): (visits, mean, p90) for key, visits, mean, p90 in rows}


def records_scan(reads: list[Read], halls: list) -> dict:
    """Each read's figures recomputed from ``records.day_totals`` of its hall days (every figure)."""
    from weimin.analytics import queries, rules
    from weimin.analytics.records import day_totals

    days = {(hall, read.first + timedelta(days=n)) for read in reads for hall in read.halls(halls)
            for n in range(read.days)}  # fmt: skip
    computed = {(hall.pk, day): day_totals(hall, day, NOW) for hall, day in days}
    results = {}
    for read in reads:
        dimension = queries._DIMENSION_OF[read.by] if read.by else "hall"
        groups: dict = {}
        for hall in read.halls(halls):
            for n in range(read.days):
                day = read.first + timedelta(days=n)
                for (row_dimension, key), totals in computed[hall.pk, day].items():
                    if row_dimension == dimension:
                        group = None if read.by is None else queries._group(read.by, (hall.pk, day, key))
                        groups[group] = groups.get(group, rules.Totals()) + totals
        results[read.label] = {key: queries.figures(t) for key, t in groups.items()}
    return results


def records_scan_ms(read: Read, halls: list, day_ms: dict) -> float:
    """The records scan's time for a read: what computing its hall days took in the refresh (days with no
    records were not computed and count nothing)."""
    return sum(
        day_ms.get((hall.pk, read.first + timedelta(days=n)), 0.0)
        for hall in read.halls(halls)
        for n in range(read.days)
    )


def same(rollup: dict, records: dict | None, sql: dict, label: str, headline: bool = True) -> None:
    """The rollups' figures equal the records scan's (every figure) and the SQL scan's (the headline)."""
    assert records is None or rollup.keys() == records.keys(), f"{label}: groups differ from the records scan"
    for key, figures in rollup.items() if records is not None else ():
        for name, value in figures.items():
            other = records[key][name]
            close = value == other or (
                isinstance(value, float) and isinstance(other, float) and math.isclose(value, other, rel_tol=1e-9)
            )
            assert close, f"{label} {key} {name}: rollup {value} != records scan {other}"
    if not headline:
        return
    assert {k for k, v in sql.items() if v[0] or v[1] is not None} <= set(rollup), f"{label}: SQL scan's groups"
    for key, figures in rollup.items():
        visits, mean_wait, p90 = sql.get(key, (0, None, None))
        assert figures["visits"] == visits, f"{label} {key}: visits {figures['visits']} != SQL {visits}"
        if mean_wait is None:
            assert figures["mean_wait_minutes"] is None, f"{label} {key}: mean wait without waits"
        else:
            assert math.isclose(figures["mean_wait_minutes"], float(mean_wait) / 60, rel_tol=1e-9), (
                f"{label} {key}: mean wait {figures['mean_wait_minutes']} != SQL {float(mean_wait) / 60}"
            )
        assert figures["p90_wait_minutes"] == (None if p90 is None else int(p90)), f"{label} {key}: p90"


# Running -----------------------------------------------------------------------------------------


def table_sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM tickets_ticket), (SELECT count(*) FROM tickets_ticketevent),
                      (SELECT count(*) FROM shifts_duty), (SELECT min(business_date) FROM tickets_ticket),
                      pg_total_relation_size('tickets_ticketevent') / 1048576,
                      pg_total_relation_size('analytics_rollup') / 1048576"""
        )
        tickets, events, duties, oldest, events_mb, rollup_mb = cursor.fetchone()
    return {"tickets": tickets, "events": events, "duties": duties, "oldest_day": oldest.isoformat(),
            "events_mb": events_mb, "rollup_mb": rollup_mb}  # fmt: skip


def cold_ms(function) -> float:
    """One call with no month parts kept in this process (the first view in a new server process)."""
    from weimin.analytics import queries

    queries._PARTS.clear()
    started = time.perf_counter()
    function()
    return 1000 * (time.perf_counter() - started)


def measure(halls: list, repeat: int, scan_repeat: int, day_ms: dict, check_records: bool) -> dict:
    from weimin.analytics import actions

    reads = page_reads()
    result = {"reads": {}, "pages": {}}
    rollup_figures = {}
    for read in reads:
        cold = cold_ms(lambda read=read: read.from_rollups(halls))
        times, figures = timed(lambda read=read: read.from_rollups(halls), repeat)
        scan_times, headline = timed(lambda read=read: sql_scan(read, halls), scan_repeat)
        same(figures, None, headline, read.label)
        rollup_figures[read.label] = figures
        result["reads"][read.label] = {
            "page": read.page,
            "groups": len(figures),
            "rollup_cold_ms": cold,
            "rollup_median_ms": statistics.median(times),
            "rollup_p95_ms": p95(times),
            "sql_scan_ms": statistics.median(scan_times),
            "records_scan_ms": records_scan_ms(read, halls, day_ms),
        }
    for page in dict.fromkeys(r.page for r in reads):
        mine = [r for r in reads if r.page == page]
        view = lambda mine=mine: [r.from_rollups(halls) for r in mine]  # noqa: E731
        cold = cold_ms(view)
        times, _ = timed(view, repeat)
        actions.refresh(NOW)  # rebuilds today's hall days, as the minute's refresh does
        started = time.perf_counter()
        view()
        after_refresh = 1000 * (time.perf_counter() - started)
        rows = [result["reads"][r.label] for r in mine]
        result["pages"][page] = {
            "rollup_cold_ms": cold,
            "rollup_after_refresh_ms": after_refresh,
            "rollup_median_ms": statistics.median(times),
            "rollup_p95_ms": p95(times),
            "sql_scan_ms": sum(r["sql_scan_ms"] for r in rows),
            "records_scan_ms": sum(r["records_scan_ms"] for r in rows),
        }
    # The 30-day reads against every figure recomputed from the records (the other reads' hall days are
    # the same day rows, and the SQL scan checks their headline figures) — after the timings, so that
    # the records held meanwhile do not slow the collector during them.
    if check_records:
        for label, figures in records_scan(reads[:2], halls).items():
            same(rollup_figures[label], figures, {}, label, headline=False)
    for row in [*result["reads"].values(), *result["pages"].values()]:
        row["sql_ratio"] = row["sql_scan_ms"] / row["rollup_median_ms"]
        row["records_ratio"] = row["records_scan_ms"] / row["rollup_median_ms"]
    return result


def run(sizes: list[int], args) -> list[dict]:
    from django.core.management import call_command

    from weimin.demo.seed import seed_demo
    from weimin.halls.models import Hall

    call_command("migrate", verbosity=0)
    seed_demo()
    halls = list(Hall.objects.order_by("position", "code"))
    rng = random.Random(11)
    stages, loaded, first_free, day_ms = [], 0, LAST_DAY, {}
    for size in sizes:
        started = time.perf_counter()
        oldest, loading = load(size - loaded, first_free, rng)
        first_free, added, loaded = oldest - timedelta(days=1), size - loaded, size
        print(f"[{size:,}] loaded {added:,} tickets in {loading['insert_s']:.0f} s "
              f"(+ {loading['index_s']:.0f} s indexes)", file=sys.stderr, flush=True)  # fmt: skip
        build = build_rollups(args.workers, loading["last_event_before"], day_ms)
        build["s_per_million"] = build["seconds"] / (added / 1e6)
        print(f"[{size:,}] rollups built in {build['seconds']:.0f} s ({build['parallel_s']:.0f} s in the workers)",
              file=sys.stderr, flush=True)  # fmt: skip
        stage = {"tickets": size, "sizes": table_sizes(), "load": loading, "rollups": build}
        stage |= measure(halls, args.repeat, args.scan_repeat, day_ms, check_records=not stages)
        stage["seconds"] = time.perf_counter() - started
        stages.append(stage)
        print(f"[{size:,}] measured; stage took {stage['seconds']:.0f} s", file=sys.stderr, flush=True)
    return stages


def report(stages: list[dict], args) -> None:
    for stage in stages:
        sizes, build = stage["sizes"], stage["rollups"]
        print(f"\n== {stage['tickets']:,} tickets: {sizes['events']:,} events, {sizes['duties']:,} duties, "
              f"days {sizes['oldest_day']} – {LAST_DAY}; events {sizes['events_mb']} MB, "
              f"rollups {build['table_rows']:,} rows {sizes['rollup_mb']} MB")  # fmt: skip
        print(f"load {stage['load']['insert_s']:.0f} s + indexes {stage['load']['index_s']:.0f} s; "
              f"rollups built in {build['seconds']:.0f} s ({build['s_per_million']:.0f} s per million tickets, "
              f"{args.workers} worker(s)); stage {stage['seconds']:.0f} s")  # fmt: skip
        print(f"{'read (ms)':34} {'groups':>6} {'cold':>7} {'median':>7} {'p95':>7} {'SQL scan':>9} {'ratio':>6} "
              f"{'records':>8} {'ratio':>6}")  # fmt: skip
        for label, r in [*stage["reads"].items(), *((f"= {p}", r) for p, r in stage["pages"].items())]:
            print(f"{label:34} {r.get('groups', ''):>6} {r['rollup_cold_ms']:7.0f} {r['rollup_median_ms']:7.1f} "
                  f"{r['rollup_p95_ms']:7.1f} {r['sql_scan_ms']:9.0f} {r['sql_ratio']:6.0f} "
                  f"{r['records_scan_ms']:8.0f} {r['records_ratio']:6.0f}")  # fmt: skip
        for page, r in stage["pages"].items():
            worst = max(r["rollup_p95_ms"], r["rollup_after_refresh_ms"])
            verdict = "ok" if worst <= PAGE_LIMIT_MS else "OVER"
            print(f"{page}: p95 {r['rollup_p95_ms']:.0f} ms, first view after a refresh "
                  f"{r['rollup_after_refresh_ms']:.0f} ms (<= {PAGE_LIMIT_MS} ms: {verdict}); "
                  f"first view in a new process {r['rollup_cold_ms']:.0f} ms")  # fmt: skip
    if len(stages) > 1:
        first, last = stages[0], stages[-1]
        print(f"\n== growth {first['tickets']:,} → {last['tickets']:,} tickets (median ms; last ÷ first)")
        for label in [*first["reads"], *first["pages"]]:
            a = first["reads"].get(label) or first["pages"][label]
            b = last["reads"].get(label) or last["pages"][label]
            print(f"{label:34} rollup {a['rollup_median_ms']:7.1f} → {b['rollup_median_ms']:7.1f} "
                  f"({b['rollup_median_ms'] / a['rollup_median_ms']:.2f}×)   SQL scan {a['sql_scan_ms']:7.0f} → "
                  f"{b['sql_scan_ms']:7.0f} ({b['sql_scan_ms'] / a['sql_scan_ms']:.2f}×)")  # fmt: skip
    print("\nrollup figures equal both full scans' for every group of every read (asserted)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", default="1000000,5000000", help="sizes, comma-separated, ascending")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each rollup read")
    parser.add_argument("--scan-repeat", type=int, default=3, help="timed runs of each SQL scan")
    parser.add_argument("--workers", type=int, default=2, help="processes rebuilding hall days after a load")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    args = parser.parse_args()
    sizes = [int(n) for n in args.tickets.split(",")]
    if sizes != sorted(sizes):
        parser.error("--tickets: sizes must be ascending (each stage adds to the last)")
    with tempfile.TemporaryDirectory(prefix="weimin-bench-analytics-") as var_dir, throwaway_cluster() as url:
        configure(url, var_dir)
        stages = run(sizes, args)
    if args.json:
        print(json.dumps(stages, indent=2, default=str))
    else:
        report(stages, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
