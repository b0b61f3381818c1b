from django.urls import path

from weimin.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/status/", views.status, name="status"),
    path("cases/<str:number>/notices/<int:notice_id>/", views.notice, name="notice"),
    # The applicant's link (the notice's QR code): the token is a secret, logs redact it (core/logs.py).
    path("cases/s/<str:token>/", views.mine, name="mine"),
    path("cases/s/<str:token>/notices/<int:notice_id>/", views.notice_by_link, name="my-notice"),
    path("halls/<str:code>/kiosk/resubmit/", views.kiosk_resubmit, name="kiosk-resubmit"),
    path("halls/<str:code>/cases/due/", views.due, name="due"),
]
