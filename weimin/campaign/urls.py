"""The campaign's pages, mounted at /campaign/."""

from django.urls import path

from weimin.campaign import views

app_name = "campaign"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<str:code>/", views.dashboard, name="dashboard"),
    path("projects/<str:code>/mine/", views.mine, name="mine"),
    path("projects/<str:code>/lead/", views.lead, name="lead"),
    path("projects/<str:code>/calls", views.log_call, name="log-call"),
    path("projects/<str:code>/import", views.import_households, name="import"),
    path("projects/<str:code>/import/template", views.households_template, name="template"),
    path("projects/<str:code>/missed-calls", views.import_missed_calls, name="missed-calls"),
    path("households/<str:token>/", views.household, name="household"),
    path("households/<str:token>/file", views.case_file, name="case-file"),
    path("households/<str:token>/status", views.change_status, name="status"),
    path("households/<str:token>/meetings", views.meeting, name="meeting"),
    path("households/<str:token>/attachments", views.attach, name="attach"),
    path("households/<str:token>/incidents", views.incident, name="incident"),
    path("households/<str:token>/assistance", views.assistance, name="assistance"),
    path("households/<str:token>/reassign", views.reassign, name="reassign"),
    path("assistance/<int:assistance_id>/close", views.close_assistance, name="close-assistance"),
    path("tasks/<int:task_id>/done", views.task_done, name="task-done"),
    path("attachments/<int:attachment_id>", views.attachment, name="attachment"),
]
