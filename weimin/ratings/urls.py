from django.urls import path

from weimin.ratings import views

app_name = "ratings"

urlpatterns = [
    path("t/<str:token>/rate", views.rate_my_ticket, name="rate-mine"),
    path("halls/<str:code>/windows/<int:number>/rate/", views.pad, name="pad"),
    path("halls/<str:code>/windows/<int:number>/rate/state", views.pad_state, name="pad-state"),
]
