"""The river office's pages, mounted at /rivers/."""

from django.urls import path

from weimin.rivers import views

app_name = "rivers"

urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<str:code>/", views.body, name="body"),
    path("bodies/<str:code>/surveys/", views.surveys, name="surveys"),
    path("samples/new", views.new_sample, name="new-sample"),
    path("samples/import", views.import_samples, name="import"),
]
