from django.urls import path

from weimin.shifts import views

app_name = "shifts"

urlpatterns = [
    path("halls/<str:code>/manage/", views.manage, name="manage"),
    path("logistics/<int:item_id>/tick", views.tick, name="tick"),
    path("halls/<str:code>/pool/<str:number>/assign", views.assign_case, name="assign-case"),
    path("halls/<str:code>/handed-tickets/<int:ticket_id>/send", views.send_ticket, name="send-ticket"),
    path("halls/<str:code>/follow-ups/<int:pk>/contacted", views.follow_up_contacted, name="follow-up-contacted"),
    path("halls/<str:code>/follow-ups/<int:pk>/resolve", views.follow_up_resolve, name="follow-up-resolve"),
]
