"""The back office (后台管理) as a whole: its name in Chinese, and the width of the page for the lists."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

admin.site.site_header = _("Weimin · back office")
admin.site.site_title = _("Weimin back office")
admin.site.index_title = _("Back office")
# The catalogue's lists have many columns: at a hall PC's 1366 px the app sidebar would leave names a
# column two characters wide. The breadcrumbs and the home page lead between lists instead.
admin.site.enable_nav_sidebar = False

# django-axes (sign-in lockouts, docs/security.md) ships no Chinese. Its section gets a name, and the
# strings its back-office lists show are marked here so that weimin's catalogue carries them: Django
# merges catalogues, so axes' own lazy strings find their Chinese there.
apps.get_app_config("axes").verbose_name = _("Sign-in attempts and lockouts")
AXES_STRINGS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
]


class SignInAttemptAdmin(AccessAttemptAdmin):
    """axes' list of sign-in attempts, with its status column named (axes leaves it unnamed)."""

    @admin.display(description=_("Status"))
    def status(self, obj):
        return super().status(obj)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInAttemptAdmin)
