from django.urls import path

from weimin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("devices/enroll/<str:code>/", views.enroll, name="enroll"),
    path("halls/<str:code>/devices/enroll-here/", views.enroll_here, name="enroll-here"),
]
