"""Django's messages, their storage built only when a view or page uses it (core.middleware)."""

import pytest
from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from weimin.core import middleware

pytestmark = pytest.mark.django_db


def answer(view, cookie: str = "") -> HttpResponse:
    request = RequestFactory().get("/", HTTP_COOKIE=cookie)
    SessionMiddleware(lambda request: None).process_request(request)
    return middleware.LazyMessageMiddleware(view)(request)


def test_an_answer_that_shows_no_message_builds_no_storage(monkeypatch):
    monkeypatch.setattr(middleware, "default_storage", lambda request: pytest.fail("the storage was built"))
    assert answer(lambda request: HttpResponse("ok")).status_code == 200


def test_a_message_added_reaches_the_next_page():
    def saves(request):
        messages.success(request, "2027 已保存")
        return HttpResponse("saved")

    def shows(request):
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    stored = answer(saves).cookies["messages"].value
    assert answer(shows, f"messages={stored}").content.decode() == "2027 已保存"
