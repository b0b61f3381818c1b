"""The analytics pages (大数据分析). Every figure comes from ``analytics.queries`` (and the effect report)
and every table is a ``tables.Table``, so the downloads carry exactly the page's figures."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from weimin.analytics import actions, effect_report, queries
from weimin.analytics.effect import KEYS, UNITS, Unit
from weimin.analytics.forms import EffectForm
from weimin.analytics.tables import Column, Kind, Table, download, wanted_download
from weimin.analytics.views.access import visible_halls
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.core.forms import all_errors

# A measure's unit → how the tables show its values.
_KIND_OF_UNIT = {Unit.PER_WEEK: Kind.NUMBER, Unit.MINUTES: Kind.MINUTES, Unit.SHARE: Kind.SHARE}


@login_required
def effect(request):
    """The extended-service effect (延时服务效果): the weeks before and after a start date compared, each
    change with its interval and a plain-language verdict."""
    halls = visible_halls(request.user, request.GET.get("hall", ""))
    district = queries.sees_district(request.user)
    now = clock.now()
    actions.refresh_if_stale(now)
    defaults = {
        "hall": "" if district else halls[0].code,
        "start": effect_report.default_start(halls, now).isoformat(),
        "weeks": str(effect_report.DEFAULT_WEEKS),
    }
    data = {key: request.GET.get(key, default)[:20] for key, default in defaults.items()}
    form = EffectForm(data, halls=halls, district=district)
    report = None
    if form.is_valid():
        code, start, weeks = (form.cleaned_data[key] for key in ("hall", "start", "weeks"))
        hall = next((h for h in halls if h.code == code), None)
        try:
            report = effect_report.build([hall] if hall else halls, start, weeks, now, hall=hall)
        except InvalidInput as error:
            form.add_error(error.field, error.message)
    tables = _effect_tables(report) if report else []
    wanted = wanted_download(request)
    if wanted and report:
        return download(tables, *wanted, filename=f"effect-{data['hall'] or 'district'}-{data['start']}")
    context = {
        "form": form,
        "errors": all_errors(form),
        "report": report,
        "tables": tables,
        "findings": report.findings() if report else [],
        "chart": _effect_chart(report) if report else None,
        "query": urlencode(form.data),
    }
    return render(request, "analytics/effect.html", context, status=200 if report else 422)


def _effect_tables(report: effect_report.EffectReport) -> list[Table]:
    changes = Table(
        "changes",
        _("Before and after, with each change's confidence interval"),
        [
            Column("measure", _("Measure"), Kind.TEXT),
            Column("before", _("Before"), Kind.BY_ROW),
            Column("after", _("After"), Kind.BY_ROW),
            Column("absolute", _("Change"), Kind.BY_ROW),
            Column("relative", _("Relative change"), Kind.SHARE),
            Column("low", _("Interval from"), Kind.BY_ROW),
            Column("high", _("Interval to"), Kind.BY_ROW),
            Column("verdict", _("Verdict"), Kind.TEXT),
        ],
        note=_("Visits, cases and evening visits are means per week; a share's change is in percentage points."),
    )
    for key in KEYS:
        change = report.effect.changes[key]
        changes.rows.append(
            {
                "kind": _KIND_OF_UNIT[UNITS[key]],
                "measure": effect_report.measure_label(key),
                "before": change.before,
                "after": change.after,
                "absolute": change.absolute,
                "relative": change.relative if change.unit != Unit.SHARE else None,
                "low": change.low,
                "high": change.high,
                "verdict": effect_report.verdict_words(change.verdict),
            }
        )
    users = Table(
        "evening-users",
        _("Who uses the evening: cases opened after the former closing"),
        [
            Column("period", _("Period"), Kind.TEXT),
            Column("weeks", _("Weeks")),
            Column("evening_visits", _("Evening visits")),
            Column("evening_cases", _("Evening cases")),
            Column("evening_company_cases", _("By company agents")),
            Column("evening_individual_cases", _("By individuals")),
            Column("company_share_evening", _("Company agents' share"), Kind.SHARE),
            Column("company_share_daytime", _("Their share in the daytime"), Kind.SHARE),
        ],
        note=_("The applicant of each case opened at a window: a company (its agent) or a person."),
    )
    weekly = Table(
        "weeks",
        _("Week by week"),
        [
            Column("week", _("Week of"), Kind.TEXT),
            Column("period", _("Period"), Kind.TEXT),
            Column("visits", _("Visits")),
            Column("cases", _("Cases")),
            Column("mean_wait_minutes", _("Mean wait (min)"), Kind.MINUTES),
            Column("evening_share", _("Evening share of visits"), Kind.SHARE),
            Column("saturday_share", _("Saturday share of visits"), Kind.SHARE),
        ],
    )
    for name, period in ((_("Before"), report.before), (_("After"), report.after)):
        found = queries.figures(period.totals)
        users.rows.append(
            {"period": name, "weeks": len(period.mondays), **effect_report.evening_users(period)}
            | {key: found[key] for key in ("company_share_evening", "company_share_daytime")}
        )
        for monday, totals in zip(period.mondays, period.weeks, strict=True):
            found = queries.figures(totals)
            weekly.rows.append({"week": monday, "period": name} | {c.key: found[c.key] for c in weekly.columns[2:]})
    return [changes, users, weekly]


def _effect_chart(report: effect_report.EffectReport) -> dict:
    """Weekly visits before (grey) and after (blue) with the start marked, and the evening share."""
    before, after = report.before, report.after
    labels = [f"{monday:%m-%d}" for monday in before.mondays + after.mondays]
    gap = [None] * len(before.mondays), [None] * len(after.mondays)
    evening = [
        None if (share := queries.figures(totals)["evening_share"]) is None else round(share * 100, 1)
        for totals in before.weeks + after.weeks
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 8, "top": 40, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": [
            {"type": "value", "name": _("Visits a week")},
            {"type": "value", "name": _("Evening share"), "axisLabel": {"formatter": "{value}%"},
             "splitLine": {"show": False}},
        ],
        "series": [
            {"name": _("Visits before"), "type": "bar", "stack": "visits", "itemStyle": {"color": "#9aa5b1"},
             "data": [w.served for w in before.weeks] + gap[1]},
            {"name": _("Visits after"), "type": "bar", "stack": "visits", "itemStyle": {"color": "#1f6feb"},
             "data": gap[0] + [w.served for w in after.weeks],
             "markLine": {"symbol": "none", "silent": True, "data": [{"xAxis": labels[len(before.mondays)]}],
                          "lineStyle": {"color": "#c0392b", "type": "dashed", "width": 2},
                          "label": {"formatter": _("Start %(day)s") % {"day": report.start}}}},
            {"name": _("Evening share"), "type": "line", "yAxisIndex": 1, "itemStyle": {"color": "#d9822b"},
             "data": evening},
        ],
    }  # fmt: skip
