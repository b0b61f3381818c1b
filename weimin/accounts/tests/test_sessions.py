"""Signed-in sessions, read with prepared queries (accounts/sessions.py, accounts/backends.py): the same
answers as Django's own store and backend."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def signed_in(client):
    return client.get("/login/").wsgi_request.user


def test_a_session_signs_its_user_in_until_it_expires_or_the_user_is_deactivated(client):
    user = User.objects.create_user("clerk-s", password="x" * 12)
    client.force_login(user)
    assert signed_in(client) == user
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not signed_in(client).is_authenticated
    client.force_login(user)
    assert signed_in(client) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not signed_in(client).is_authenticated


def test_a_forged_or_unknown_session_key_is_nobody(client):
    client.cookies["sessionid"] = "x" * 32
    assert not signed_in(client).is_authenticated
    client.cookies["sessionid"] = "'; DROP TABLE django_session; --"
    assert not signed_in(client).is_authenticated
