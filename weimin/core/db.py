"""Database helpers that differ between PostgreSQL and SQLite."""

import zlib

from django.db import connection


def serialize_on(key: str) -> None:
    """Serialize concurrent transactions that check-then-insert on the same ``key``.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, every transaction is
    BEGIN IMMEDIATE (settings) and so already holds the database's single write lock.
    Call inside ``transaction.atomic()``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode()) - 2**31])


def skip_locked(queryset):
    """Lock the selected rows, passing over rows another transaction holds (PostgreSQL)."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset
