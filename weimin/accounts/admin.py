from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weimin.accounts import actions
from weimin.accounts.auth import halls_managed_by
from weimin.accounts.models import ApiToken, Device, StaffProfile
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.admin import HallScopedAdmin
from weimin.halls.models import Window


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
    """The district office edits every profile. A hall manager edits only the profiles of their own
    halls' staff — never their own halls, never a hall they do not manage — and adds or deletes none."""

    list_display = ["user", "display_name", "contracted_hours_per_week"]
    list_filter = ["halls", "user__groups"]
    search_fields = ["user__username", "display_name"]
    filter_horizontal = ["halls", "skills"]

    @staticmethod
    def _managed(request):
        """The halls whose staff the user may edit (only managers and the district office reach this
        page: roles.py), or None for every hall."""
        return halls_managed_by(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        halls = self._managed(request)
        return queryset if halls is None else queryset.filter(halls__in=halls).distinct()

    def get_readonly_fields(self, request, obj=None):
        if self._managed(request) is not None and (obj is None or obj.user_id == request.user.pk):
            return ["user", "halls"]  # one's own halls are the district office's to grant
        return ["user"] if self._managed(request) is not None else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        halls = self._managed(request)
        if db_field.name == "halls" and halls is not None:
            kwargs["queryset"] = halls
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """The form offers a manager only their halls: the profile keeps the halls it has elsewhere."""
        halls = self._managed(request)
        elsewhere = list(form.instance.halls.exclude(pk__in=halls)) if halls is not None and change else []
        super().save_related(request, form, formsets, change)
        if elsewhere:
            form.instance.halls.add(*elsewhere)

    def has_add_permission(self, request):
        return self._managed(request) is None and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self._managed(request) is None and super().has_delete_permission(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "label", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "prefix", "label"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued by `weimin issue-token`, which shows the secret once


@admin.register(Device)
class DeviceAdmin(HallScopedAdmin):
    """A hall's kiosks and rating pads. Adding one shows its one-time enrollment link once; revoking
    takes effect at the device's next request. Rows are kept (revoked, not deleted) as the record."""

    list_display = ["__str__", "hall", "kind", "window", "enrolled_at", "last_seen_at", "enrolled_by", "revoked"]
    list_filter = ["hall", "kind", "revoked"]
    search_fields = ["label", "hall__name", "hall__code"]
    readonly_fields = ["enrolled_by", "created_at", "enrolled_at", "link_expires_at", "last_seen_at", "revoked"]
    actions = ["make_enrollment_links", "revoke"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["hall", "kind", "window"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        halls = halls_managed_by(request.user)
        if db_field.name == "window" and halls is not None:
            kwargs["queryset"] = Window.objects.filter(hall__in=halls)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def _show_link(self, request, link) -> None:
        url = request.build_absolute_uri(reverse("accounts:enroll", args=[link.code]))
        expires = timezone.localtime(link.device.link_expires_at)
        self.message_user(
            request,
            _("Open this link on %(device)s to enroll it (once, before %(expires)s; it is not shown again): %(url)s")
            % {"device": link.device, "expires": f"{expires:%Y-%m-%d %H:%M}", "url": url},
            messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # only the label changes
            return
        try:
            link = actions.add_device(request.user, obj, clock.now())
        except DomainError as error:
            raise PermissionDenied(error.message) from error
        self._show_link(request, link)

    @admin.action(description=_("Make a new enrollment link"))
    def make_enrollment_links(self, request, queryset):
        for device in queryset.select_related("hall", "window"):
            try:
                self._show_link(request, actions.new_enrollment_link(request.user, device, clock.now()))
            except DomainError as error:
                self.message_user(request, f"{device}: {error.message}", messages.ERROR)

    @admin.action(description=_("Revoke (the device stops working at once)"))
    def revoke(self, request, queryset):
        for device in queryset:
            actions.revoke_device(request.user, device, clock.now())
        self.message_user(request, _("Revoked: %(n)s.") % {"n": queryset.count()}, messages.SUCCESS)
