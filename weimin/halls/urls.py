from django.urls import path

from weimin.halls import views

app_name = "halls"

urlpatterns = [
    path("", views.home, name="home"),
    path("fragments/hall-status/", views.hall_status_fragment, name="hall-status"),
    path("halls/<str:code>/", views.hall_detail, name="hall"),
    path("items/<str:code>/", views.item_detail, name="item"),
]
