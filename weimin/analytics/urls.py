"""The analytics pages, mounted at /analytics/."""

from django.urls import path

from weimin.analytics import views

app_name = "analytics"

urlpatterns = [
    path("effect/", views.effect, name="effect"),
    path("demand/", views.demand_page, name="demand"),
    path("", views.district_dashboard, name="district"),
    path("halls/<str:code>/", views.hall_dashboard, name="hall"),
    path("halls/<str:code>/live", views.hall_live, name="hall-live"),
    path("report/", views.report, name="report"),
]
