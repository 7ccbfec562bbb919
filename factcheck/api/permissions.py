"""Who may do what through the API. Readers (API clients) see published verdicts only;
reviewers work the queue; editors also publish. Permissions come from the role groups."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from factcheck.roles import can_publish, can_review


class IsReviewer(BasePermission):
    message = "Only reviewers and editors may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_review(request.user)


class IsEditor(BasePermission):
    message = "Only editors may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_publish(request.user)
