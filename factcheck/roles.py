"""The roles (groups created by migration 0011): reader, reviewer, editor, admin."""

from __future__ import annotations

from typing import Any

READER, REVIEWER, EDITOR, ADMIN = "reader", "reviewer", "editor", "admin"
ROLES = (READER, REVIEWER, EDITOR, ADMIN)


def role_of(user: Any) -> str | None:
    """The strongest role of a signed-in user: superusers are admins; None for no role.

    Kept on the user object, as Django keeps its permissions there: one request asks several
    times (the throttle, the views), and the API's token cache stores the user with it."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ADMIN
    if not hasattr(user, "_factcheck_role"):
        names = set(user.groups.values_list("name", flat=True))
        user._factcheck_role = next((role for role in reversed(ROLES) if role in names), None)
    role: str | None = user._factcheck_role
    return role


def public_name(user: Any) -> str:
    """The name readers see for a person of the desk: their full name, never their login name ("" when
    unset: a login name is half of what an attacker needs to guess a password)."""
    return user.get_full_name().strip() if user is not None else ""


def staff_name(person: Any, *, to_reviewer: bool) -> str | None:
    """How a person of the desk (an assignee, an author) is named: reviewers and editors see the
    username, they assign and mention each other by it; everyone else the public name, or None."""
    if person is None:
        return None
    if to_reviewer:
        return str(person.get_username())
    return public_name(person) or None


def can_review(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("factcheck.review_claim"))


def can_publish(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("factcheck.publish_verdict"))
