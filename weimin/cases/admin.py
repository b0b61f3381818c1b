from django.contrib import admin

from weimin.cases.models import Case, CaseEvent, CaseMaterial, CaseNotice, CasePause, Notification


class CaseMaterialInline(admin.TabularInline):
    model = CaseMaterial
    extra = 0
    readonly_fields = ["material", "state", "note", "in_notice"]
    can_delete = False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ["at", "actor", "window", "action", "detail"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "item", "hall", "status", "decision", "applicant_name", "accepted_on"]
    list_filter = ["status", "decision", "hall", "item__category"]
    search_fields = ["number", "applicant_name", "item__name"]
    # The full ID number stays out of the back office: it is the handling clerk's to see.
    exclude = ["id_number"]
    readonly_fields = ["number", "hall", "item", "ticket", "window", "clerk", "created_at"]
    inlines = [CaseMaterialInline, CaseEventInline]


@admin.register(CaseNotice)
class CaseNoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "case", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number"]


admin.site.register(CasePause)
admin.site.register(Notification)
