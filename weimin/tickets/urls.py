from django.urls import path

from weimin.tickets import views

app_name = "tickets"

urlpatterns = [
    path("halls/<str:code>/kiosk/", views.kiosk, name="kiosk"),
    path("halls/<str:code>/kiosk/check-in/", views.kiosk_check_in, name="kiosk-check-in"),
    path("halls/<str:code>/kiosk/fast-lane/", views.kiosk_fast_lane, name="kiosk-fast-lane"),
    path("halls/<str:code>/kiosk/items/<str:item_code>/", views.kiosk_item, name="kiosk-item"),
    path("halls/<str:code>/remote-ticket/", views.remote_ticket, name="remote-ticket"),
    path("halls/<str:code>/appointments/", views.appointments, name="appointments"),
    # The booking's link: the token is its key (logs redact it, core/logs.py).
    path("a/<str:token>/", views.my_appointment, name="my-appointment"),
    path("halls/<str:code>/display/", views.display, name="display"),
    path("halls/<str:code>/display/feed", views.display_feed, name="display-feed"),
    path("halls/<str:code>/events", views.hall_events, name="hall-events"),
    path("t/<str:token>/", views.my_ticket, name="mine"),
    path("t/<str:token>/status", views.my_ticket_status, name="mine-status"),
    path("t/<str:token>/events", views.my_ticket_events, name="mine-events"),
    path("t/<str:token>/cancel", views.my_ticket_cancel, name="mine-cancel"),
    path("t/<str:token>/slip/", views.ticket_slip, name="slip"),
]
