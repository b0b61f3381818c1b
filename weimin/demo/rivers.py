"""The demo's rivers (河道水质): Pinghu's black-odorous rivers, 木古河 among them, and one of Longgang's, with
samples twice a week (Tuesdays and Fridays) at every point from the first week of 2017 to the demo clock's
day, and a few satisfaction surveys. Deterministic (a seeded generator) and idempotent (a body that has
samples is left as it is).

The water follows a simple documented model: each river is black-odorous until its banks are cleared and its
sewage intercepted, then improves linearly over the weeks the riverside buildings come down (木古河: from
2017-11-06, when the article's temporary party branches were founded, to early December); downstream points
are a little worse. A badness b (0 clean … 1 worst) sets every indicator, with measurement noise:
transparency 45 − 40b cm (at most the depth), dissolved oxygen 6 − 6.2b mg/L, ORP 180 − 420b mV,
NH3-N 1 + 19b mg/L.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from weimin.rivers.models import MonitoringPoint, Reach, Sample, Survey, WaterBody

FIRST_SAMPLE = date(2017, 1, 3)
LAST_SAMPLE = date(2017, 12, 8)  # the demo clock's day (demo/management/commands/demo.py)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class RiverSpec:
    code: str
    name: str
    subdistrict: str
    reaches: tuple[tuple[str, int, int], ...]  # name, from m, to m
    chainages: tuple[int, ...]
    before: float  # badness before the works
    after: float  # … once they are done
    works: tuple[date, date]  # improvement from … to
    shallow: tuple[int, ...] = ()  # indices of points in water under 25 cm


RIVERS = (
    RiverSpec("mugu", "木古河", "平湖街道", (("上游段", 0, 1200), ("中游段", 1200, 2400), ("下游段", 2400, 3600)),
              tuple(range(100, 3600, 400)), 0.9, 0.18, (date(2017, 11, 6), date(2017, 12, 4))),
    RiverSpec("shanxia", "山厦河", "平湖街道", (("上游段", 0, 1200), ("下游段", 1200, 2400)),
              tuple(range(100, 2400, 400)), 0.85, 0.0, (date(2017, 4, 10), date(2017, 6, 20))),
    RiverSpec("egongling", "鹅公岭河", "平湖街道", (("干流", 0, 2000),),
              tuple(range(150, 2000, 400)), 0.82, 0.15, (date(2017, 9, 4), date(2017, 10, 30))),
    RiverSpec("bainikeng", "白泥坑河", "平湖街道", (("干流", 0, 1500),),
              (100, 500, 1200, 1450), 0.95, 0.3, (date(2017, 11, 27), date(2018, 1, 31)), shallow=(3,)),
    RiverSpec("dingshan", "丁山河", "龙岗街道", (("上游段", 0, 1400), ("下游段", 1400, 2800)),
              tuple(range(200, 2800, 500)), 0.8, 0.0, (date(2017, 6, 1), date(2017, 8, 20))),
)  # fmt: skip

# (river, from, to, returned, valid, satisfied, note)
SURVEYS = (
    ("mugu", date(2017, 3, 13), date(2017, 3, 19), 168, 150, 62, "整治前基线调查"),
    ("shanxia", date(2017, 10, 16), date(2017, 10, 22), 140, 132, 124, "沿河 1.5 公里内入户问卷"),
    ("dingshan", date(2017, 11, 20), date(2017, 11, 26), 118, 108, 99, "沿河 1.5 公里内入户问卷"),
    ("egongling", date(2017, 11, 27), date(2017, 12, 3), 104, 96, 90, "有效问卷未满 100 份，需补充调查"),
)


def badness(spec: RiverSpec, day: date) -> float:
    start, end = spec.works
    if day <= start:
        return spec.before
    if day >= end:
        return spec.after
    done = (day - start).days / (end - start).days
    return spec.before + (spec.after - spec.before) * done


def reading(b: float, depth: float, rng: random.Random) -> dict[str, Decimal]:
    def noisy(value: float, spread: float) -> float:
        return value + rng.gauss(0, spread)

    b = min(max(noisy(b, 0.06), 0.0), 1.05)
    transparency = min(max(noisy(45 - 40 * b, 2.0), 1.0), depth)
    return {
        "depth_cm": Decimal(f"{depth:.1f}"),
        "transparency_cm": Decimal(f"{transparency:.1f}"),
        "do_mg_l": Decimal(f"{max(noisy(6 - 6.2 * b, 0.25), 0.05):.2f}"),
        "orp_mv": Decimal(f"{noisy(180 - 420 * b, 15):.1f}"),
        "nh3n_mg_l": Decimal(f"{max(noisy(1 + 19 * b, 1.0), 0.1):.2f}"),
    }


def seed_rivers(last: date = LAST_SAMPLE) -> int:
    """The demo's rivers, points, samples up to ``last`` and surveys; returns the samples added."""
    rng = random.Random(2017_11_06)
    river_office = get_user_model().objects.filter(username="river").first()
    added = 0
    for position, spec in enumerate(RIVERS):
        body, _created = WaterBody.objects.update_or_create(
            code=spec.code,
            defaults={"name": spec.name, "subdistrict": spec.subdistrict, "length_m": spec.reaches[-1][2],
                      "position": position},
        )  # fmt: skip
        if Sample.objects.filter(point__reach__body=body).exists():
            continue
        reaches = [Reach.objects.get_or_create(body=body, name=n, defaults={"start_m": a, "end_m": b})[0]
                   for n, a, b in spec.reaches]  # fmt: skip
        points = []
        for n, chainage in enumerate(spec.chainages):
            reach = next(r for r in reaches if r.start_m <= chainage < r.end_m)
            code = f"{spec.code.upper()[:3]}-{n + 1:02d}"
            point, _created = MonitoringPoint.objects.get_or_create(
                code=code, defaults={"reach": reach, "chainage_m": chainage}
            )
            points.append(point)
        depths = [18.0 if n in spec.shallow else rng.uniform(40, 90) for n in range(len(points))]
        samples = []
        day = FIRST_SAMPLE
        while day <= last:
            at = datetime.combine(day, time(17), SHANGHAI)
            for n, point in enumerate(points):
                downstream = 0.08 * (n / max(len(points) - 1, 1) - 0.5)
                values = reading(
                    badness(spec, day) + downstream, depths[n] + rng.uniform(-5, 5) * (n not in spec.shallow), rng
                )
                samples.append(Sample(point=point, taken_on=day, sampler="平湖治水办 采样组", recorded_by=river_office,
                                      recorded_at=at, **values))  # fmt: skip
            day += timedelta(days=3 if day.weekday() == 1 else 4)  # Tuesday → Friday → Tuesday
        Sample.objects.bulk_create(samples, batch_size=1000)
        added += len(samples)
    for code, first, to, returned, valid, satisfied, note in SURVEYS:
        body = WaterBody.objects.get(code=code)
        if not body.surveys.filter(held_from=first).exists():
            Survey.objects.create(body=body, held_from=first, held_to=to, responses=returned, valid=valid,
                                  satisfied=satisfied, note=note, recorded_by=river_office,
                                  recorded_at=datetime.combine(to, time(18), SHANGHAI))  # fmt: skip
    return added
