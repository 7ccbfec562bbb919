"""A verified API token is remembered for a few seconds, and forgotten at once when it is revoked
or its user's role changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

# A page for reviewers and editors only (readers get 403).
PAGE = "/api/v1/sources/"


def person(name: str, role: str):
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user, **token_options) -> tuple[APIClient, AuthToken]:
    auth_token, token = AuthToken.objects.create(user=user, **{"expiry": None, **token_options})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client, auth_token


def get_counting(client: APIClient, url: str = PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def access_queries(sql: list[str]) -> list[str]:
    return [q for q in sql if any(t in q for t in ("knox_authtoken", "auth_group", "auth_permission"))]


def test_a_token_is_checked_against_the_database_once_then_remembered() -> None:
    client, _ = client_for(person("rita", "reviewer"))
    first, first_sql = get_counting(client)
    second, second_sql = get_counting(client)
    assert first.status_code == second.status_code == 200
    assert access_queries(first_sql)
    assert access_queries(second_sql) == []


def test_a_revoked_token_is_refused_at_once() -> None:
    client, auth_token = client_for(person("rita", "reviewer"))
    assert client.get(PAGE).status_code == 200
    auth_token.delete()  # as the admin's "revoke" does
    assert client.get(PAGE).status_code == 401


def test_a_role_taken_away_applies_at_once() -> None:
    user = person("rita", "reviewer")
    client, _ = client_for(user)
    assert client.get(PAGE).status_code == 200
    user.groups.set([Group.objects.get(name="reader")])
    assert client.get(PAGE).status_code == 403


def test_a_deactivated_user_is_refused_at_once() -> None:
    user = person("rita", "reviewer")
    client, _ = client_for(user)
    assert client.get(PAGE).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(PAGE).status_code == 401


def test_an_expired_token_is_never_served_from_the_cache(monkeypatch) -> None:
    client, _ = client_for(person("rita", "reviewer"), expiry=dt.timedelta(minutes=5))
    assert client.get(PAGE).status_code == 200
    later = timezone.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(PAGE).status_code == 401


def test_a_wrong_token_is_refused_and_a_malformed_one_too() -> None:
    client, _ = client_for(person("rita", "reviewer"))
    assert client.get(PAGE).status_code == 200
    for wrong in ("0" * 64, "zz-not-hex", "\u00e9t\u00e9"):
        stranger = APIClient()
        stranger.credentials(HTTP_AUTHORIZATION=f"Token {wrong}")
        assert stranger.get(PAGE).status_code == 401, wrong


def test_no_token_is_remembered_when_it_is_switched_off(settings) -> None:
    settings.FACTCHECK_API_AUTH_CACHE_SECONDS = 0
    client, _ = client_for(person("rita", "reviewer"))
    get_counting(client)
    _, sql = get_counting(client)
    assert access_queries(sql)
