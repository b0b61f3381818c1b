"""Recording samples and surveys (rivers/actions.py), and what the queries make of them: a body's class over
a period, month by month, its progress to elimination and the district's rate."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.rivers import actions, queries
from weimin.rivers.models import MonitoringPoint, Sample, Survey
from weimin.rivers.rules import BodyClass, Thresholds
from weimin.rivers.tests.conftest import CLEAN, SEVERE, sampled, weekly

pytestmark = pytest.mark.django_db

NOW_TEXT = "2017-12-08 18:30"
TODAY = date(2017, 12, 8)


@pytest.fixture
def now(freeze):
    return freeze(NOW_TEXT)


def test_a_sample_is_recorded_and_impossible_values_refused_naming_the_field(river, river_office, now):
    point = MonitoringPoint.objects.get(code="MG-1")
    sample = actions.record_sample(river_office, point, "2017-12-08", CLEAN, "张三", now)
    assert (sample.taken_on, sample.do_mg_l, sample.recorded_by) == (TODAY, 5, river_office)
    with pytest.raises(Refused) as twice:
        actions.record_sample(river_office, point, "2017-12-08", CLEAN, "张三", now)
    assert twice.value.field == "date"
    for field, value in [("do_mg_l", "-0.1"), ("nh3n_mg_l", "900"), ("transparency_cm", "61"), ("depth_cm", "0")]:
        with pytest.raises(InvalidInput) as refused:
            actions.record_sample(river_office, point, "2017-12-07", {**CLEAN, field: value}, "张三", now)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as future:
        actions.record_sample(river_office, point, "2017-12-09", CLEAN, "张三", now)
    assert future.value.field == "date"
    with pytest.raises(InvalidInput) as nobody:
        actions.record_sample(river_office, point, "2017-12-07", CLEAN, " ", now)
    assert nobody.value.field == "sampler"
    assert Sample.objects.count() == 1


def test_only_the_river_office_records(river, make_staff, now):
    office = make_staff("office", "district_office", halls=[])
    with pytest.raises(NotPermitted):
        actions.record_sample(office, MonitoringPoint.objects.first(), "2017-12-08", CLEAN, "张三", now)


HEADER = ["body", "point", "date", "depth_cm", "transparency_cm", "do_mg_l", "orp_mv", "nh3n_mg_l", "sampler"]


def row(point, day, values=CLEAN, body="mugu", sampler=""):
    return [body, point, day, *(values[k] for k in HEADER[3:8]), sampler]


def test_an_import_is_all_or_nothing_with_every_bad_row_reported(river, river_office, now):
    rows = [
        HEADER,
        row("MG-1", "2017-12-01"),
        row("MG-2", "2017-12-01", {**CLEAN, "orp_mv": "-5000"}),
        row("MG-9", "2017-12-01"),
        row("MG-3", "2017-12-01", body="shanxia"),
        row("MG-4", "2017-12-31"),
        row("MG-5", "2017-12-01"),
        row("MG-5", "2017-12-01"),
    ]
    result = actions.import_samples(river_office, rows, "李四", now)
    assert result.created == 0 and Sample.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "orp_mv"), (4, "point"), (5, "body"), (6, "date"), (8, "date"),
    ]  # fmt: skip
    good = [HEADER, row("MG-1", "2017-12-01"), row("MG-2", "2017-12-01", sampler="王五")]
    assert actions.import_samples(river_office, good, "李四", now).created == 2
    assert sorted(Sample.objects.values_list("sampler", flat=True)) == ["李四", "王五"]
    again = actions.import_samples(river_office, good[:2], "李四", now)
    assert [(e.row, e.column) for e in again.errors] == [(2, "date")]  # already on file


def test_an_import_reads_the_commands_columns_too(river, river_office, now):
    from weimin.rivers.rows import read_csv

    text = "body,point,chainage_m,date,depth_cm,transparency_cm,do_mg_l,orp_mv,nh3n_mg_l\n"
    text += "mugu,MG-1,100,2017-12-01,60,40,5,120,2\nmugu,MG-2,999,2017-12-01,60,40,5,120,2\n"
    result = actions.import_samples(river_office, read_csv(text.encode()), "李四", now)
    assert [(e.row, e.column) for e in result.errors] == [(3, "chainage_m")]


def test_the_body_over_a_period_month_by_month_and_its_progress(river, river_office, now):
    # Severe at four of five points until the end of October, clean since.
    bad_days = [d for d in weekly(date(2017, 10, 31), 12)]
    sampled(river, {f"MG-{n}": SEVERE for n in (1, 2, 3, 4)} | {"MG-5": CLEAN}, bad_days, now)
    sampled(river, {f"MG-{n}": CLEAN for n in range(1, 6)}, weekly(TODAY, 5), now)
    october = queries.body_status(river, date(2017, 10, 1), date(2017, 10, 31))
    assert october.klass is BodyClass.SEVERE
    assert [s.points for s in october.result.stretches] == [("MG-1", "MG-2", "MG-3", "MG-4")]
    report = queries.body_report(river, None, TODAY, TODAY)
    assert report.progress.now.klass is BodyClass.NONE
    assert report.progress.last_black_odorous == date(2017, 10, 31)
    assert report.progress.clear.klass is BodyClass.SEVERE  # the last 90 days include October
    assert not report.progress.clear_for_period and not report.progress.eliminated
    assert [(m.start.month, m.status.klass) for m in report.months][-3:] == [
        (10, BodyClass.SEVERE), (11, BodyClass.NONE), (12, BodyClass.INSUFFICIENT_DATA),
    ]  # fmt: skip


def test_a_body_is_eliminated_when_clear_for_the_period_and_the_survey_passed(river, river_office, now, settings):
    settings.WEIMIN_RIVERS_CLEAR_DAYS = 30
    sampled(river, {f"MG-{n}": SEVERE for n in range(1, 6)}, weekly(date(2017, 10, 31), 4), now)
    sampled(river, {f"MG-{n}": CLEAN for n in range(1, 6)}, weekly(TODAY, 5), now)
    assert queries.district(TODAY).rate.eliminated == 0  # no survey yet
    with pytest.raises(InvalidInput) as refused:
        actions.record_survey(river_office, river, TODAY - timedelta(days=7), TODAY, 120, 130, 100, "", now)
    assert refused.value.field == "valid"
    actions.record_survey(river_office, river, TODAY - timedelta(days=7), TODAY, 130, 99, 99, "", now)
    district = queries.district(TODAY)
    assert district.bodies[0].survey.result.verdict == "too_few_valid"
    assert not district.bodies[0].eliminated
    actions.record_survey(river_office, river, TODAY - timedelta(days=3), TODAY, 130, 120, 110, "入户问卷", now)
    district = queries.district(TODAY)
    assert district.bodies[0].eliminated and district.rate.rate == 1 and district.rate.met
    assert Survey.objects.count() == 2


def test_integrity_finds_a_point_off_its_reach_and_an_impossible_sample(river, now):
    from weimin.rivers import integrity

    assert list(integrity.problems()) == []
    MonitoringPoint.objects.filter(code="MG-1").update(chainage_m=5000)
    point = MonitoringPoint.objects.get(code="MG-2")
    Sample.objects.create(point=point, taken_on=TODAY, sampler="x", recorded_at=now, **{**CLEAN, "do_mg_l": "30"})
    assert sorted(p["check"] for p in integrity.problems()) == ["point_on_reach", "sample_possible"]


def test_every_threshold_comes_from_its_setting(river, now, settings):
    assert queries.thresholds() == Thresholds()  # the guideline's values by default
    settings.WEIMIN_RIVERS_NH3N_SEVERE_MG_L = "20"
    settings.WEIMIN_RIVERS_MIN_READINGS = 4
    changed = queries.thresholds()
    assert (changed.nh3n_severe_mg_l, changed.min_readings) == (D("20"), 4)
    sampled(river, {"MG-1": {**CLEAN, "nh3n_mg_l": "18"}}, weekly(TODAY, 4), now)
    point = queries.body_status(river, None, TODAY).points[0]
    assert point.classified.klass is BodyClass.LIGHT  # 18 mg/L: severe by the guideline, light under 20


def test_an_import_refuses_nul_characters_naming_row_and_column(river, river_office, now):
    """A CSV may carry NUL bytes, which PostgreSQL refuses in text: a row error, not a 500."""
    from weimin.rivers.rows import read_csv

    lines = [",".join(HEADER), "mugu,MG-\x001,2017-12-01,60,40,5,120,2,", "mugu,MG-2,2017-12-01,60,40,5,120,2,李\x00"]
    rows = read_csv("\n".join(lines).encode())
    result = actions.import_samples(river_office, rows, "李四", now)
    assert [(e.row, e.column) for e in result.errors] == [(2, "point"), (3, "sampler")]
    assert Sample.objects.count() == 0


def test_a_double_taps_twin_committed_after_the_check_is_refused_not_a_500(river, river_office, now, monkeypatch):
    from django.db.models import QuerySet

    point = MonitoringPoint.objects.get(code="MG-1")
    actions.record_sample(river_office, point, "2017-12-08", CLEAN, "张三", now)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)  # the twin's check ran before the first insert
    with pytest.raises(Refused) as twice:
        actions.record_sample(river_office, point, "2017-12-08", CLEAN, "张三", now)
    assert twice.value.field == "date" and Sample.objects.count() == 1


def test_an_empty_or_oversized_table_says_so_and_imports_nothing(river, river_office, now):
    """A header alone was "0 samples imported" (a success); 5001 rows said "date can have at most 5000 characters"."""
    from weimin.rivers.choices import problem_text

    empty = actions.import_samples(river_office, [HEADER, [""] * 9], "李四", now)
    assert [problem_text(e.problem) for e in empty.errors] == ["表格标题行下没有数据。"]
    huge = actions.import_samples(river_office, [HEADER] + [row("MG-1", "2017-12-01")] * 5001, "李四", now)
    assert [problem_text(e.problem) for e in huge.errors] == ["表格超过5000行：请分批导入。"]
    assert Sample.objects.count() == 0


def test_a_survey_submitted_twice_is_recorded_once(river, river_office, now):
    """A double tap on the survey form recorded two identical tallies."""
    actions.record_survey(river_office, river, TODAY - timedelta(days=7), TODAY, 130, 120, 110, "", now)
    with pytest.raises(Refused) as twice:
        actions.record_survey(river_office, river, TODAY - timedelta(days=7), TODAY, 130, 120, 110, "", now)
    assert twice.value.field == "held_from" and Survey.objects.count() == 1
