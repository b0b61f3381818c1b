from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from weimin.ratings.models import FollowUp, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["rated_at", "hall", "level", "by_default", "window", "clerk", "comment"]
    list_filter = ["level", "by_default", "hall"]
    search_fields = ["comment", "ticket__number", "case__number"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["rating", "rater_phone", "contact_due", "contacted_at", "resolve_due", "resolution",
                    "resolved_at"]  # fmt: skip
    list_filter = ["resolution"]
    # The rater's number is shown masked only (the full number serves the call-back system, not the screen).
    exclude = ["contact_phone"]
    readonly_fields = ["rater_phone"]
    search_fields = ["rating__comment", "resolution_note", "rater_answer"]

    @admin.display(description=_("rater's mobile number"))
    def rater_phone(self, follow_up: FollowUp) -> str:
        return follow_up.contact_phone_masked
