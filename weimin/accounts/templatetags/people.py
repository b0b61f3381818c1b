"""``{{ user|person }}``: a staff member's name as pages show it (accounts.models.person_name)."""

from django import template

from weimin.accounts.models import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name; a name already written down (a notice's signature) stays as it is."""
    return user if isinstance(user, str) else person_name(user)
