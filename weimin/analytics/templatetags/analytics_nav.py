"""The analytics pages' navigation: the dashboards and the report a person may open."""

from django import template
from django.urls import reverse

from weimin.analytics import queries

register = template.Library()


@register.inclusion_tag("analytics/_nav.html", takes_context=True)
def analytics_nav(context):
    """The district dashboard for whoever compares halls (the office, a manager of several), each hall's
    dashboard for a manager (the office reaches the halls from the district's ranking), the report, the
    extended-service effect and the demand analysis."""
    request = context["request"]
    halls = queries.halls_for(request.user)
    district = queries.sees_district(request.user)
    links = []
    if district or len(halls) > 1:
        links.append((reverse("analytics:district"), "district", None))
    if not district:
        links += [(reverse("analytics:hall", args=[hall.code]), "hall", hall.name) for hall in halls]
    links.append((reverse("analytics:report"), "report", None))
    links.append((reverse("analytics:effect"), "effect", None))
    links.append((reverse("analytics:demand"), "demand", None))
    return {"links": links, "path": request.path}
