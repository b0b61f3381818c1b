"""The planning pages, mounted at /planning/."""

from django.urls import path

from weimin.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("halls/<str:code>/", views.hall_week, name="hall"),
    path("halls/<str:code>/run", views.run_status, name="run"),
    path("halls/<str:code>/plan", views.plan, name="plan"),
    path("halls/<str:code>/runs/<int:run_id>/stop", views.stop, name="stop"),
    path("halls/<str:code>/rosters/<int:roster_id>/shift", views.edit_shift, name="edit-shift"),
    path("halls/<str:code>/rosters/<int:roster_id>/approve", views.approve, name="approve"),
]
