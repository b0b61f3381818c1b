"""Roles as Django groups, and the back-office permissions each role holds."""

from django.contrib.auth.models import Group, Permission

from weimin.accounts.choices import Role

# app_label → models whose add/change/delete/view permissions the role holds in the admin.
ROLE_MODEL_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    Role.DISTRICT_OFFICE: {
        "halls": [
            "district",
            "hall",
            "department",
            "itemcategory",
            "serviceitem",
            "material",
            "window",
            "openingschedule",
            "openingsession",
            "specialday",
            "specialdaysession",
        ],
        "calendars": ["calendaryear", "calendarday"],
        "accounts": ["staffprofile", "device"],
    },
    Role.HALL_MANAGER: {
        "halls": ["window", "openingschedule", "openingsession", "specialday", "specialdaysession"],
        "accounts": ["staffprofile", "device"],
        "planning": ["shiftpattern", "absence", "shiftpreference"],
    },
    # The river register (bodies, reaches, points); samples and surveys are read-only in the back office.
    Role.RIVER_OFFICE: {"rivers": ["waterbody", "reach", "monitoringpoint", "sample", "survey"]},
}


def sync_role_groups(**kwargs) -> None:
    """post_migrate: every role has its group and exactly its permissions (idempotent)."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = Permission.objects.none()
        for app_label, models in ROLE_MODEL_PERMISSIONS.get(role, {}).items():
            wanted = wanted | Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        group.permissions.set(wanted)
