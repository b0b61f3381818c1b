from django.contrib import admin

from weimin.shifts.models import Duty


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    """The duty log, read-only: duties begin at sign-in and end at sign-out, whose handover leaves nothing
    with an absent person. Editing a row (ending it, moving it) would skip that."""

    list_display = ["window", "user", "started_at", "ended_at", "last_seen_at"]
    list_filter = ["window__hall"]
    search_fields = ["user__username", "window__hall__name"]
    date_hierarchy = "started_at"
    readonly_fields = ["window", "user", "started_at", "ended_at", "last_seen_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the log 补休 is computed from; deleting an open duty would also skip the handover


from weimin.halls.admin import HallScopedAdmin  # noqa: E402
from weimin.shifts.models import (  # noqa: E402
    CompTimeEntry,
    Handover,
    HandoverItem,
    LogisticsTemplate,
    LogisticsTemplateItem,
)


class LogisticsTemplateItemInline(admin.TabularInline):
    model = LogisticsTemplateItem
    extra = 0


@admin.register(LogisticsTemplate)
class LogisticsTemplateAdmin(HallScopedAdmin):
    list_display = ["hall", "name", "active"]
    list_filter = ["hall", "active"]
    search_fields = ["name", "items__text"]
    inlines = [LogisticsTemplateItemInline]


class HandoverItemInline(admin.TabularInline):
    model = HandoverItem
    extra = 0
    readonly_fields = ["kind", "object_id", "label"]
    can_delete = False


@admin.register(Handover)
class HandoverAdmin(HallScopedAdmin):
    list_display = ["created_at", "hall", "window", "from_user", "successor", "reason", "acknowledged_at"]
    list_filter = ["hall", "reason"]
    search_fields = ["from_user__username", "successor__username", "items__label"]
    readonly_fields = ["hall", "window", "from_user", "successor", "reason", "created_at", "acknowledged_at"]
    inlines = [HandoverItemInline]


@admin.register(CompTimeEntry)
class CompTimeEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "minutes", "note", "recorded_by"]
    list_filter = ["day"]
    search_fields = ["user__username", "note"]
