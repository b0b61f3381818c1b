"""The campaign's back office: projects and their teams; households and owners to correct particulars. The life
cycle, the call log and the audit trails change only through campaign.actions, so they are read only here, and
owners' whole ID numbers stay out of it (the bound cadre and leader read them on the household's page)."""

from django.contrib import admin

from weimin.campaign.models import Household, HouseholdEvent, Owner, Project, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    filter_horizontal = ["members"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "river", "target_area_m2", "deadline"]
    search_fields = ["code", "name", "river"]
    inlines = [TeamInline]


class OwnerInline(admin.TabularInline):
    model = Owner
    extra = 0
    fields = ["kind", "name", "credit_code", "phone", "other_phone"]


class EventInline(admin.TabularInline):
    model = HouseholdEvent
    extra = 0
    fields = readonly_fields = ["at", "actor", "kind", "reason", "detail"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["number", "project", "address", "floor_area_m2", "status", "team", "cadre"]
    list_filter = ["project", "status", "team", "no_solo_visits"]
    search_fields = ["number", "address"]
    readonly_fields = ["status", "cadre", "leader", "no_solo_visits"]
    inlines = [OwnerInline, EventInline]
