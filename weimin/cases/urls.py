from django.urls import path

from weimin.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/status/", views.status, name="status"),
    path("cases/<str:number>/notices/<int:notice_id>/", views.notice, name="notice"),
    path("halls/<str:code>/kiosk/resubmit/", views.kiosk_resubmit, name="kiosk-resubmit"),
    path("halls/<str:code>/cases/due/", views.due, name="due"),
]
