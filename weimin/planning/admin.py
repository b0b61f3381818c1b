from django.contrib import admin

from weimin.halls.admin import HallScopedAdmin
from weimin.planning.models import Absence, ShiftPattern, ShiftPreference


@admin.register(ShiftPattern)
class ShiftPatternAdmin(HallScopedAdmin):
    """The shifts the roster may give (班次). A hall without any gets an early and a late shift drawn from
    its opening hours (``planning.plan.shift_patterns``)."""

    list_display = ["hall", "name", "start", "end", "break_minutes", "break_start", "weekdays"]
    list_filter = ["hall"]
    search_fields = ["name"]


@admin.register(Absence)
class AbsenceAdmin(HallScopedAdmin):
    """Leave and unavailability the roster respects."""

    hall_path = "user__staff_profile__halls"
    list_display = ["user", "kind", "starts_at", "ends_at", "note"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__staff_profile__display_name", "note"]
    date_hierarchy = "starts_at"


@admin.register(ShiftPreference)
class ShiftPreferenceAdmin(HallScopedAdmin):
    """Staff wishes the roster weighs (never above coverage or the labour rules)."""

    hall_path = "user__staff_profile__halls"
    list_display = ["user", "wanted", "weekday", "pattern", "note"]
    list_filter = ["wanted", "weekday"]
    search_fields = ["user__username", "user__staff_profile__display_name", "pattern", "note"]
