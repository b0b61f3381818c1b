"""Issue 9, item 6: every page answers with a Content-Security-Policy that runs scripts from weimin's own
files only, and no page or template needs inline script, an inline event handler or an inline style."""

import re
from pathlib import Path

import pytest

from weimin.core import clock

WEIMIN = Path(__file__).resolve().parent.parent
# <script> without src= runs inline; a JSON data block (type="application/json") does not run.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def inline_code(html: str) -> list[str]:
    found = []
    for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE):
        found += [m.group(0)[:120] for m in pattern.finditer(html)]
    return found


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered without a Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_no_template_has_inline_script_handlers_or_styles():
    """New templates too: a <script> body, onclick= or style= would be blocked by the policy."""
    offenders = {}
    for template in WEIMIN.glob("*/templates/**/*.html"):
        found = inline_code(template.read_text())
        if found:
            offenders[str(template.relative_to(WEIMIN))] = found
    assert offenders == {}


def test_the_policy_allows_scripts_and_styles_from_weimin_only(client, db):
    directives = policy(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


@pytest.fixture
def pages(hall, item, window, clerk, at_window):
    """The main pages, each with the user who opens it (None: anonymous)."""
    from django.contrib.auth.models import User

    from weimin.tickets import actions

    issued = actions.issue_ticket(hall, item, clock.now())
    admin = User.objects.create_superuser("office", password="x")
    code = hall.code
    return [
        (None, "/"),
        (None, f"/halls/{code}/"),
        (None, f"/items/{item.code}/"),
        (None, f"/halls/{code}/kiosk/"),
        (None, f"/halls/{code}/kiosk/items/{item.code}/"),
        (None, f"/halls/{code}/kiosk/check-in/"),
        (None, f"/halls/{code}/kiosk/fast-lane/"),
        (None, f"/t/{issued.token}/"),
        (None, f"/t/{issued.token}/slip/"),
        (None, f"/halls/{code}/display/"),
        (None, f"/halls/{code}/display/feed"),
        (None, f"/halls/{code}/appointments/?item={item.code}"),
        (None, "/cases/status/"),
        (None, f"/halls/{code}/windows/{window.number}/rate/"),
        (None, "/login/"),
        (None, "/no-such-page/"),
        (None, "/api/docs"),
        (None, "/api/halls"),
        (clerk, "/console/"),
        (clerk, f"/console/{window.pk}/"),
        (clerk, f"/console/{window.pk}/panel"),
        (admin, f"/halls/{code}/manage/"),
        (admin, f"/halls/{code}/cases/due/"),
        (admin, "/admin/"),
        (admin, "/admin/halls/itemcategory/"),
        (admin, f"/admin/halls/itemcategory/{item.category.pk}/change/"),
        (admin, "/admin/halls/hall/add/"),
    ]


def test_every_page_answers_with_the_policy_and_no_inline_code(client, pages):
    for user, url in pages:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code < 500, url
        assert policy(response)["script-src"] == ["'self'"], url
        if response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], url
