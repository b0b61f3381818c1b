from django.contrib import admin

from weimin.cases.models import Case, CaseEvent, CaseMaterial, CaseNotice, CasePause, Notification


class CaseMaterialInline(admin.TabularInline):
    model = CaseMaterial
    extra = 0
    readonly_fields = ["material", "state", "note", "in_notice"]
    can_delete = False


class CaseEventInline(admin.TabularInline):
    """The audit trail, read only: events are written by cases.actions alone."""

    model = CaseEvent
    extra = 0
    fields = readonly_fields = ["at", "actor", "window", "kind", "detail"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "item", "hall", "status", "decision", "applicant_name", "accepted_on"]
    list_filter = ["status", "decision", "hall", "item__category"]
    search_fields = ["number", "applicant_name", "item__name"]
    # The full ID number stays out of the back office: it is the handling clerk's to see; the hash of
    # the applicant's key is nobody's to see or edit.
    exclude = ["id_number", "access_hash"]
    # The life cycle changes only through cases.actions, which check it and write the audit trail:
    # the back office sees it and corrects the applicant's particulars, nothing more.
    readonly_fields = [
        "number", "hall", "item", "ticket", "window", "clerk", "created_at",
        "status", "decision", "decided_at", "accepted_on", "promise_due", "refusal_reason", "competent_agency",
        "extension_days", "extension_approver", "result", "concluded_at",
        "delivery", "delivered_at", "collector_id_masked", "postal_tracking",
    ]  # fmt: skip
    inlines = [CaseMaterialInline, CaseEventInline]

    def has_add_permission(self, request):
        return False  # a case is opened at the window (cases.actions.open_case)


@admin.register(CaseNotice)
class CaseNoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "case", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number"]


admin.site.register(CasePause)
admin.site.register(Notification)
