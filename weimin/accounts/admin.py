from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from weimin.accounts.models import ApiToken, StaffProfile


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["halls", "skills"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_filter = [*UserAdmin.list_filter, "staff_profile__halls"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "contracted_hours_per_week"]
    list_filter = ["halls", "user__groups"]
    search_fields = ["user__username", "display_name"]
    filter_horizontal = ["halls", "skills"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "label", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "prefix", "label"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued by `weimin issue-token`, which shows the secret once
