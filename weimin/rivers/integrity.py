"""The rivers' invariants for ``weimin integrity``: every point lies on its reach, a body's reaches do not
overlap, and every sample on file is physically possible (the import and the form refuse others, so one
here came round them: the back office or a direct write)."""

from django.db.models import F

from weimin.rivers.models import MonitoringPoint, Reach, Sample
from weimin.rivers.rules import PHYSICAL_RANGE


def problems():
    outside = MonitoringPoint.objects.exclude(chainage_m__gte=F("reach__start_m"), chainage_m__lte=F("reach__end_m"))
    for point in outside.select_related("reach"):
        yield {
            "check": "point_on_reach",
            "point": point.code,
            "detail": f"{point.code} at {point.chainage_m} m lies outside its reach "
            f"{point.reach.start_m}–{point.reach.end_m} m",
        }
    previous = None
    for reach in Reach.objects.order_by("body_id", "start_m"):
        if previous is not None and previous.body_id == reach.body_id and reach.start_m < previous.end_m:
            yield {
                "check": "reaches_apart",
                "reach": reach.pk,
                "detail": f"reach {reach.name} starts at {reach.start_m} m, inside {previous.name} "
                f"(to {previous.end_m} m)",
            }
        previous = reach
    impossible = Sample.objects.filter(transparency_cm__gt=F("depth_cm"))
    for name, (low, high) in PHYSICAL_RANGE.items():
        impossible = (
            impossible | Sample.objects.filter(**{f"{name}__lt": low}) | Sample.objects.filter(**{f"{name}__gt": high})
        )
    for sample in impossible.select_related("point"):
        yield {
            "check": "sample_possible",
            "sample": sample.pk,
            "detail": f"{sample.point.code} on {sample.taken_on}: a value outside its physical range",
        }
