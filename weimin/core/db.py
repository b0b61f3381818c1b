"""Database helpers that differ between PostgreSQL and SQLite."""

import contextlib
import functools
import itertools
import zlib
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, connections, models, router


def serialize_on(key: str) -> None:
    """Serialize concurrent transactions that check-then-insert on the same ``key``.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, every transaction is
    BEGIN IMMEDIATE (settings) and so already holds the database's single write lock.
    Call inside ``transaction.atomic()``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode()) - 2**31])


@contextlib.contextmanager
def try_lock(key: str):
    """Yield whether this process got the lock named ``key``, held until the block ends — for a job that
    one process at a time should run. PostgreSQL: a session advisory lock, which a process that dies
    gives back with its connection (a lock kept in a table or cache would outlive it). SQLite: always
    granted; every write already takes the database's single write lock, so such a job must be safe to
    run twice at once."""
    if connection.vendor != "postgresql":
        yield True
        return
    number = zlib.crc32(key.encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got and connection.connection is not None:  # a closed connection has given it back already
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [number])


def skip_locked(queryset):
    """Lock the selected rows, passing over rows another transaction holds (PostgreSQL)."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def refresh_statistics(*models_: type[models.Model]) -> None:
    """ANALYZE ``models_``' tables, after a bulk load: until then the planner knows nothing of the rows
    (PostgreSQL's autovacuum looks a minute or more later; SQLite never does), and the first queries
    after a load — a demo's evening, the peak it starts at — scan a day's tickets where the index of
    the waiting ones serves. Inside a transaction the new statistics count from its commit."""
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def insert_rows(rows: list, *, ids: bool = False, batch_size: int = 2000) -> None:
    """Insert unsaved rows of one model, built by their constructors, in bulk: one INSERT executed for
    many rows, each value adapted for the database as ``save`` does. With ``ids`` the rows are given
    their ids (after the table's highest) and the table's id sequence is moved past them; only while
    nothing else inserts into the table (a bulk load before the demo serves).

    For bulk loads (the demo's history) where ``bulk_create``'s per-value work would take most of the
    time. Not for fields with a custom ``pre_save`` (``auto_now`` is honoured); a foreign key may name a row
    saved after it was assigned."""
    if not rows:
        return
    meta = rows[0]._meta
    db = connections[router.db_for_write(meta.model)]  # the wrapper itself: the proxy costs per value
    fields = [f for f in meta.concrete_fields if not f.primary_key or ids]
    if ids:
        first = (meta.model.objects.using(db.alias).aggregate(last=models.Max("pk"))["last"] or 0) + 1
        for n, row in enumerate(rows):
            row.pk = first + n
            row._state.adding, row._state.db = False, db.alias
    plan = value_plan(fields, db)
    _execute_inserts(db, meta, fields, (planned_values(plan, row, True) for row in rows), batch_size)
    if ids:
        with db.cursor() as cursor:
            for statement in db.ops.sequence_reset_sql(no_style(), [meta.model]):
                cursor.execute(statement)


def insert_values(model, names: list[str], rows, *, batch_size: int = 2000) -> None:
    """Insert rows given as tuples of values of the fields ``names`` (attnames: ``hall_id``), adapted as
    ``save`` adapts them — ``insert_rows`` without building model instances (the analytics rollups)."""
    meta = model._meta
    db = connections[router.db_for_write(model)]
    fields = [meta.get_field(name) for name in names]
    # Only the columns that need it are adapted: a rollup row has 38 values, three of them to adapt.
    adapters = [(n, adapt) for n, adapt in enumerate(db_adapter(f, db) for f in fields) if adapt is not None]

    def adapted(row):
        if len(row) != len(fields):
            raise ValueError(f"{len(row)} values for {len(fields)} columns")
        row = list(row)
        for n, adapt in adapters:
            if row[n] is not None:
                row[n] = adapt(row[n])
        return row

    _execute_inserts(db, meta, fields, map(adapted, rows), batch_size)


def _execute_inserts(db, meta, fields, values, batch_size: int) -> None:
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    if db.vendor == "postgresql":
        # COPY: psycopg's compiled dumpers stream the rows; an INSERT a row, even pipelined, quotes every
        # value in Python (a rollup catch-up spent more time writing rows than computing them).
        copy_sql = f"COPY {db.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with db.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in values:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    values = iter(values)
    with db.cursor() as cursor:
        while batch := list(itertools.islice(values, batch_size)):
            cursor.executemany(sql, batch)


def value_plan(fields, db) -> list[tuple]:
    """How each of ``fields`` is read off a row about to be written, as ``save`` reads it: its attname; its
    relation's name (a related row assigned before it was saved: its id is read now); the field when its
    ``pre_save`` sets the value (``auto_now``); how the value goes to the database (``db_adapter``)."""
    return [
        (
            f.attname,
            f.name if f.is_relation else None,
            f if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else None,
            db_adapter(f, db),
        )
        for f in fields
    ]


def planned_values(plan: list[tuple], row, adding: bool) -> list:
    """The values of ``row`` for the columns of ``value_plan``, ready for the database."""
    out = []
    for attname, relation, pre_saved, adapt in plan:
        value = pre_saved.pre_save(row, adding) if pre_saved is not None else getattr(row, attname)
        if value is None and relation is not None:
            related = row._state.fields_cache.get(relation)
            value = related.pk if related is not None else None
        out.append(adapt(value) if adapt is not None and value is not None else value)
    return out


def db_adapter(field, db):
    """How a value of ``field`` goes to the database, or None when it goes as it is."""
    if isinstance(field, models.DateTimeField):
        return db.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return db.ops.adapt_datefield_value
    if isinstance(field, (models.TimeField, models.DecimalField, models.JSONField)):
        return lambda value: field.get_db_prep_save(value, db)
    return None


def load_timestamps_fast(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection (``connection_created``): ``timestamptz`` values parsed by
    ``datetime.fromisoformat`` (C) instead of psycopg's parser in Python behind Django's time-zone loader —
    about 0.3 µs a value instead of 12, the largest single cost of reading events in bulk (a rollup
    catch-up spent a third of its time there). The values are the same instants in the same zone."""
    if connection.vendor == "postgresql":
        from psycopg.pq import Format

        loader, adapters = _fast_tz_loader(connection.timezone), connection.connection.adapters
        # A pooled connection is "created" again at each checkout: once registered, it stays.
        if adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT) is not loader:
            adapters.register_loader("timestamptz", loader)


@functools.cache
def _fast_tz_loader(zone):
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class FastTzLoader(BaseTzLoader):
        timezone = zone  # Django's cursor() re-registers its own loader when this differs

        def load(self, data):
            try:
                value = datetime.fromisoformat(bytes(data).decode())
            except ValueError:  # infinity, years BC or past 9999: psycopg's parser says what they are
                return super().load(data)
            return value.astimezone(zone) if zone is not None else value.replace(tzinfo=None)

    return FastTzLoader
