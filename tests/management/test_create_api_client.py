"""API clients and their tokens: a token keeps the role it was issued with; `Token` and `Bearer` both work."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck.roles import REVIEWER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def create_api_client(*arguments: str) -> str:
    out = StringIO()
    call_command("create_api_client", *arguments, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_it_refuses_to_change_a_clients_role_without_change_role() -> None:
    reader_token = create_api_client("Morning Wire", "--role", "reader")

    with pytest.raises(CommandError, match="--change-role: its earlier tokens are revoked"):
        create_api_client("Morning Wire", "--role", "editor")

    reader = client_with(f"Token {reader_token}")
    assert reader.get("/api/v1/verdicts/").status_code == 200
    assert reader.get("/api/v1/sources/").status_code == 403  # still a reader's token


def test_change_role_revokes_the_earlier_tokens_and_issues_one_with_the_new_role() -> None:
    reader_token = create_api_client("Morning Wire", "--role", "reader")

    editor_token = create_api_client("Morning Wire", "--role", "editor", "--change-role")

    assert client_with(f"Token {reader_token}").get("/api/v1/verdicts/").status_code == 401
    assert client_with(f"Token {editor_token}").get("/api/v1/sources/").status_code == 200


def test_the_same_role_again_adds_a_token_and_keeps_the_first() -> None:
    first = create_api_client("Morning Wire", "--role", "reviewer")
    second = create_api_client("Morning Wire", "--role", "reviewer")

    assert first != second
    for token in (first, second):
        assert client_with(f"Token {token}").get("/api/v1/sources/").status_code == 200


def test_it_refuses_to_turn_a_persons_login_into_an_api_client() -> None:
    rita = get_user_model().objects.create_user("rita", password="pw-for-tests-only")
    rita.groups.add(Group.objects.get(name=REVIEWER))

    with pytest.raises(CommandError, match="a person's login"):
        create_api_client("rita", "--role", "reader", "--change-role")

    assert list(rita.groups.values_list("name", flat=True)) == [REVIEWER]
    assert not AuthToken.objects.filter(user=rita).exists()


@pytest.mark.parametrize("prefix", ["Token", "Bearer", "bearer"])
def test_a_token_is_accepted_after_token_or_bearer(prefix: str) -> None:
    token = create_api_client("Morning Wire", "--role", "reader")

    assert client_with(f"{prefix} {token}").get("/api/v1/verdicts/").status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer not-a-token"])
def test_a_malformed_bearer_header_is_refused_in_json(header: str) -> None:
    response = client_with(header).get("/api/v1/verdicts/")

    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"  # not ignored as another scheme's header


def test_the_schema_documents_both_ways_to_send_a_token() -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The same API token, as `Authorization: Bearer <token>`.",
    }
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/verdicts/"]["get"]["security"]
