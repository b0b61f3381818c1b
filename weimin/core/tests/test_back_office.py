"""The back office (后台管理) speaks Chinese and its lists are readable at a hall PC's 1366×768 (issue 10, point 12)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import User
from django.db.models import Field
from django.utils import translation

from weimin.conftest import CONSOLE
from weimin.demo import data
from weimin.demo.seed import seed_demo

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def labels(model, model_admin):
    """Every name the back office shows for a model: its section, its names, its list's columns and
    filters, its form's fields and its inlines'."""
    yield "section", model._meta.app_config.verbose_name
    yield "name", model._meta.verbose_name
    yield "plural", model._meta.verbose_name_plural
    for column in model_admin.list_display:
        if column != "__str__":
            yield f"column {column}", label_for_field(column, model, model_admin)
    for path in model_admin.list_filter:
        if isinstance(path, str):  # a path's last field names the filter
            *_, name = path.split("__")
            target = model
            for step in path.split("__")[:-1]:
                target = target._meta.get_field(step).related_model
            yield f"filter {path}", target._meta.get_field(name).verbose_name
    for field in model._meta.get_fields():
        if isinstance(field, Field) and field.editable and not field.auto_created:
            yield f"field {field.name}", field.verbose_name
    for inline in model_admin.inlines:
        yield f"inline {inline.model.__name__}", inline.model._meta.verbose_name_plural
        for name in inline.fields or []:
            yield f"inline field {inline.model.__name__}.{name}", inline.model._meta.get_field(name).verbose_name


def test_every_name_in_the_back_office_is_chinese():
    english = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            for where, label in labels(model, model_admin):
                if not CHINESE.search(str(label)):
                    english.append(f"{model._meta.label} {where}: {label}")
    assert english == []


@pytest.mark.django_db
def test_the_back_office_is_called_weimin(client):
    seed_demo()
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/").content.decode()
    assert "为民 · 后台管理" in page and "Django" not in page
    assert "Case notices" not in page and "告知书" in page and "办件暂停计时" in page and "通知" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_item_list_gives_names_room_at_1366(new_page, live_server, screenshots):
    seed_demo()
    page = new_page(viewport=CONSOLE)
    page.goto(live_server.url + "/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.inner_text("#site-name") == "为民 · 后台管理"
    page.screenshot(path=screenshots / "admin-home-1366.png")
    page.goto(live_server.url + "/admin/halls/serviceitem/")
    assert page.locator("#result_list thead th").nth(1).inner_text().strip() == "名称"  # names first
    narrowest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('#result_list th.field-name')]
                   .map(cell => cell.getBoundingClientRect().width))"""
    )
    assert narrowest > 100, "every item's name gets a column wider than a few characters"
    assert page.evaluate("document.querySelector('#result_list').getBoundingClientRect().right") <= 1366
    page.screenshot(path=screenshots / "admin-service-items-1366.png")
