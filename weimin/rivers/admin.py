"""The river register in the back office: water bodies with their reaches, reaches with their points
(chainage along the body). Samples and surveys are read here only: they are recorded through the office's
pages and the API (``rivers.actions``), which check them."""

from django.contrib import admin

from weimin.rivers.models import MonitoringPoint, Reach, Sample, Survey, WaterBody


class ReachInline(admin.TabularInline):
    model = Reach
    extra = 0


class PointInline(admin.TabularInline):
    model = MonitoringPoint
    extra = 0


@admin.register(WaterBody)
class WaterBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "subdistrict", "length_m", "listed", "position"]
    list_filter = ["listed", "subdistrict"]
    search_fields = ["name", "code"]
    inlines = [ReachInline]


@admin.register(Reach)
class ReachAdmin(admin.ModelAdmin):
    list_display = ["body", "name", "start_m", "end_m"]
    list_filter = ["body"]
    inlines = [PointInline]


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reach", "chainage_m"]
    list_filter = ["reach__body"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ["taken_on", "point", "depth_cm", "transparency_cm", "do_mg_l", "orp_mv", "nh3n_mg_l", "sampler"]
    list_filter = ["point__reach__body"]
    date_hierarchy = "taken_on"


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["body", "held_from", "held_to", "responses", "valid", "satisfied"]
    list_filter = ["body"]
