"""Prepared querysets (预编译查询): a hot query compiled to SQL once per process, run again with new values.

Django builds and compiles a queryset's SQL on every call; on the queue's hot path (a clerk's call, a
visitor's status) that compilation cost more than the database's own work (issue 15, docs/benchmarks.md).
A ``PreparedQuery`` builds its queryset once per database with marker values in place of its parameters,
keeps the SQL, and on each call puts the values — prepared for the database by the field they are compared
with, as the queryset would — where the markers were. Rows come back through the compiler's own converters
(SQLite's datetimes, decimals); ``objects`` makes model instances of a query that selects one model's
columns. Only for queries whose shape never changes with their values: ``__in`` lists, for one, do not
qualify (their SQL grows with the list). Booleans cannot be told from other values: give them as ``shape``.

On PostgreSQL the statement is also prepared on the server (``WEIMIN_PG_PREPARE_THRESHOLD``): the database
plans it once per connection instead of on every call, planning having cost more than running these queries.

``save_row`` is the same for a row written: a model's INSERT or UPDATE of every column, built once per process.
``RowsAhead`` puts such writes at the head of the statement that follows them: on PostgreSQL one round trip.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, connections, models
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save

from weimin.core.db import planned_values, value_plan

_MARKER_BASE = -1_734_000_000  # within a 32-bit column: no real id is negative


def _marker(field: models.Field, index: int):
    """A value no real parameter has, of the field's kind."""
    target = getattr(field, "target_field", field)
    if isinstance(target, models.DateTimeField):
        return datetime(1001, 1, 1, tzinfo=UTC) + timedelta(days=index)
    if isinstance(target, models.DateField):
        return date(1001, 1, 1) + timedelta(days=index)
    if isinstance(target, (models.CharField, models.TextField)):
        return f"\x1fweimin-marker-{index}\x1f"
    if isinstance(target, (models.IntegerField, models.AutoField, models.BigIntegerField)):
        return _MARKER_BASE - index
    raise TypeError(f"no marker for {field!r}: prepare a query on integer, text or date fields only")


class _Compiled:
    def __init__(self, query: models.QuerySet, fields: dict[str, models.Field], markers: dict, alias: str):
        connection = connections[alias]
        self.compiler = query.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        prepared = {name: field.get_db_prep_value(markers[name], connection) for name, field in fields.items()}
        self.slots: list[tuple[str | None, object]] = []
        for value in params:
            name = next((n for n, p in prepared.items() if type(p) is type(value) and p == value), None)
            self.slots.append((name, value))
        unused = set(fields) - {name for name, _ in self.slots}
        if unused:
            raise ValueError(f"parameters {sorted(unused)} do not reach the SQL as plain values")
        self.converters = self.compiler.get_converters([column for column, _, _ in self.compiler.select])
        self.model = query.model
        columns = [column for column, _, _ in self.compiler.select]
        self.attnames = (
            [column.target.attname for column in columns]
            if all(isinstance(c, Col) and c.target.model is query.model for c in columns)
            else None
        )


def cursor_for(connection):
    """Django's cursor (its query log, wrappers and errors); on PostgreSQL one that binds parameters on
    the server, so that psycopg prepares the statement once it has run ``prepare_threshold`` times on the
    connection (settings: Django's other queries keep client-side binding, never prepared)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


class PreparedQuery:
    """``build(**markers, **shape)`` returns the queryset; ``fields`` maps each parameter to the model
    field its value is compared with. ``shape`` values (booleans, limits) are part of the SQL itself:
    each combination is compiled once."""

    def __init__(self, build: Callable[..., models.QuerySet], **fields: models.Field):
        self.build, self.fields = build, fields
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._unlocked)  # see TimedCache._unlocked

    def _unlocked(self) -> None:
        self._lock = threading.Lock()

    def _get(self, using: str, shape: dict) -> _Compiled:
        key = (using, *sorted(shape.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            markers = {name: _marker(field, n) for n, (name, field) in enumerate(self.fields.items())}
            compiled = _Compiled(self.build(**markers, **shape), self.fields, markers, using)
            with self._lock:
                self._compiled[key] = compiled
        return compiled

    def rows(self, *, using: str = "default", shape: dict | None = None, **values) -> list[tuple]:
        """The query's rows (``values_list`` tuples) for ``values``."""
        compiled = self._get(using, shape or {})
        connection = connections[using]
        fields = self.fields
        params = [
            value if name is None else fields[name].get_db_prep_value(values[name], connection)
            for name, value in compiled.slots
        ]
        with cursor_for(connection) as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if compiled.converters:
            found = [tuple(row) for row in compiled.compiler.apply_converters(found, compiled.converters)]
        return found

    def objects(self, *, using: str = "default", shape: dict | None = None, **values) -> list[models.Model]:
        """Model instances, for a query that selects its model's own columns (no ``select_related``)."""
        compiled = self._get(using, shape or {})
        if compiled.attnames is None:
            raise TypeError("objects() needs a query of one model's own columns")
        rows = self.rows(using=using, shape=shape, **values)
        return [compiled.model.from_db(using, compiled.attnames, row) for row in rows]


class _Write:
    """A model's INSERT (``adding``) or UPDATE of all its columns on one database."""

    def __init__(self, model: type[models.Model], alias: str, adding: bool) -> None:
        if pre_save.has_listeners(model) or post_save.has_listeners(model):
            raise TypeError(f"{model.__name__} has save signals: save_row would not send them")
        db, meta = connections[alias], model._meta
        self.pk, self.adding = meta.pk, adding
        fields = [f for f in meta.concrete_fields if f is not self.pk]
        self.plan = value_plan(fields, db)
        table, quote, pk_column = db.ops.quote_name(meta.db_table), db.ops.quote_name, db.ops.quote_name(self.pk.column)
        if adding:
            self.returning = db.features.can_return_columns_from_insert
            self.sql = (
                f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {pk_column}" if self.returning else "")
            )
        else:
            columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            self.sql = f"UPDATE {table} SET {columns} WHERE {pk_column} = %s"
        # As a part of a WITH: what it returns is read by the statement's select list.
        self.returned = f"(SELECT {pk_column} FROM {{}})" if adding else "(SELECT count(*) FROM {})"
        self.part = self.sql if adding else f"{self.sql} RETURNING {pk_column}"

    def params(self, instance: models.Model, connection) -> list:
        params = planned_values(self.plan, instance, self.adding)
        return params if self.adding else [*params, self.pk.get_db_prep_value(instance.pk, connection)]

    def found(self, cursor):
        """What ``written`` needs, from the cursor that ran ``sql``."""
        if not self.adding:
            return cursor.rowcount
        return cursor.fetchone()[0] if self.returning else cursor.lastrowid

    def written(self, instance: models.Model, found, using: str) -> None:
        """``found``: the new row's id (INSERT), or how many rows the UPDATE changed."""
        if self.adding:
            setattr(instance, self.pk.attname, self.pk.to_python(found))
        elif found != 1:
            raise DatabaseError(f"{type(instance).__name__} {instance.pk} is not in the database")
        instance._state.adding, instance._state.db = False, using


_writes: dict[tuple[type, str, bool], _Write] = {}


def _write_of(instance: models.Model, using: str) -> _Write:
    key = (type(instance), using, instance._state.adding)
    write = _writes.get(key)
    if write is None:
        write = _writes[key] = _Write(type(instance), using, instance._state.adding)
    return write


def save_row(instance: models.Model, *, using: str = "default") -> None:
    """``instance.save()`` on the queue's hot path: a new row inserted (its id set), an existing one's every
    column updated, with SQL built once per process (and prepared on PostgreSQL's server) instead of compiled
    on each save. Sends no save signals: refused for a model that has receivers."""
    write, connection = _write_of(instance, using), connections[using]
    with cursor_for(connection) as cursor:
        cursor.execute(write.sql, write.params(instance, connection))
        found = write.found(cursor)
    write.written(instance, found, using)


class RowsAhead:
    """Rows to ``save_row`` ahead of the statement that follows them in the same transaction — on PostgreSQL
    inside it, as data-modifying ``WITH`` parts: the rows and that statement cost one round trip instead of
    one each (a ticket's change, its event and the hall's version: issue 15). Elsewhere each row is saved
    first, one statement each. A row may not refer to another row of the same lot that is not saved yet
    (its id is read when the statement is built)."""

    def __init__(self, *rows: models.Model, using: str = "default") -> None:
        self.rows, self.using = rows, using
        self.writes = [_write_of(row, using) for row in rows]  # each row's INSERT or UPDATE, as it is now

    def head(self) -> tuple[str, list, str]:
        """PostgreSQL: the ``WITH`` parts (``"ahead0 AS (…), ahead1 AS (…), "``) with their parameters, and the
        select-list columns (``", (SELECT …), …"``) whose values go to ``written``."""
        connection = connections[self.using]
        parts, params, returned = [], [], []
        for n, (row, write) in enumerate(zip(self.rows, self.writes, strict=True)):
            parts.append(f"ahead{n} AS ({write.part}), ")
            params += write.params(row, connection)
            returned.append(", " + write.returned.format(f"ahead{n}"))
        return "".join(parts), params, "".join(returned)

    def written(self, found) -> None:
        """The statement ran: ``found`` holds the values of ``head``'s select-list columns."""
        for row, write, value in zip(self.rows, self.writes, found, strict=True):
            write.written(row, value, self.using)

    def save_each(self) -> None:
        for row in self.rows:
            save_row(row, using=self.using)
