"""The rivers API (河道水质): every body's class with its reasons and progress to elimination, one body in
full (points in chainage order, stretches, layout warnings, months, surveys), and recording a sample or a
survey through the same actions as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from weimin.accounts.auth import BearerToken
from weimin.accounts.permissions import Action, authorize
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.core.text import Day, Text
from weimin.rivers import actions, queries, rules
from weimin.rivers.schemas import SampleIn, SurveyIn

router = Router(tags=["rivers"])
staff = BearerToken()


def _reasons(classified: rules.Classified) -> list[dict]:
    return [reason.as_dict() for reason in classified.reasons]


def _share(value) -> float | None:
    return None if value is None else float(value)


def survey_json(status: queries.SurveyStatus | None) -> dict | None:
    if status is None:
        return None
    s = status.survey
    return {"id": s.pk, "from": s.held_from.isoformat(), "to": s.held_to.isoformat(), "responses": s.responses,
            "valid": s.valid, "satisfied": s.satisfied, "satisfaction_rate": _share(status.result.rate),
            "verdict": status.result.verdict.value}  # fmt: skip


def status_json(status: queries.BodyStatus) -> dict:
    return {
        "from": status.start.isoformat() if status.start else None,
        "to": status.end.isoformat(),
        "class": status.klass.value,
        "reasons": _reasons(status.result.classified),
        "severe_stretches": [s.as_dict() for s in status.result.stretches],
    }


def progress_json(progress: queries.Progress) -> dict:
    body = progress.body
    return {
        "code": body.code,
        "name": body.name,
        "subdistrict": body.subdistrict,
        "listed": body.listed,
        **status_json(progress.now),
        "last_black_odorous": progress.last_black_odorous.isoformat() if progress.last_black_odorous else None,
        "clear_for_period": progress.clear_for_period,
        "clear_period": status_json(progress.clear),
        "latest_survey": survey_json(progress.survey),
        "eliminated": progress.eliminated,
    }


@router.get("/rivers/bodies", auth=staff)
def bodies(request) -> dict:
    """Every water body's class over the last ``WEIMIN_RIVERS_PERIOD_DAYS`` with its reasons, its progress
    to elimination, and the district's elimination rate against its target."""
    authorize(request.auth, Action.RIVERS_READ, None)
    district = queries.district(actions.today_of(clock.now()))
    rate = district.rate
    return {
        "elimination": {
            "eliminated": rate.eliminated,
            "listed": rate.listed,
            "rate": _share(rate.rate),
            "target": float(rate.target),
            "met": rate.met,
        },  # fmt: skip
        "bodies": [progress_json(p) for p in district.bodies],
    }


@router.get("/rivers/bodies/{code}", auth=staff)
def body(request, code: Text(40), start: Day() = None, end: Day() = None) -> dict:
    """One body: its class over ``start``–``end`` (default the last ``WEIMIN_RIVERS_PERIOD_DAYS``) with every
    point's class and reasons in chainage order, its severe stretches, layout warnings, class month by month
    and surveys; ``projects``: the expropriation projects clearing its banks, each with the figures of ``weimin
    campaign progress``."""
    authorize(request.auth, Action.RIVERS_READ, None)
    found = queries.body_or_404(code)
    today = actions.today_of(clock.now())
    first, last = queries.default_period(today)
    first, last = start or first, end or last
    if last < first:
        raise InvalidInput(_("The end of the period must not be before its start."), field="end")
    report = queries.body_report(found, first, last, today)
    period = report.period
    return {
        **progress_json(report.progress),
        "period": status_json(period),
        "points": [
            {
                "code": s.point.code,
                "name": s.point.name,
                "reach": s.point.reach.name,
                "chainage_m": s.point.chainage_m,
                "readings": s.readings,
                "class": s.classified.klass.value,
                "reasons": _reasons(s.classified),
            }
            for s in period.points
        ],  # fmt: skip
        "warnings": [
            {"kind": w.kind.value, "points": list(w.points), "distance_m": w.distance_m, "limit": w.limit}
            for w in period.warnings
        ],
        "months": [
            {
                "month": m.start.strftime("%Y-%m"),
                "class": m.status.klass.value,
                "points": {k.value: m.count(k) for k in rules.BodyClass},
            }
            for m in report.months
        ],  # fmt: skip
        "surveys": [survey_json(s) for s in report.surveys],
        "projects": queries.clearing_projects(found, clock.now()),
    }


@router.post("/rivers/samples", auth=staff, response={201: dict})
def record_sample(request, payload: SampleIn):
    """Record a sample at a point (``rivers.sample``): physically impossible values are refused naming the field."""
    point = queries.point_by_code(payload.point)
    if point is None:
        raise Http404(payload.point)
    values = {name: str(getattr(payload, name)) for name in rules.MEASUREMENTS}
    sample = actions.record_sample(request.auth, point, payload.date, values, payload.sampler, clock.now())
    level = queries.reading_level(sample)
    reasons = [r.as_dict() for r in level.reasons]
    out = {"id": sample.pk, "point": point.code, "date": sample.taken_on.isoformat(), "level": level.level.value}
    return Status(201, {**out, "reasons": reasons})


@router.post("/rivers/bodies/{code}/surveys", auth=staff, response={201: dict})
def record_survey(request, code: Text(40), payload: SurveyIn):
    """Record a satisfaction survey's tally (``rivers.survey``)."""
    found = queries.body_or_404(code)
    survey = actions.record_survey(request.auth, found, payload.held_from, payload.held_to, payload.responses,
                                   payload.valid, payload.satisfied, payload.note, clock.now())  # fmt: skip
    return Status(201, survey_json(queries.judged(survey)))
