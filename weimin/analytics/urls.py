"""The analytics pages, mounted at /analytics/."""

from django.urls import path

from weimin.analytics import views

app_name = "analytics"

urlpatterns: list = [
    path("demand/", views.demand_page, name="demand"),
]
