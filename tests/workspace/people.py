"""The desk's people and claims, as the workspace tests make them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from factcheck.models import Claim


def person(name: str, role: str | None = "reviewer") -> tuple[Client, Any]:
    """A signed-in staff member with a role ("reviewer", "editor"), or none: their client and user."""
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client, user


def waiting_claim(text: str, worthiness: float, **fields: object) -> Claim:
    """A claim waiting for review (unless ``status`` says otherwise), as check-worthy as given."""
    fields.setdefault("status", Claim.Status.NEEDS_REVIEW)
    return Claim.objects.create(text=text, check_worthiness=worthiness, **fields)
