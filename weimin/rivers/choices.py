"""The rule module's enumerations in words (Chinese first): classes, indicators, each class's reasons, layout
warnings, survey verdicts and why a value is refused. Pages, forms and the import report use these; the API
and the command print the structured reasons as they are."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.rivers.rules import BodyClass, Indicator, Layout, Problem, Rule, SurveyVerdict

CLASS_LABELS = {
    BodyClass.NONE: gettext_lazy("Not black-odorous"),
    BodyClass.LIGHT: gettext_lazy("Lightly black-odorous"),
    BodyClass.SEVERE: gettext_lazy("Severely black-odorous"),
    BodyClass.INSUFFICIENT_DATA: gettext_lazy("Insufficient data"),
}
LEVEL_LABELS = {"none": CLASS_LABELS[BodyClass.NONE], "light": gettext_lazy("light"), "severe": gettext_lazy("severe")}

FIELD_LABELS = {
    "body": gettext_lazy("Water body"),
    "point": gettext_lazy("Monitoring point"),
    "chainage_m": gettext_lazy("Chainage (m)"),
    "date": gettext_lazy("Date"),
    "depth_cm": gettext_lazy("Water depth (cm)"),
    Indicator.TRANSPARENCY.value: gettext_lazy("Transparency (cm)"),
    Indicator.DISSOLVED_OXYGEN.value: gettext_lazy("Dissolved oxygen (mg/L)"),
    Indicator.ORP.value: gettext_lazy("ORP (mV)"),
    Indicator.AMMONIA.value: gettext_lazy("Ammonia nitrogen NH3-N (mg/L)"),
    "sampler": gettext_lazy("Sampler"),
    "held_from": gettext_lazy("Survey from"),
    "held_to": gettext_lazy("Survey to"),
    "responses": gettext_lazy("Questionnaires returned"),
    "valid": gettext_lazy("Valid questionnaires"),
    "satisfied": gettext_lazy("Satisfied"),
    "note": gettext_lazy("Note"),
}
SHORT_INDICATOR = {
    Indicator.TRANSPARENCY.value: gettext_lazy("transparency"),
    Indicator.DISSOLVED_OXYGEN.value: gettext_lazy("dissolved oxygen"),
    Indicator.ORP.value: gettext_lazy("ORP"),
    Indicator.AMMONIA.value: gettext_lazy("NH3-N"),
}
UNITS = {"transparency_cm": "cm", "do_mg_l": "mg/L", "orp_mv": "mV", "nh3n_mg_l": "mg/L"}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _percent(share) -> str:
    return f"{float(share) * 100:.0f}%"


def reason_text(reason: dict) -> str:
    """One structured reason (``rules.Reason.as_dict``) in a sentence."""
    rule = Rule(reason["rule"])
    indicator = str(SHORT_INDICATOR.get(reason.get("indicator", ""), ""))
    indicators = "、".join(str(SHORT_INDICATOR[i]) for i in reason.get("indicators", []))
    if rule is Rule.INDICATOR:
        unit = UNITS[reason["indicator"]]
        text = _("%(indicator)s %(value)s %(unit)s: %(level)s (threshold %(threshold)s %(unit)s)") % {
            "indicator": indicator, "value": _number(reason["value"]), "unit": unit,
            "level": LEVEL_LABELS[reason["level"]], "threshold": _number(round(reason["threshold"], 2)),
        }  # fmt: skip
        if "shallow_depth_cm" in reason:
            text += _("; water %(depth)s cm deep, so 40%% of the depth") % {
                "depth": _number(reason["shallow_depth_cm"])
            }
        return text
    count, total = reason.get("count"), reason.get("total")
    share = _percent(reason["share"]) if "share" in reason else ""
    threshold = _percent(reason["threshold"]) if "threshold" in reason else ""
    texts = {
        Rule.TOO_FEW_READINGS: _("%(count)s readings in the period; at least %(total)s are needed"),
        Rule.ONE_INDICATOR: _("%(indicator)s severe in %(count)s of %(total)s readings (%(share)s ≥ %(threshold)s)"),
        Rule.TWO_INDICATORS: _("%(indicators)s each severe in at least %(threshold)s of %(total)s readings"),
        Rule.BLACK_ODOROUS_READINGS: _("%(count)s of %(total)s readings black-odorous (%(indicators)s), "
                                       "not enough severe ones for a severe point"),
        Rule.CLEAN_READINGS: _("all %(total)s readings outside the black-odorous ranges"),
        Rule.SEVERE_POINTS: _("%(count)s of %(total)s points severe (%(share)s ≥ %(threshold)s)"),
        Rule.BLACK_ODOROUS_POINTS: _("%(count)s of %(total)s points black-odorous; severe points %(share)s "
                                     "< %(threshold)s"),
        Rule.CLEAN_POINTS: _("none of the %(total)s points black-odorous"),
        Rule.NO_POINT_CLASSIFIED: _("no point has enough readings in the period"),
        Rule.UNCLASSIFIED_POINTS: _("%(count)s of %(total)s points without enough readings are left out"),
    }  # fmt: skip
    return texts[rule] % {"indicator": indicator, "indicators": indicators, "count": count, "total": total,
                          "share": share, "threshold": threshold}  # fmt: skip


def warning_text(warning) -> str:
    points = "–".join(warning.points)
    if warning.kind is Layout.TOO_FEW:
        return _("Only %(count)s monitoring points: the guideline asks for at least %(limit)s.") % {
            "count": warning.distance_m, "limit": warning.limit}  # fmt: skip
    if warning.kind is Layout.TOO_CLOSE:
        return _("Points %(points)s are %(distance)s m apart, closer than %(limit)s m.") % {
            "points": points, "distance": warning.distance_m, "limit": warning.limit}  # fmt: skip
    return _("Points %(points)s are %(distance)s m apart, further than %(limit)s m.") % {
        "points": points, "distance": warning.distance_m, "limit": warning.limit}  # fmt: skip


VERDICT_LABELS = {
    SurveyVerdict.PASSED: gettext_lazy("Satisfied: meets the bar"),
    SurveyVerdict.BELOW_BAR: gettext_lazy("Below the satisfaction bar"),
    SurveyVerdict.TOO_FEW_VALID: gettext_lazy("Too few valid questionnaires"),
}


def problem_text(problem) -> str:
    """Why a value was refused, naming its field (``rules.FieldProblem``)."""
    label = field_label(problem.field)
    texts = {
        Problem.MISSING: _("%(field)s is missing."),
        Problem.NOT_A_NUMBER: _("%(field)s: “%(text)s” is not a number."),
        Problem.BELOW: _("%(field)s: %(text)s is physically impossible (at least %(limit)s)."),
        Problem.ABOVE: _("%(field)s: %(text)s is physically impossible (at most %(limit)s)."),
        Problem.ABOVE_DEPTH: _("%(field)s: %(text)s cm is more than the water depth (%(limit)s cm)."),
        Problem.NOT_A_DATE: _("%(field)s: “%(text)s” is not a date (YYYY-MM-DD)."),
        Problem.FUTURE: _("%(field)s: %(text)s is in the future."),
        Problem.TOO_LONG: _("%(field)s can have at most %(limit)s characters."),
        Problem.UNSTORABLE: _("%(field)s contains a NUL character or an invalid (surrogate) character."),
        Problem.TOO_EARLY: _("%(field)s: %(text)s is before 1970: is the year mistyped?"),
        Problem.TOO_MANY_ROWS: _("The table has more than %(limit)s rows: import it in parts."),
        Problem.NO_ROWS: _("The table has no rows below its header."),
        Problem.CONFLICT: _("%(field)s: %(text)s differs from the point's chainage in an earlier row."),
        Problem.DUPLICATE: _("%(field)s: the point already has a sample on %(text)s."),
        Problem.UNKNOWN: _("%(field)s: no “%(text)s” in the register."),
    }
    return texts[problem.problem] % {"field": label, "text": problem.text, "limit": problem.limit}
