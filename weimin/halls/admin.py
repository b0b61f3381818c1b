from django.contrib import admin

from weimin.accounts.auth import halls_managed_by
from weimin.halls.forms import SpecialDaySessionsFormSet, WeeklySessionsFormSet
from weimin.halls.models import (
    Department,
    District,
    Hall,
    ItemCategory,
    Material,
    OpeningSchedule,
    OpeningSession,
    ServiceItem,
    SpecialDay,
    SpecialDaySession,
    Window,
)


class HallScopedAdmin(admin.ModelAdmin):
    """A hall manager sees and edits only the rows of the halls they belong to."""

    hall_path = "hall"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        halls = halls_managed_by(request.user)
        return queryset if halls is None else queryset.filter(**{f"{self.hall_path}__in": halls})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        halls = halls_managed_by(request.user)
        if db_field.name == "hall" and halls is not None:
            kwargs["queryset"] = halls
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    fields = ["number", "label", "active"]
    show_change_link = True


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "address", "ticket_cutoff_minutes", "remote_tickets"]
    list_filter = ["kind", "district"]
    search_fields = ["code", "name", "address"]
    inlines = [WindowInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(ItemCategory)
class ItemCategoryAdmin(admin.ModelAdmin):
    list_display = ["ticket_prefix", "code", "name"]
    search_fields = ["code", "name", "ticket_prefix"]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ["position", "name", "description", "required", "tolerance_eligible", "copies"]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "department",
        "category",
        "handling_minutes",
        "promised_days",
        "statutory_days",
        "appointment_allowed",
        "active",
    ]
    list_filter = ["category", "department", "appointment_allowed", "active"]
    search_fields = ["code", "name", "materials__name"]
    inlines = [MaterialInline]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["name", "item", "required", "tolerance_eligible", "copies"]
    list_filter = ["required", "tolerance_eligible", "item__category"]
    search_fields = ["name", "item__name", "item__code"]
    autocomplete_fields = ["item"]


@admin.register(Window)
class WindowAdmin(HallScopedAdmin):
    list_display = ["hall", "number", "label", "active"]
    list_filter = ["hall", "active"]
    search_fields = ["hall__name", "label", "items__name"]
    filter_horizontal = ["items"]


class OpeningSessionInline(admin.TabularInline):
    model = OpeningSession
    formset = WeeklySessionsFormSet
    extra = 0


@admin.register(OpeningSchedule)
class OpeningScheduleAdmin(HallScopedAdmin):
    list_display = ["hall", "name", "valid_from", "valid_until"]
    list_filter = ["hall"]
    search_fields = ["hall__name", "name"]
    inlines = [OpeningSessionInline]


class SpecialDaySessionInline(admin.TabularInline):
    model = SpecialDaySession
    formset = SpecialDaySessionsFormSet
    extra = 0


@admin.register(SpecialDay)
class SpecialDayAdmin(HallScopedAdmin):
    list_display = ["hall", "date", "closed", "reason"]
    list_filter = ["hall", "closed"]
    search_fields = ["hall__name", "reason"]
    date_hierarchy = "date"
    inlines = [SpecialDaySessionInline]
