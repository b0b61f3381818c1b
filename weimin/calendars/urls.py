from django.urls import path

from weimin.calendars import views

app_name = "calendars"

urlpatterns = [
    path("calendar/years/", views.enter_year, name="enter"),
]
