"""The analytics pages, mounted at /analytics/."""

app_name = "analytics"

urlpatterns: list = []
