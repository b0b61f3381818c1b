"""Issue 10, point 6: error pages citizens can read — Chinese, on a phone, with a way home — and a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.views import defaults


def assert_friendly(html: str, heading: str):
    assert heading in html and 'name="viewport"' in html and 'lang="zh-hans"' in html
    assert 'href="/"' in html and "返回首页" in html and "favicon" in html
    assert "Django" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_a_missing_page_is_chinese_with_a_way_home(client):
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    assert_friendly(page.content.decode(), "页面不存在")


def test_the_server_error_page_needs_no_database_and_no_context():
    """500.html renders when the database is what failed: this test has no database access at all."""
    with translation.override("zh-hans"):
        page = defaults.server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    assert_friendly(page.content.decode(), "服务出错了")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_bad_request_and_forbidden_pages(client, clerk):
    bad = client.get("/halls/", {"q": "\x00"})
    assert bad.status_code == 400
    assert_friendly(bad.content.decode(), "请求有误")
    with translation.override("zh-hans"):
        forbidden = defaults.permission_denied(RequestFactory().get("/"), PermissionError())
    assert forbidden.status_code == 403
    assert_friendly(forbidden.content.decode(), "无权访问")


@pytest.mark.django_db
def test_every_page_links_the_favicon_and_the_root_answers_for_it(client):
    home = client.get("/").content.decode()
    assert 'rel="icon" href="/static/weimin/favicon.svg"' in home
    assert finders.find("weimin/favicon.svg")
    icon = client.get("/favicon.ico")  # WhiteNoise serves core/root/ at the root
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO


@pytest.mark.django_db
def test_an_expired_form_says_so_in_chinese(hall):
    from django.test import Client

    expired = Client(enforce_csrf_checks=True).post("/cases/status/", {"number": "x", "id_number": "y"})
    assert expired.status_code == 403
    assert_friendly(expired.content.decode(), "表单已过期")
