"""Issue 10, point 6: a field's length error was Django's stock "确保该变量…" naming no field."""

from django import forms
from django.utils import translation

from weimin.core.forms import Form, all_errors


class Applicant(Form):
    name = forms.CharField(label="姓名", max_length=50)
    note = forms.CharField(label="备注", max_length=5, required=False)


def test_length_errors_name_the_field_in_plain_chinese():
    with translation.override("zh-hans"):
        form = Applicant({"name": "张" * 51, "note": "太长的备注了"})
        assert not form.is_valid()
        assert form.errors["name"] == ["姓名最多 50 个字（现有 51 个）。"]
        assert all_errors(form) == ["姓名最多 50 个字（现有 51 个）。", "备注最多 5 个字（现有 6 个）。"]


def test_fields_added_after_construction_are_named_too():
    with translation.override("zh-hans"):
        form = Applicant({"name": "张三", "extra": "x" * 3})
        form.fields["extra"] = forms.CharField(label="材料说明", max_length=2)
        assert not form.is_valid() and form.errors["extra"] == ["材料说明最多 2 个字（现有 3 个）。"]
        required = Applicant({})
        assert not required.is_valid() and all_errors(required) == ["姓名：这个字段是必填项。"]
