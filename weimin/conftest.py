"""Fixtures shared by every app's tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from weimin.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    """'2017-12-08 18:30' in the halls' time zone → aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def real_clock():
    """Every test starts and ends on the real clock."""
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def freeze():
    """``freeze('2017-12-08 18:30')`` stops weimin's clock at that hall-local instant."""

    def _freeze(text: str) -> datetime:
        instant = local(text)
        clock.freeze(instant)
        return instant

    return _freeze


@pytest.fixture
def district(db):
    from weimin.halls.models import District

    return District.objects.create(code="longgang", name="龙岗区")


@pytest.fixture
def hall(district):
    """The district hall with the article's two schedules (extended service from 2017-10-23)."""
    from weimin.demo.seed import seed_schedules
    from weimin.halls.choices import HallKind
    from weimin.halls.models import Hall

    hall = Hall.objects.create(district=district, code="longgang-district", name="龙岗区行政服务大厅",
                               kind=HallKind.DISTRICT)
    seed_schedules(hall)
    return hall


@pytest.fixture
def item(db):
    from weimin.halls.models import Department, ItemCategory, Material, ServiceItem

    item = ServiceItem.objects.create(
        code="fire-acceptance", name="建设工程消防验收",
        department=Department.objects.create(code="fire", name="区公安消防大队"),
        category=ItemCategory.objects.create(code="fire", name="消防审批", ticket_prefix="B"),
        handling_minutes=30, promised_days=15, statutory_days=20,
    )
    Material.objects.create(item=item, position=1, name="建设工程消防验收申报表")
    Material.objects.create(item=item, position=2, name="消防产品质量合格证明文件", tolerance_eligible=True)
    Material.objects.create(item=item, position=3, name="委托书", required=False)
    return item


@pytest.fixture
def window(hall, item):
    from weimin.halls.models import Window

    window = Window.objects.create(hall=hall, number=5)
    window.items.add(item)
    return window
