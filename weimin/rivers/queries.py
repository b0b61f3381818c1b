"""Reads the rivers' pages, API, command and other apps share: the thresholds from the settings, each
body's class over a period with its points and stretches, its class month by month, its progress to
elimination, its surveys, and the district's elimination rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.http import Http404

from weimin.campaign import queries as campaign_queries
from weimin.rivers import rules
from weimin.rivers.models import MonitoringPoint, Sample, Survey, WaterBody
from weimin.rivers.rules import BodyClass, BodyResult, Classified, Reading, Thresholds


def thresholds() -> Thresholds:
    """The guideline's numbers as this install sets them (``WEIMIN_RIVERS_*``)."""
    s = settings
    return Thresholds(
        transparency_light_cm=s.WEIMIN_RIVERS_TRANSPARENCY_LIGHT_CM,
        transparency_severe_cm=s.WEIMIN_RIVERS_TRANSPARENCY_SEVERE_CM,
        shallow_depth_cm=s.WEIMIN_RIVERS_SHALLOW_DEPTH_CM,
        shallow_transparency_share=s.WEIMIN_RIVERS_SHALLOW_TRANSPARENCY_SHARE,
        do_light_mg_l=s.WEIMIN_RIVERS_DO_LIGHT_MG_L,
        do_severe_mg_l=s.WEIMIN_RIVERS_DO_SEVERE_MG_L,
        orp_light_mv=s.WEIMIN_RIVERS_ORP_LIGHT_MV,
        orp_severe_mv=s.WEIMIN_RIVERS_ORP_SEVERE_MV,
        nh3n_light_mg_l=s.WEIMIN_RIVERS_NH3N_LIGHT_MG_L,
        nh3n_severe_mg_l=s.WEIMIN_RIVERS_NH3N_SEVERE_MG_L,
        min_readings=s.WEIMIN_RIVERS_MIN_READINGS,
        one_indicator_share=s.WEIMIN_RIVERS_ONE_INDICATOR_SHARE,
        two_indicators_share=s.WEIMIN_RIVERS_TWO_INDICATORS_SHARE,
        stretch_min_points=s.WEIMIN_RIVERS_STRETCH_MIN_POINTS,
        body_severe_share=s.WEIMIN_RIVERS_BODY_SEVERE_SHARE,
        spacing_min_m=s.WEIMIN_RIVERS_SPACING_MIN_M,
        spacing_max_m=s.WEIMIN_RIVERS_SPACING_MAX_M,
        min_points=s.WEIMIN_RIVERS_MIN_POINTS,
    )


def survey_rules() -> rules.SurveyRules:
    return rules.SurveyRules(
        min_valid=settings.WEIMIN_RIVERS_SURVEY_MIN_VALID, bar=Decimal(settings.WEIMIN_RIVERS_SURVEY_BAR)
    )


def default_period(today: date) -> tuple[date, date]:
    """The last ``WEIMIN_RIVERS_PERIOD_DAYS`` days up to ``today``."""
    return today - timedelta(days=settings.WEIMIN_RIVERS_PERIOD_DAYS - 1), today


def body_or_404(code: str) -> WaterBody:
    body = WaterBody.objects.filter(code=code[:40]).first()
    if body is None:
        raise Http404(code[:40])
    return body


def points_of(body: WaterBody) -> list[MonitoringPoint]:
    """The body's points in chainage order, with their reaches."""
    return list(MonitoringPoint.objects.filter(reach__body=body).select_related("reach").order_by("chainage_m"))


@dataclass(frozen=True)
class Measured:
    """A sample as the rules read it."""

    point_id: int
    day: date
    reading: Reading


def samples_of(bodies, start: date | None, end: date) -> dict[int, list[Measured]]:
    """Body id → its samples from ``start`` (None: the first) to ``end``, by date."""
    found = Sample.objects.filter(point__reach__body__in=bodies, taken_on__lte=end)
    if start is not None:
        found = found.filter(taken_on__gte=start)
    rows = found.order_by("taken_on", "point_id").values_list(
        "point__reach__body_id", "point_id", "taken_on", *rules.MEASUREMENTS
    )
    by_body = defaultdict(list)
    for body_id, point_id, day, *values in rows:
        by_body[body_id].append(Measured(point_id, day, Reading(*(Decimal(v) for v in values))))
    return by_body


@dataclass(frozen=True)
class PointStatus:
    point: MonitoringPoint
    classified: Classified
    readings: int


@dataclass(frozen=True)
class BodyStatus:
    """A body's class over a period, its points in order with theirs, and its layout warnings."""

    body: WaterBody
    start: date | None
    end: date
    points: list[PointStatus]
    result: BodyResult
    warnings: list[rules.LayoutWarning]

    @property
    def klass(self) -> BodyClass:
        return self.result.klass


def classify(
    body: WaterBody, points: list[MonitoringPoint], measured: list[Measured], start, end, t: Thresholds
) -> BodyStatus:
    """The body's class from the samples taken from ``start`` to ``end`` (pure given its inputs)."""
    readings = defaultdict(list)
    for m in measured:
        if (start is None or m.day >= start) and m.day <= end:
            readings[m.point_id].append(m.reading)
    statuses = [PointStatus(p, rules.classify_point(readings[p.pk], t), len(readings[p.pk])) for p in points]
    result = rules.classify_body([rules.Point(s.point.code, s.point.chainage_m, s.classified) for s in statuses], t)
    warnings = rules.layout_warnings([(p.code, p.chainage_m) for p in points], t)
    return BodyStatus(body, start, end, statuses, result, warnings)


def body_status(body: WaterBody, start: date | None, end: date) -> BodyStatus:
    return classify(body, points_of(body), samples_of([body], start, end).get(body.pk, []), start, end, thresholds())


def month_starts(first: date, last: date) -> list[date]:
    found, month = [], first.replace(day=1)
    while month <= last:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


@dataclass(frozen=True)
class Month:
    start: date
    status: BodyStatus

    def count(self, klass: BodyClass) -> int:
        return sum(1 for p in self.status.points if p.classified.klass is klass)


def monthly(body: WaterBody, points, measured: list[Measured], today: date, t: Thresholds) -> list[Month]:
    """The body's class in each calendar month from its first sample to ``today`` (class over time)."""
    if not measured:
        return []
    found = []
    for start in month_starts(measured[0].day, today):
        end = min((start + timedelta(days=32)).replace(day=1) - timedelta(days=1), today)
        found.append(Month(start, classify(body, points, measured, start, end, t)))
    return found


@dataclass(frozen=True)
class SurveyStatus:
    survey: Survey
    result: rules.SurveyResult


def judged(survey: Survey | None) -> SurveyStatus | None:
    return (
        None
        if survey is None
        else SurveyStatus(survey, rules.judge_survey(survey.valid, survey.satisfied, survey_rules()))
    )


@dataclass(frozen=True)
class Progress:
    """A body's road to elimination (消除黑臭)."""

    body: WaterBody
    now: BodyStatus  # the default period (the last WEIMIN_RIVERS_PERIOD_DAYS)
    last_black_odorous: date | None  # the last day a reading at one of its points was black-odorous
    clear: BodyStatus  # the office's clear period (the last WEIMIN_RIVERS_CLEAR_DAYS)
    survey: SurveyStatus | None  # the latest survey

    @property
    def clear_for_period(self) -> bool:
        return self.clear.klass is BodyClass.NONE

    @property
    def eliminated(self) -> bool:
        """Clear over the office's period and the residents satisfied by the latest survey."""
        return (
            self.clear_for_period
            and self.survey is not None
            and self.survey.result.verdict is rules.SurveyVerdict.PASSED
        )


def last_black_odorous(measured: list[Measured], t: Thresholds) -> date | None:
    """The day of the latest black-odorous reading (``measured`` is in date order)."""
    for m in reversed(measured):
        if rules.classify_reading(m.reading, t).level is not rules.Level.NONE:
            return m.day
    return None


def progress_of(
    body: WaterBody, points, measured: list[Measured], survey: Survey | None, today: date, t: Thresholds
) -> Progress:
    start, end = default_period(today)
    clear_from = today - timedelta(days=settings.WEIMIN_RIVERS_CLEAR_DAYS - 1)
    return Progress(
        body,
        classify(body, points, measured, start, end, t),
        last_black_odorous(measured, t),
        classify(body, points, measured, clear_from, today, t),
        judged(survey),
    )


def latest_surveys(bodies) -> dict[int, Survey]:
    found = {}
    for survey in Survey.objects.filter(body__in=bodies).order_by("body_id", "-held_to", "-pk"):
        found.setdefault(survey.body_id, survey)
    return found


@dataclass(frozen=True)
class District:
    """Every body's progress and the district's elimination rate against its target."""

    bodies: list[Progress]
    rate: rules.EliminationRate


def district(today: date) -> District:
    bodies = list(WaterBody.objects.all())
    t = thresholds()
    measured = samples_of(bodies, None, today)
    surveys = latest_surveys(bodies)
    points = defaultdict(list)
    for point in MonitoringPoint.objects.filter(reach__body__in=bodies).select_related("reach").order_by("chainage_m"):
        points[point.reach.body_id].append(point)
    found = [progress_of(b, points[b.pk], measured.get(b.pk, []), surveys.get(b.pk), today, t) for b in bodies]
    listed = [p for p in found if p.body.listed]
    rate = rules.elimination_rate(
        sum(1 for p in listed if p.eliminated), len(listed), settings.WEIMIN_RIVERS_ELIMINATION_TARGET
    )
    return District(found, rate)


@dataclass(frozen=True)
class BodyReport:
    """Everything the body's page and the API show."""

    progress: Progress
    period: BodyStatus  # the period asked for
    months: list[Month]
    surveys: list[SurveyStatus]
    measured: list[Measured]  # every sample of the body up to today


def body_report(body: WaterBody, start: date | None, end: date, today: date) -> BodyReport:
    t = thresholds()
    points = points_of(body)
    measured = samples_of([body], None, today).get(body.pk, [])
    surveys = [judged(s) for s in body.surveys.order_by("-held_to", "-pk")]
    progress = progress_of(body, points, measured, surveys[0].survey if surveys else None, today, t)
    period = classify(body, points, samples_of([body], start, end).get(body.pk, []), start, end, t)
    return BodyReport(progress, period, monthly(body, points, measured, today, t), surveys, measured)


def recent_samples(body: WaterBody, days: int = 2) -> list[Sample]:
    """The samples of the body's last ``days`` sampling days, newest first, each day in chainage order."""
    found = Sample.objects.filter(point__reach__body=body)
    last_days = list(found.order_by("-taken_on").values_list("taken_on", flat=True).distinct()[:days])
    return list(found.filter(taken_on__in=last_days).select_related("point").order_by("-taken_on", "point__chainage_m"))


def reading_level(sample: Sample) -> rules.ReadingLevel:
    return rules.classify_reading(sample.reading(), thresholds())


def point_by_code(code: str) -> MonitoringPoint | None:
    return MonitoringPoint.objects.select_related("reach__body").filter(code=code[:40]).first()


def clearing_projects(body: WaterBody, now) -> list[dict]:
    """The expropriation projects clearing the body's banks (the campaign's projects naming this river), each with
    the figures of ``weimin campaign progress`` and its name: shown beside the water's progress."""
    return [
        {"name": project.name, **campaign_queries.project_progress(project, now)}
        for project in campaign_queries.projects_on_river(body.name)
    ]
