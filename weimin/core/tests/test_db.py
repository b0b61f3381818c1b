"""`core.db.insert_rows`: bulk loads that read back as `save` would have written them."""

import pytest

from weimin.core.db import insert_rows
from weimin.halls.models import District, Hall

pytestmark = pytest.mark.django_db


def test_rows_inserted_with_their_ids_leave_the_id_sequence_after_them():
    District.objects.create(code="futian", name="福田区")
    districts = [District(code="longgang", name="龙岗区"), District(code="nanshan", name="南山区")]
    insert_rows(districts, ids=True)
    assert [d.pk for d in districts] == list(
        District.objects.filter(code__in=["longgang", "nanshan"]).values_list("pk", flat=True)
    )
    assert District.objects.create(code="baoan", name="宝安区").pk > max(
        d.pk for d in districts
    )  # PostgreSQL's sequence too


def test_a_foreign_key_may_name_a_row_saved_after_it_was_assigned():
    district = District(code="longgang", name="龙岗区")
    hall = Hall(district=district, code="pinghu", name="平湖街道行政服务大厅", kind="subdistrict")
    insert_rows([district], ids=True)
    insert_rows([hall])
    assert Hall.objects.get(code="pinghu").district == district


@pytest.mark.django_db(transaction=True)
def test_a_lock_one_process_holds_is_refused_to_another_and_given_back():
    import threading

    from django.db import connection

    from weimin.core.db import try_lock

    if connection.vendor != "postgresql":
        with try_lock("job") as got:
            assert got  # SQLite: granted (the job must be safe to run twice)
        return
    answers = []

    def other():
        with try_lock("job") as got:
            answers.append(got)
        connection.close()

    with try_lock("job") as got:
        assert got
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert answers == [False, True]


def test_postgresql_timestamps_read_fast_are_the_same_instants():
    from datetime import UTC, datetime, timedelta, timezone

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's timestamps are Django's own text")
    values = ["2017-12-08 09:00:00.123456+08", "2017-12-08 09:00:00+08", "1900-01-01 00:00:00+00",
              "0001-01-01 12:00+00"]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("%s::timestamptz" for _ in values), values)
        row = cursor.fetchone()
        loader = cursor.cursor.adapters.get_loader(cursor.cursor.adapters.types["timestamptz"].oid, 0)
    assert loader.__name__ == "FastTzLoader"
    china = timezone(timedelta(hours=8))
    assert list(row) == [
        datetime(2017, 12, 8, 9, 0, 0, 123456, china), datetime(2017, 12, 8, 9, tzinfo=china),
        datetime(1900, 1, 1, tzinfo=UTC), datetime(1, 1, 1, 12, tzinfo=UTC),
    ]  # fmt: skip
    assert all(value.tzinfo is UTC for value in row)


def test_a_row_of_values_must_have_one_value_per_column():
    from weimin.core.db import insert_values

    with pytest.raises(ValueError, match="2 values for 3 columns"):
        insert_values(District, ["id", "code", "name"], [(1, "futian")])
