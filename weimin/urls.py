"""The project composes the apps' pages (NetBox's way). No two patterns can match the same path
(``weimin/tests/test_urls.py``), so order changes no answer; it puts the busiest first — the API, then the
queue's pages (the display's feed, the visitor's status) —, since the resolver tries patterns in turn."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from weimin.api import api

handler400 = "weimin.api.bad_request"
handler404 = "weimin.api.not_found"
handler500 = "weimin.api.server_error"

urlpatterns = [
    path("api/", api.urls),
    path("", include("weimin.tickets.urls")),
    path("", include("weimin.halls.urls")),
    path("", include("weimin.calendars.urls")),
    path("", include("weimin.cases.urls")),
    path("", include("weimin.ratings.urls")),
    path("", include("weimin.shifts.urls")),
    path("", include("weimin.accounts.urls")),
    path("console/", include("weimin.workstation.urls")),
    path("analytics/", include("weimin.analytics.urls")),
    path("planning/", include("weimin.planning.urls")),
    path("rivers/", include("weimin.rivers.urls")),
    path("campaign/", include("weimin.campaign.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
