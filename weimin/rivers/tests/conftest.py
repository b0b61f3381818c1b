"""A small river for the app's tests: 木古河 with two reaches and five points 400 m apart, and the river
office's person ``he``."""

from datetime import date, timedelta

import pytest

from weimin.rivers.models import MonitoringPoint, Reach, Sample, WaterBody

CLEAN = {"depth_cm": "60", "transparency_cm": "40", "do_mg_l": "5", "orp_mv": "120", "nh3n_mg_l": "2"}
SEVERE = {"depth_cm": "60", "transparency_cm": "8", "do_mg_l": "0.1", "orp_mv": "-250", "nh3n_mg_l": "18"}


@pytest.fixture
def river(db):
    body = WaterBody.objects.create(code="mugu", name="木古河", subdistrict="平湖街道", length_m=2000)
    upper = Reach.objects.create(body=body, name="上游段", start_m=0, end_m=1000)
    lower = Reach.objects.create(body=body, name="下游段", start_m=1000, end_m=2000)
    for n in range(5):
        MonitoringPoint.objects.create(reach=upper if n < 3 else lower, code=f"MG-{n + 1}", chainage_m=n * 400 + 100)
    return body


@pytest.fixture
def river_office(make_staff):
    return make_staff("he", "river_office", halls=[])


def sampled(body, values_by_point: dict[str, dict], days: list[date], now):
    """Samples on ``days`` at the named points (codes → measurements)."""
    for point in MonitoringPoint.objects.filter(reach__body=body):
        values = values_by_point.get(point.code)
        if values is None:
            continue
        for day in days:
            Sample.objects.create(point=point, taken_on=day, sampler="张三", recorded_at=now, **values)


def weekly(last: date, count: int) -> list[date]:
    return [last - timedelta(days=7 * n) for n in range(count)]
