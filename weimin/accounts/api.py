from ninja import Router

from weimin.accounts.auth import BearerToken
from weimin.accounts.schemas import MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, auth=BearerToken())
def me(request):
    """The staff member the bearer token belongs to, their roles and halls."""
    user = request.auth
    profile = getattr(user, "staff_profile", None)
    return {
        "username": user.get_username(),
        "display_name": profile.display_name if profile else "",
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "halls": sorted(profile.halls.values_list("code", flat=True)) if profile else [],
        "superuser": user.is_superuser,
    }
