"""Every change to the rivers' records, one transactional function each, used by pages and API alike:
record a sample, import a table of samples (all rows or none), record a satisfaction survey's tally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, authorize
from weimin.core.errors import InvalidInput, Refused
from weimin.rivers.choices import field_label, problem_text
from weimin.rivers.models import MonitoringPoint, Sample, Survey, WaterBody
from weimin.rivers.rows import CODE_LENGTH, RowError, parse_table, row_error
from weimin.rivers.rules import FieldProblem, Problem, parse_day, parse_reading

MAX_IMPORT_ROWS = 5000  # a year of weekly samples at a hundred points


def today_of(now: datetime) -> date:
    """The district's date at ``now`` (samples are dated in local time)."""
    return timezone.localtime(now).date()


def _refuse(problem: FieldProblem):
    raise InvalidInput(problem_text(problem), field=problem.field)


def _sampler(sampler: str) -> str:
    sampler = (sampler or "").strip()
    if not sampler:
        _refuse(FieldProblem("sampler", Problem.MISSING))
    if len(sampler) > CODE_LENGTH:
        _refuse(FieldProblem("sampler", Problem.TOO_LONG, CODE_LENGTH))
    return sampler


@transaction.atomic
def record_sample(user, point: MonitoringPoint, day, values: dict, sampler: str, now: datetime) -> Sample:
    """One sample at ``point``: refused naming the field when a value is physically impossible, the date is
    in the future, or the point already has a sample that day."""
    authorize(user, Action.RIVERS_SAMPLE, None)
    taken_on, problem = parse_day("date", day, today_of(now))
    if problem:
        _refuse(problem)
    reading, problems = parse_reading(values)
    if problems:
        _refuse(problems[0])
    sampler = _sampler(sampler)
    duplicate = Refused(problem_text(FieldProblem("date", Problem.DUPLICATE, text=taken_on.isoformat())), field="date")
    if Sample.objects.filter(point=point, taken_on=taken_on).exists():
        raise duplicate
    values = {name: getattr(reading, name) for name in reading.__dataclass_fields__}
    try:
        with transaction.atomic():  # a double tap's twin may commit between the check and this insert
            return Sample.objects.create(point=point, taken_on=taken_on, sampler=sampler, recorded_by=user,
                                         recorded_at=now, **values)  # fmt: skip
    except IntegrityError:
        raise duplicate from None


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[RowError]  # empty when the rows were saved; otherwise nothing was


@transaction.atomic
def import_samples(user, rows: list[list], sampler: str, now: datetime) -> ImportResult:
    """A table of samples (rows of cells, header first; ``rows.COLUMNS``, chainage optional): every row
    checked against the register and the records, and saved only when no row has a problem. ``sampler``
    is who took the samples of rows whose ``sampler`` cell is empty."""
    authorize(user, Action.RIVERS_SAMPLE, None)
    if len(rows) > MAX_IMPORT_ROWS + 1:
        problem = FieldProblem("", Problem.TOO_MANY_ROWS, MAX_IMPORT_ROWS)
        return ImportResult(0, [RowError(MAX_IMPORT_ROWS + 2, "", problem)])
    parsed, errors = parse_table(rows, today_of(now), need_chainage=False)
    if not parsed and not errors:
        return ImportResult(0, [RowError(2, "", FieldProblem("", Problem.NO_ROWS))])
    points = {
        p.code: p
        for p in MonitoringPoint.objects.select_related("reach__body").filter(code__in={r.point for r in parsed})
    }
    on_file_days = Sample.objects.filter(point__in=points.values(), taken_on__in={r.day for r in parsed})
    existing = set(on_file_days.values_list("point__code", "taken_on"))
    fallback = (sampler or "").strip()[:CODE_LENGTH]
    new = []
    for row in parsed:
        point = points.get(row.point)
        if point is None:
            errors.append(RowError(row.number, "point", FieldProblem("point", Problem.UNKNOWN, text=row.point[:20])))
        elif point.reach.body.code != row.body:
            errors.append(RowError(row.number, "body", FieldProblem("body", Problem.UNKNOWN, text=row.body[:20])))
        elif row.chainage_m is not None and row.chainage_m != point.chainage_m:
            errors.append(row_error(row.number, "chainage_m", Problem.CONFLICT, text=str(row.chainage_m)))
        elif (point.code, row.day) in existing:
            errors.append(
                RowError(row.number, "date", FieldProblem("date", Problem.DUPLICATE, text=row.day.isoformat()))
            )
        elif not (row.sampler or fallback):
            errors.append(RowError(row.number, "sampler", FieldProblem("sampler", Problem.MISSING)))
        else:
            values = {name: getattr(row.reading, name) for name in row.reading.__dataclass_fields__}
            new.append(Sample(point=point, taken_on=row.day, sampler=row.sampler or fallback, recorded_by=user,
                              recorded_at=now, **values))  # fmt: skip
    if errors:
        return ImportResult(0, sorted(errors, key=lambda e: e.row))
    Sample.objects.bulk_create(new, batch_size=500)
    return ImportResult(len(new), [])


@transaction.atomic
def record_survey(user, body: WaterBody, held_from: date, held_to: date, responses: int, valid: int, satisfied: int,
                  note: str, now: datetime) -> Survey:  # fmt: skip
    """A satisfaction survey's tally: valid questionnaires among those returned, satisfied among the valid."""
    authorize(user, Action.RIVERS_SURVEY, None)
    if held_to < held_from:
        raise InvalidInput(
            _("%(field)s must not be before the first day.") % {"field": field_label("held_to")}, field="held_to"
        )
    if held_to > today_of(now):
        raise InvalidInput(
            problem_text(FieldProblem("held_to", Problem.FUTURE, text=held_to.isoformat())), field="held_to"
        )
    for name, value in (("responses", responses), ("valid", valid), ("satisfied", satisfied)):
        if not 0 <= value <= 1_000_000:
            raise InvalidInput(_("%(field)s must be between 0 and 1000000.") % {"field": field_label(name)}, field=name)
    if valid > responses:
        raise InvalidInput(_("Valid questionnaires cannot outnumber those returned."), field="valid")
    if satisfied > valid:
        raise InvalidInput(_("Satisfied residents cannot outnumber the valid questionnaires."), field="satisfied")
    if Survey.objects.filter(body=body, held_from=held_from, held_to=held_to).exists():  # a double tap
        raise Refused(_("A survey of this body over these days is already recorded."), field="held_from")
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput(
            _("%(field)s can have at most %(limit)s characters.") % {"field": field_label("note"), "limit": 200},
            field="note",
        )
    return Survey.objects.create(body=body, held_from=held_from, held_to=held_to, responses=responses, valid=valid,
                                 satisfied=satisfied, note=note, recorded_by=user, recorded_at=now)  # fmt: skip
