"""Readers never see the desk's login names: a verdict's author and approver, and a claim's
assignee, are shown to them by display name or not at all; reviewers and editors keep usernames."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.models import Claim, RatingLabel, Verdict
from factcheck.roles import EDITOR, READER, REVIEWER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]


def person(username: str, role: str, **names: str):
    user = get_user_model().objects.create_user(username, password="pw-for-tests-only", **names)
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def published() -> Verdict:
    author = person("rita.k", REVIEWER, first_name="Rita", last_name="Kovač")
    approver = person("eli-admin2", EDITOR)  # no display name
    claim = Claim.objects.create(text="Twelve people died in the strike.", status="published", assignee=author)
    return Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug="true"),
        summary="Confirmed by two outlets.",
        status="published",
        published_at=timezone.now(),
        slug="twelve-people-died",
        author=author,
        approved_by=approver,
    )


def test_a_reader_sees_display_names_or_nothing_never_a_login(published: Verdict) -> None:
    reader = client_for(person("newsroom", READER))

    listed = reader.get("/api/v1/verdicts/").json()["results"][0]
    detail = reader.get(f"/api/v1/verdicts/{published.pk}/").json()
    claim = reader.get(f"/api/v1/claims/{published.claim_id}/").json()

    for verdict in (listed, detail):
        assert (verdict["author"], verdict["approved_by"]) == ("Rita Kovač", None)
    assert claim["assignee"] == "Rita Kovač"
    for body in (listed, detail, claim):
        assert "rita.k" not in str(body)
        assert "eli-admin2" not in str(body)


def test_reviewers_and_editors_keep_usernames(published: Verdict) -> None:
    for role in (REVIEWER, EDITOR):
        desk = client_for(person(f"desk-{role}", role))
        verdict = desk.get(f"/api/v1/verdicts/{published.pk}/").json()
        claim = desk.get(f"/api/v1/claims/{published.claim_id}/").json()
        assert (verdict["author"], verdict["approved_by"], claim["assignee"]) == ("rita.k", "eli-admin2", "rita.k")


def test_a_readers_cached_page_does_not_leak_to_reviewers_or_back(published: Verdict) -> None:
    reader = client_for(person("newsroom", READER))
    reviewer = client_for(person("ravi", REVIEWER))

    assert reader.get("/api/v1/verdicts/").json()["results"][0]["author"] == "Rita Kovač"
    assert reviewer.get("/api/v1/verdicts/").json()["results"][0]["author"] == "rita.k"
    assert reader.get("/api/v1/verdicts/").json()["results"][0]["author"] == "Rita Kovač"


def test_the_schema_says_the_people_fields_may_be_null() -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()["components"]["schemas"]

    for component, field in (("Verdict", "author"), ("Verdict", "approved_by"), ("Claim", "assignee")):
        described = schema[component]["properties"][field]
        assert described["type"] == "string"
        assert described["nullable"] is True
        assert described["readOnly"] is True
