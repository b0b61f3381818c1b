from django.contrib import admin

from weimin.ratings.models import FollowUp, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["rated_at", "hall", "level", "by_default", "window", "clerk", "comment"]
    list_filter = ["level", "by_default", "hall"]
    search_fields = ["comment", "ticket__number", "case__number"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["rating", "contact_phone_masked", "contact_due", "contacted_at", "resolve_due", "resolution",
                    "resolved_at"]  # fmt: skip
    list_filter = ["resolution"]
    # The rater's number is shown masked only (the full number serves the call-back system, not the screen).
    exclude = ["contact_phone"]
    readonly_fields = ["contact_phone_masked"]
    search_fields = ["rating__comment", "resolution_note", "rater_answer"]
