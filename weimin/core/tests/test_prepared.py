"""Prepared querysets answer exactly what the queryset would, on both databases, compiling once."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.sql.compiler import SQLCompiler

from weimin.core import clock
from weimin.core.prepared import PreparedQuery, save_row
from weimin.tickets import actions
from weimin.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def waiting(hall_id, business_date, limit):
    return (
        Ticket.objects.filter(hall_id=hall_id, business_date=business_date, status="waiting")
        .annotate(lane=ExpressionWrapper(~Q(priority=""), output_field=BooleanField()))
        .order_by("id")
        .values_list("id", "number", "lane", "queued_at")[:limit]
    )


WAITING = PreparedQuery(
    waiting, hall_id=Ticket._meta.get_field("hall"), business_date=Ticket._meta.get_field("business_date")
)
BY_NUMBER = PreparedQuery(lambda number: Ticket.objects.filter(number=number), number=Ticket._meta.get_field("number"))


@pytest.fixture
def tickets(hall, item, window, freeze):
    freeze("2017-12-08 10:00")
    issued = [actions.issue_ticket(hall, item, clock.now(), priority=p).ticket for p in ("", "elderly", "")]
    return issued


def test_rows_are_the_querysets_rows_with_new_values_each_time(tickets, hall):
    day = tickets[0].business_date
    for limit in (1, 3):
        expected = list(waiting(hall.pk, day, limit))
        assert WAITING.rows(hall_id=hall.pk, business_date=day, shape={"limit": limit}) == expected
    # Converted as the queryset converts them: booleans and aware datetimes on SQLite too.
    _, number, lane, queued_at = WAITING.rows(hall_id=hall.pk, business_date=day, shape={"limit": 3})[1]
    assert (number, lane) == (tickets[1].number, True) and queued_at == tickets[1].queued_at
    assert isinstance(queued_at, datetime) and queued_at.tzinfo is not None
    assert WAITING.rows(hall_id=hall.pk, business_date=day + timedelta(days=1), shape={"limit": 3}) == []
    assert WAITING.rows(hall_id=hall.pk + 1000, business_date=day, shape={"limit": 3}) == []


def test_objects_are_model_instances_as_the_database_has_them(tickets):
    (found,) = BY_NUMBER.objects(number=tickets[2].number)
    assert isinstance(found, Ticket) and found.pk == tickets[2].pk and not found._state.adding
    assert found.queued_at == tickets[2].queued_at and found.business_date == tickets[2].business_date
    assert BY_NUMBER.objects(number="Z999") == []


def test_the_sql_is_compiled_once_per_shape(tickets, hall):
    query = PreparedQuery(
        waiting, hall_id=Ticket._meta.get_field("hall"), business_date=Ticket._meta.get_field("business_date")
    )
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled:
        for _ in range(3):
            query.rows(hall_id=hall.pk, business_date=date(2017, 12, 8), shape={"limit": 2})
        assert compiled.call_count == 1
        query.rows(hall_id=hall.pk, business_date=date(2017, 12, 8), shape={"limit": 5})
        assert compiled.call_count == 2


def test_a_parameter_that_does_not_reach_the_sql_as_it_is_given_is_refused(db):
    # startswith sends "A0%": the value cannot simply be put in the marker's place.
    broken = PreparedQuery(
        lambda number: Ticket.objects.filter(number__startswith=number), number=Ticket._meta.get_field("number")
    )
    with pytest.raises(ValueError, match="number"):
        broken.rows(number="A0")


def test_a_row_saved_is_what_djangos_save_writes_without_compiling_again(tickets, hall, window, clerk):
    ticket = tickets[0]
    event = TicketEvent(ticket=ticket, hall_id=hall.pk, business_date=ticket.business_date, kind="called",
                        at=clock.now(), actor=clerk, window=window, detail={"note": "第一 ✓"})  # fmt: skip
    save_row(event)  # new: inserted, its id set
    assert event.pk and not event._state.adding
    ticket.status, ticket.window, ticket.called_by, ticket.recalls = "called", window, clerk, 2
    ticket.called_at = clock.now() + timedelta(minutes=1)
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")) as compiling:
        save_row(ticket)  # every column updated
        save_row(TicketEvent(ticket=ticket, hall_id=hall.pk, business_date=ticket.business_date, kind="recalled",
                             at=clock.now(), detail={}))  # fmt: skip
    assert not compiling.called
    stored = Ticket.objects.get(pk=ticket.pk)
    assert [getattr(stored, f.attname) for f in Ticket._meta.concrete_fields] == [
        getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields
    ]
    read = TicketEvent.objects.get(pk=event.pk)
    assert (read.ticket_id, read.kind, read.actor_id, read.window_id, read.detail) == (
        ticket.pk, "called", clerk.pk, window.pk, {"note": "第一 ✓"}
    )  # fmt: skip


def test_a_row_saved_must_exist_and_its_model_have_no_save_signals(tickets, hall):
    gone = Ticket.objects.get(pk=tickets[0].pk)
    Ticket.objects.filter(pk=gone.pk).delete()
    with pytest.raises(DatabaseError, match="not in the database"):
        save_row(gone)
    with pytest.raises(TypeError, match="save signals"):
        save_row(hall)  # the reference data forgets itself on a hall's post_save


def test_rows_ahead_are_saved_with_the_statement_that_follows_them_or_not_at_all(
    tickets, hall, window, clerk, statements
):
    """``RowsAhead`` (issue 15): on PostgreSQL one statement writes the rows and the hall's version; on SQLite
    a statement each. Either way the rows are saved as ``save_row`` saves them, and a row that is gone
    fails the lot: nothing of it is written."""
    from django.db import connection, transaction

    from weimin.core.prepared import RowsAhead
    from weimin.tickets import changes
    from weimin.tickets.models import HallVersion

    ticket = Ticket.objects.get(pk=tickets[0].pk)
    ticket.status, ticket.window, ticket.called_by, ticket.called_at = "called", window, clerk, clock.now()
    event = TicketEvent(ticket=ticket, hall_id=hall.pk, business_date=ticket.business_date, kind="called",
                        at=clock.now(), actor=clerk, window=window, detail={"note": "第一 ✓"})  # fmt: skip
    before = HallVersion.objects.get(pk=hall.pk).version
    with transaction.atomic(), statements() as sql:
        version = changes.bump(hall.pk, {"kind": "called"}, RowsAhead(ticket, event))
    assert version == before + 1 == HallVersion.objects.get(pk=hall.pk).version
    assert len([s for s in sql if "SAVEPOINT" not in s]) == (1 if connection.vendor == "postgresql" else 3)
    assert event.pk and not event._state.adding and not ticket._state.adding
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.window_id, stored.called_by_id) == ("called", window.pk, clerk.pk)
    read = TicketEvent.objects.get(pk=event.pk)
    assert (read.ticket_id, read.kind, read.window_id) == (ticket.pk, "called", window.pk)
    assert read.detail == {"note": "第一 ✓"}

    gone = Ticket.objects.get(pk=tickets[1].pk)
    Ticket.objects.filter(pk=gone.pk).delete()
    gone.status = "called"
    events = TicketEvent.objects.count()
    late = TicketEvent(ticket=tickets[2], hall_id=hall.pk, business_date=ticket.business_date, kind="recalled",
                       at=clock.now(), detail={})  # fmt: skip
    with pytest.raises(DatabaseError, match="not in the database"), transaction.atomic():
        changes.bump(hall.pk, {"kind": "called"}, RowsAhead(gone, late))
    assert HallVersion.objects.get(pk=hall.pk).version == version and TicketEvent.objects.count() == events
