"""What other apps read of the staff: who works at a hall's windows, with their skills and contract."""

from weimin.accounts.choices import Role
from weimin.accounts.models import StaffProfile


def window_staff(hall) -> list[StaffProfile]:
    """The hall's window staff (the ``window_staff`` role), with their accounts and skills, by name."""
    profiles = (
        StaffProfile.objects.filter(halls=hall, user__groups__name=Role.WINDOW_STAFF, user__is_active=True)
        .select_related("user")
        .prefetch_related("skills")
        .distinct()
    )
    return sorted(profiles, key=lambda profile: (str(profile), profile.user_id))
