from django.urls import path

from weimin.workstation import views

app_name = "workstation"

# Mounted at console/. Each button is an explicit path: no catch-all segment can swallow another page.
urlpatterns = [
    path("", views.choose, name="choose"),
    path("<int:window_id>/", views.window, name="window"),
    path("<int:window_id>/panel", views.panel, name="panel"),
    path("<int:window_id>/case/", views.case, name="case"),
    path("<int:window_id>/sign-in", views.sign_in, name="sign-in"),
    path("<int:window_id>/sign-out", views.sign_out, name="sign-out"),
    *[path(f"<int:window_id>/{name}", views.act, {"action": name}, name="act") for name in views.CONSOLE_ACTIONS],
    path("handovers/<int:handover_id>/acknowledge", views.acknowledge, name="acknowledge"),
    path("<int:window_id>/pool/<str:number>/take", views.take_case, name="take-case"),
]
