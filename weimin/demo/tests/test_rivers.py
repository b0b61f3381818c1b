"""The demo's rivers: Pinghu's black-odorous rivers with a year of weekly samples, improving as the riverside
buildings come down; the headline figures the river office sees on the demo clock's day."""

from datetime import date

import pytest

from weimin.demo.rivers import seed_rivers
from weimin.rivers import queries
from weimin.rivers.models import Sample, WaterBody
from weimin.rivers.rules import BodyClass

pytestmark = pytest.mark.django_db

DEMO_DAY = date(2017, 12, 8)


def test_the_demo_rivers_improve_as_the_banks_are_cleared():
    added = seed_rivers()
    assert added == Sample.objects.count() > 1000
    assert seed_rivers() == 0  # idempotent
    assert Sample.objects.order_by("taken_on").first().taken_on.year == 2017
    assert Sample.objects.latest("taken_on").taken_on <= DEMO_DAY

    district = queries.district(DEMO_DAY)
    by_code = {p.body.code: p for p in district.bodies}
    assert by_code["mugu"].body.name == "木古河" and set(by_code) >= {"mugu", "shanxia", "bainikeng"}
    # Eliminated: clear for the office's period (90 days) and the residents' survey passed.
    assert {code for code, p in by_code.items() if p.eliminated} == {"shanxia", "dingshan"}
    assert (district.rate.eliminated, district.rate.listed, district.rate.met) == (2, 5, False)
    # 木古河: severe all year until the buildings came down in November, no longer severe now.
    mugu = queries.body_report(WaterBody.objects.get(code="mugu"), None, DEMO_DAY, DEMO_DAY)
    months = {m.start.month: m.status.klass for m in mugu.months}
    assert all(months[month] is BodyClass.SEVERE for month in range(1, 11))
    assert mugu.progress.now.klass is not BodyClass.SEVERE
    assert mugu.progress.last_black_odorous >= date(2017, 11, 1) and not mugu.progress.clear_for_period
    # 白泥坑河's points are too far apart in one place; its works have just begun.
    assert [w.kind for w in by_code["bainikeng"].now.warnings] == ["too_far"]
    assert by_code["bainikeng"].now.klass is BodyClass.SEVERE
    assert by_code["egongling"].survey.result.verdict == "too_few_valid"
