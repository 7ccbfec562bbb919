"""The roles (groups created by migration 0011): reader, reviewer, editor, admin."""

from __future__ import annotations

from typing import Any

READER, REVIEWER, EDITOR, ADMIN = "reader", "reviewer", "editor", "admin"
ROLES = (READER, REVIEWER, EDITOR, ADMIN)


def role_of(user: Any) -> str | None:
    """The strongest role of a signed-in user: superusers are admins; None for no role."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in reversed(ROLES) if role in names), None)


def can_review(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("factcheck.review_claim"))


def can_publish(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("factcheck.publish_verdict"))
