"""Page forms whose errors name the field in plain words, and all of a form's errors for a message."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class NamedMaxLength(MaxLengthValidator):
    """Django's stock length error ("Ensure this value has at most…") names no field: this one says
    which field and how many characters ("姓名最多 40 个字")."""

    message = _("%(field)s can have at most %(limit_value)d characters (it has %(show_value)d).")

    def __init__(self, limit_value: int, field_name: str):
        super().__init__(limit_value)
        self.field_name = field_name

    def __call__(self, value):
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            params = {"field": self.field_name, "limit_value": self.limit_value, "show_value": length, "value": value}
            raise ValidationError(self.message, code=self.code, params=params)


class Form(forms.Form):
    """The project's page form: length limits name their field (fields added after construction too,
    such as a case's checklist notes)."""

    def full_clean(self):
        for field in self.fields.values():
            if getattr(field, "max_length", None) and not any(isinstance(v, NamedMaxLength) for v in field.validators):
                stock = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.validators = [*stock, NamedMaxLength(field.max_length, field.label or "")]
        super().full_clean()


def all_errors(form: forms.Form) -> list[str]:
    """Every error of a bound form, each naming its field: a page that shows errors as messages shows
    them all, not the first one."""
    found = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label or "") if name in form.fields else ""
        for error in errors:
            named = not label or str(error).startswith(label)  # NamedMaxLength's errors name it already
            found.append(str(error) if named else _("%(field)s: %(message)s") % {"field": label, "message": error})
    return found
