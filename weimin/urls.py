from django.contrib import admin
from django.urls import include, path

from weimin.core.api import api

urlpatterns = [
    path("", include("weimin.halls.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
