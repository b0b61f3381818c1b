"""Pages and API routes are order-free: no pattern can answer a path meant for another.

Every pattern gets a sample path (its converters filled in); exactly one pattern — its own — may match
it. A catch-all such as ``kiosk/<item_code>/`` beside ``kiosk/resubmit/`` fails here whatever the order.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver, path

SAMPLES = {"int": "7", "path": "zz7/zz7"}  # any other converter (str, slug, ninja's): "zz7"
DJANGO_OWN = ("admin/", "i18n/")  # Django's admin and language switch: not ours to order


def leaves(patterns, prefix_regex="", prefix_route=""):
    for entry in patterns:
        regex = entry.pattern.regex.pattern.lstrip("^").removesuffix(r"\Z").removesuffix("$")
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route in DJANGO_OWN:
                continue
            yield from leaves(entry.url_patterns, prefix_regex + regex, prefix_route + route)
        elif isinstance(entry, URLPattern):
            yield prefix_route + route, re.compile(prefix_regex + regex)


def sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "zz7"), route)


def clashes(urlpatterns) -> list[tuple[str, list[str]]]:
    patterns = list(leaves(urlpatterns))
    routes = [route for route, _ in patterns]
    assert len(routes) == len(set(routes)), "a route is mounted twice"
    found = []
    for route, _ in patterns:
        matching = [other for other, regex in patterns if regex.fullmatch(sample(route))]
        if matching != [route]:
            found.append((route, matching))
    return found


def test_no_pattern_answers_another_patterns_path():
    urlpatterns = get_resolver().url_patterns
    routes = [route for route, _ in leaves(urlpatterns)]
    assert any(r.startswith("api/tickets/") for r in routes) and any(r.startswith("console/") for r in routes)
    assert {"analytics/", "analytics/halls/<str:code>/", "analytics/halls/<str:code>/live", "analytics/report/"} <= set(
        routes
    )
    assert any(r.startswith("api/analytics/summary") for r in routes)
    assert any(r.startswith("api/analytics/breakdown") for r in routes)
    assert {"planning/halls/<str:code>/", "planning/halls/<str:code>/rosters/<int:roster_id>/shift"} <= set(routes)
    assert {
        "rivers/",
        "rivers/bodies/<str:code>/",
        "rivers/bodies/<str:code>/surveys/",
        "rivers/samples/import",
    } <= set(routes)
    assert any(r.startswith("api/rivers/bodies") for r in routes)
    assert {"campaign/projects/<str:code>/mine/", "campaign/households/<str:token>/file"} <= set(routes)
    assert any(r.startswith("api/campaign/calls") for r in routes)
    assert clashes(urlpatterns) == []


def test_a_catch_all_is_caught():
    """The layout before the workstation and kiosk routes were made explicit."""
    view = lambda request: None  # noqa: E731
    old = [
        path("halls/<str:code>/kiosk/<str:item_code>/", view),
        path("halls/<str:code>/kiosk/resubmit/", view),
        path("console/<int:window_id>/<str:action>", view),
        path("console/<int:window_id>/sign-in", view),
    ]
    assert [route for route, _ in clashes(old)] == [
        "halls/<str:code>/kiosk/resubmit/",
        "console/<int:window_id>/sign-in",
    ]
