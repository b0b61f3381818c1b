import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from weimin.accounts.choices import Role
from weimin.accounts.models import ApiToken, StaffProfile, hash_token
from weimin.accounts.permissions import Action, may

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(hall):
    user = User.objects.create_user("clerk", password="x")
    user.groups.add(Group.objects.get(name=Role.WINDOW_STAFF))
    StaffProfile.objects.create(user=user, display_name="黄小燕").halls.add(hall)
    return user


def issue(username: str) -> str:
    out = io.StringIO()
    call_command("issue-token", username, stdout=out)
    return out.getvalue().strip()


def test_role_groups_exist_with_back_office_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    office = Group.objects.get(name=Role.DISTRICT_OFFICE)
    assert office.permissions.filter(codename="change_serviceitem").exists()
    assert office.permissions.filter(codename="add_calendarday").exists()
    manager = Group.objects.get(name=Role.HALL_MANAGER)
    assert manager.permissions.filter(codename="change_openingschedule").exists()
    assert not manager.permissions.filter(codename="change_serviceitem").exists()
    assert not Group.objects.get(name=Role.WINDOW_STAFF).permissions.exists()


def test_issue_token_prints_a_token_and_stores_only_its_hash(clerk):
    token = issue("clerk")
    assert token.startswith("wm_") and len(token) > 30
    stored = ApiToken.objects.get(user=clerk)
    assert stored.key_hash == hash_token(token) and token not in (stored.key_hash, stored.prefix)


def test_issue_token_for_an_unknown_user_names_the_field():
    with pytest.raises(CommandError, match="username"):
        issue("nobody")


def test_bearer_token_authenticates_the_api(client, clerk):
    token = issue("clerk")
    me = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json() == {
        "username": "clerk",
        "display_name": "黄小燕",
        "roles": ["window_staff"],
        "halls": ["longgang-district"],
        "superuser": False,
    }
    assert ApiToken.objects.get(user=clerk).last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer wm_wrong", "Token abc", "Bearer "])
def test_missing_or_bad_tokens_are_401(client, clerk, header):
    issue("clerk")
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/me", **extra)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_revoked_token_and_inactive_user_are_refused(client, clerk):
    token = issue("clerk")
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    token = issue("clerk")
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_staff_act_only_at_their_halls_and_superusers_everywhere(clerk, hall, district):
    from weimin.halls.models import Hall

    other = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅", kind="subdistrict")
    assert may(clerk, Action.DUTY_SIGN_IN, hall) and not may(clerk, Action.DUTY_SIGN_IN, other)
    boss = User.objects.create_superuser("boss", password="x")
    assert may(boss, Action.DUTY_SIGN_IN, other)
    nobody = User.objects.create_user("nobody", password="x")
    assert not may(nobody, Action.DUTY_SIGN_IN, hall)
