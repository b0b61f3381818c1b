"""The river office's pages (河道水质), mounted at /rivers/: the district's bodies and elimination rate, a body's
schematic (points in chainage order coloured by class, no map), its reasons, trend charts and samples, the
sample form, the Excel/CSV import with its row-by-row report, and the satisfaction surveys."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, may
from weimin.campaign.choices import STATUS_LABELS
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.core.forms import all_errors
from weimin.rivers import actions, queries
from weimin.rivers.choices import CLASS_LABELS, VERDICT_LABELS, field_label, problem_text, reason_text, warning_text
from weimin.rivers.forms import ImportForm, PeriodForm, SampleForm, SurveyForm
from weimin.rivers.rows import COLUMNS, OPTIONAL, UnreadableFile, read_csv, read_xlsx
from weimin.rivers.rules import MEASUREMENTS, BodyClass

CLASS_COLOURS = {  # the schematic's colours, for the charts too
    BodyClass.NONE: "#1b7f3a",
    BodyClass.LIGHT: "#e08a00",
    BodyClass.SEVERE: "#b71c1c",
    BodyClass.INSUFFICIENT_DATA: "#9aa5b1",
}


def _may(request, action: Action) -> None:
    if not may(request.user, action, None):
        raise PermissionDenied(_("The river pages are for the river office, the district office and the campaign."))


def _today() -> date:
    return actions.today_of(clock.now())


def _class(klass: BodyClass) -> dict:
    return {"code": klass.value, "label": CLASS_LABELS[klass]}


def _reasons(classified) -> list[str]:
    return [reason_text(reason.as_dict()) for reason in classified.reasons]


def _survey(status: queries.SurveyStatus | None) -> dict | None:
    if status is None:
        return None
    rate = status.result.rate
    return {"survey": status.survey, "verdict": status.result.verdict.value,
            "verdict_label": VERDICT_LABELS[status.result.verdict],
            "rate": None if rate is None else f"{rate * 100:.1f}%"}  # fmt: skip


def _percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


@login_required
def home(request):
    _may(request, Action.RIVERS_READ)
    today = _today()
    district = queries.district(today)
    rows = [
        {"body": p.body, "now": _class(p.now.klass), "reasons": _reasons(p.now.result.classified),
         "stretches": len(p.now.result.stretches), "points": len(p.now.points), "warnings": len(p.now.warnings),
         "last_black_odorous": p.last_black_odorous, "clear": p.clear_for_period, "survey": _survey(p.survey),
         "eliminated": p.eliminated}
        for p in district.bodies
    ]  # fmt: skip
    rate = district.rate
    return render(request, "rivers/home.html", {
        "rows": rows, "rate": _percent(rate.rate), "target": _percent(rate.target), "elimination": rate,
        "period_days": settings.WEIMIN_RIVERS_PERIOD_DAYS,
        "clear_days": settings.WEIMIN_RIVERS_CLEAR_DAYS,
        "may_sample": may(request.user, Action.RIVERS_SAMPLE, None),
    })  # fmt: skip


def schematic(status: queries.BodyStatus, length_m: int | None) -> dict:
    """The body drawn along a line (SVG user units 0–1000): points at their chainage coloured by class,
    reaches as ticks, severe stretches as a band."""
    points = status.points
    extent = max([length_m or 0, *(p.point.chainage_m for p in points), 1])
    left, width = 30, 940

    def x(chainage: int) -> int:
        return round(left + width * chainage / extent)

    reaches = {}
    for p in points:
        reaches.setdefault(p.point.reach_id, p.point.reach)
    return {
        "end": left + width,
        "points": [
            {
                "x": x(p.point.chainage_m),
                "code": p.point.code,
                "chainage": p.point.chainage_m,
                "class": p.classified.klass.value,
                "label": CLASS_LABELS[p.classified.klass],
                "reasons": "；".join(_reasons(p.classified)),
            }
            for p in points
        ],  # fmt: skip
        "reaches": [{"x": x(r.start_m), "name": r.name} for r in reaches.values()],
        "stretches": [{"x": x(s.from_m) - 12, "width": x(s.to_m) - x(s.from_m) + 24} for s in status.result.stretches],
    }


def month_chart(report: queries.BodyReport) -> dict:
    """Points by class, month by month (the road to elimination)."""
    months = [m.start.strftime("%Y-%m") for m in report.months]
    series = [
        {"name": str(CLASS_LABELS[k]), "type": "bar", "stack": "points", "itemStyle": {"color": CLASS_COLOURS[k]},
         "data": [m.count(k) for m in report.months]}
        for k in (BodyClass.SEVERE, BodyClass.LIGHT, BodyClass.NONE, BodyClass.INSUFFICIENT_DATA)
    ]  # fmt: skip
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 16, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "name": _("Points"), "minInterval": 1},
        "series": series,
    }


def indicator_chart(report: queries.BodyReport) -> dict:
    """Monthly means of dissolved oxygen and NH3-N at the body's points, against their light thresholds."""
    t = queries.thresholds()
    sums = defaultdict(lambda: defaultdict(list))
    for m in report.measured:
        month = m.day.strftime("%Y-%m")
        sums[month]["do"].append(m.reading.do_mg_l)
        sums[month]["nh3n"].append(m.reading.nh3n_mg_l)
    months = sorted(sums)

    def mean(values):
        return round(float(sum(values) / len(values)), 2)

    def line(name, key, threshold):
        return {"name": name, "type": "line", "data": [mean(sums[m][key]) for m in months],
                "markLine": {"symbol": "none", "silent": True, "data": [{"yAxis": float(threshold)}],
                             "lineStyle": {"type": "dashed"}}}  # fmt: skip

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 16, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "name": "mg/L"},
        "series": [
            line(_("Dissolved oxygen (mean)"), "do", t.do_light_mg_l),
            line(_("NH3-N (mean)"), "nh3n", t.nh3n_light_mg_l),
        ],
    }


@login_required
def body(request, code: str):
    _may(request, Action.RIVERS_READ)
    found = queries.body_or_404(code)
    today = _today()
    period = PeriodForm(request.GET or None)
    start, end = queries.default_period(today)
    if period.is_bound and period.is_valid():
        start, end = period.cleaned_data["start"] or start, period.cleaned_data["end"] or end
    elif period.is_bound:
        for message in all_errors(period):
            messages.error(request, message)
    if end < start:
        messages.error(request, _("The end of the period must not be before its start."))
        start, end = queries.default_period(today)
    report = queries.body_report(found, start, end, today)
    status = report.period
    return render(request, "rivers/body.html", {
        "body": found, "report": report, "status": status, "start": start, "end": end,
        "class": _class(status.klass), "reasons": _reasons(status.result.classified),
        "points": [{"status": p, "class": _class(p.classified.klass), "reasons": _reasons(p.classified)}
                   for p in status.points],
        "stretches": status.result.stretches,
        "warnings": [warning_text(w) for w in status.warnings],
        "schematic": schematic(status, found.length_m),
        "progress": report.progress, "now_class": _class(report.progress.now.klass),
        "clear_days": settings.WEIMIN_RIVERS_CLEAR_DAYS,
        "survey": _survey(report.progress.survey),
        "month_chart": month_chart(report), "indicator_chart": indicator_chart(report),
        "samples": queries.recent_samples(found),
        "indicators": [field_label(name) for name in MEASUREMENTS],
        "projects": queries.clearing_projects(found, clock.now()),
        "may_see_campaign": may(request.user, Action.CAMPAIGN_PROGRESS, None),
        "status_labels": STATUS_LABELS,
        "may_sample": may(request.user, Action.RIVERS_SAMPLE, None),
    })  # fmt: skip


@login_required
def new_sample(request):
    _may(request, Action.RIVERS_SAMPLE)
    if request.method == "POST":
        form = SampleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            point = queries.point_by_code(data["point"])
            try:
                sample = actions.record_sample(request.user, point, data["date"],
                                               {name: data[name] for name in MEASUREMENTS}, data["sampler"],
                                               clock.now())  # fmt: skip
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                level = CLASS_LABELS[BodyClass(queries.reading_level(sample).level)]
                text = _("Recorded: %(point)s on %(date)s — %(level)s.")
                messages.success(request, text % {"point": point, "date": sample.taken_on.isoformat(), "level": level})
                return redirect(f"{reverse('rivers:new-sample')}?point={point.code}")
    else:
        initial = {"date": _today(), "point": request.GET.get("point", "")[:40]}
        form = SampleForm(initial=initial)
    return render(request, "rivers/sample_form.html", {"form": form})


@login_required
def import_samples(request):
    _may(request, Action.RIVERS_SAMPLE)
    errors = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = read_xlsx(data) if upload.name.lower().endswith(".xlsx") else read_csv(data)
        except UnreadableFile:
            form.add_error("file", _("The file could not be read as an Excel workbook or a CSV table."))
        else:
            result = actions.import_samples(request.user, rows, form.cleaned_data["sampler"], clock.now())
            if not result.errors:
                messages.success(request, _("%(n)s samples imported.") % {"n": result.created})
                return redirect("rivers:home")
            errors = [
                {"row": e.row, "column": field_label(e.column) if e.column else "", "message": problem_text(e.problem)}
                for e in result.errors
            ]
    return render(
        request,
        "rivers/import.html",
        {"form": form, "errors": errors, "columns": [(name, field_label(name)) for name in (*COLUMNS, *OPTIONAL)]},
    )


@login_required
def surveys(request, code: str):
    _may(request, Action.RIVERS_READ)
    found = queries.body_or_404(code)
    may_record = may(request.user, Action.RIVERS_SURVEY, None)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        _may(request, Action.RIVERS_SURVEY)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_survey(request.user, found, data["held_from"], data["held_to"], data["responses"],
                                      data["valid"], data["satisfied"], data["note"], clock.now())  # fmt: skip
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Survey recorded."))
                return redirect("rivers:surveys", code=found.code)
    rules = queries.survey_rules()
    listed = [_survey(queries.judged(s)) for s in found.surveys.order_by("-held_to", "-pk")]
    return render(request, "rivers/surveys.html", {
        "body": found, "surveys": listed, "form": form, "may_record": may_record,
        "min_valid": rules.min_valid, "bar": _percent(rules.bar),
        "radius_km": settings.WEIMIN_RIVERS_SURVEY_RADIUS_M / 1000,
        "may_sample": may(request.user, Action.RIVERS_SAMPLE, None),
    })  # fmt: skip
