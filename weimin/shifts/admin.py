from django.contrib import admin

from weimin.shifts.models import Duty


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["window", "user", "started_at", "ended_at", "simulated"]
    list_filter = ["window__hall", "simulated"]
    search_fields = ["user__username", "window__hall__name"]
    date_hierarchy = "started_at"
