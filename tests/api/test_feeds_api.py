"""The feeds API: reviewers follow outlets' feeds and poll them; readers cannot."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from factcheck import task_names
from factcheck.models import Feed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def client_as(name: str, role: str) -> APIClient:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_reviewer_follows_a_feed_once_and_polls_it(sent: list[Any], settings: Any) -> None:
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = False
    reviewer = client_as("rita", "reviewer")
    body = {"outlet": "River Wire", "url": "https://river.example/feed.xml", "poll_minutes": 30}
    created = reviewer.post("/api/v1/feeds/", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["outlet"], created.json()["poll_minutes"], created.json()["last_status"]) == (
        "River Wire",
        30,
        "new",
    )
    again = reviewer.post("/api/v1/feeds/", body, format="json")
    assert (again.status_code, again.json()["id"]) == (200, created.json()["id"])
    taken = reviewer.post("/api/v1/feeds/", {**body, "outlet": "Other"}, format="json")
    assert taken.status_code == 409
    assert "already followed for River Wire" in taken.json()["detail"]
    private = reviewer.post("/api/v1/feeds/", {**body, "url": "http://10.0.0.7/feed.xml"}, format="json")
    assert private.status_code == 400
    assert Feed.objects.count() == 1

    polled = reviewer.post(f"/api/v1/feeds/{created.json()['id']}/poll/")
    assert polled.status_code == 202
    assert sent == [(task_names.POLL_FEED, (created.json()["id"],))]
    assert [f["url"] for f in reviewer.get("/api/v1/feeds/").json()["results"]] == [body["url"]]


def test_readers_cannot_see_or_follow_feeds() -> None:
    reader = client_as("newsroom", "reader")
    assert reader.get("/api/v1/feeds/").status_code == 403
    assert (
        reader.post("/api/v1/feeds/", {"outlet": "X", "url": "https://x.example/f"}, format="json").status_code == 403
    )
    assert APIClient().get("/api/v1/feeds/").status_code in (401, 403)
