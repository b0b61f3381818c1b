from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _


class NonOverlappingSessionsFormSet(BaseInlineFormSet):
    """Sessions of one schedule (per weekday) or of one special day must not overlap."""

    group_field: str | None = None

    def clean(self):
        super().clean()
        ranges = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None or data.get("end") is None:
                continue
            group = data.get(self.group_field) if self.group_field else None
            ranges.append((group, data["start"], data["end"]))
        ranges.sort()
        for (g1, s1, e1), (g2, s2, e2) in zip(ranges, ranges[1:], strict=False):
            if g1 == g2 and s2 < e1:
                raise ValidationError(
                    _("Sessions %(a)s and %(b)s overlap.")
                    % {"a": f"{s1:%H:%M}–{e1:%H:%M}", "b": f"{s2:%H:%M}–{e2:%H:%M}"}
                )


class WeeklySessionsFormSet(NonOverlappingSessionsFormSet):
    group_field = "weekday"


class SpecialDaySessionsFormSet(NonOverlappingSessionsFormSet):
    def clean(self):
        super().clean()
        closed = self.instance.closed
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        if closed and kept:
            raise ValidationError(_("A day closed all day has no sessions."))
        if not closed and not kept:
            raise ValidationError(_("Give the special day at least one session, or mark it closed all day."))
