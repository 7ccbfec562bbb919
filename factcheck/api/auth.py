"""API token authentication: knox's, with a verified token remembered for a few seconds.

Knox stores only a hash of each token and finds a token by reading every token that shares
its first characters, then every token of its user (to delete expired ones); deciding what
the user may do reads their groups and then their permissions. On a reader's cached page
those five queries were the whole cost of the request (bench/README.md), so a verified token
is kept in the cache, with its user's role and permissions worked out, for
``FACTCHECK_API_AUTH_CACHE_SECONDS``.

Revoking a token (deleting it, as the admin does), or changing anyone's groups, permissions,
active or superuser flags, moves the generation on, so the very next request is checked
against the database again. (With the default per-process cache that reaches only the process
where the change was made; other web processes see it within those seconds. With CACHE_URL on
Redis, within ``FACTCHECK_CACHE_GENERATION_SECONDS``: generations.py.) An expired token is never
served from the cache.
"""

from __future__ import annotations

import binascii
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from factcheck.api.generations import Generation, recall, remember
from factcheck.replicas import unread_writes
from factcheck.roles import role_of
from factcheck.services.tokens import token_used

ACCESS = Generation("api-access")
# "Authorization: Token <token>" (knox's word, which 401 answers name) or the standard
# "Authorization: Bearer <token>" (RFC 6750) that most HTTP clients send: the same tokens.
TOKEN_PREFIXES = ("Token", "Bearer")


def connect() -> None:
    """Listen for the changes that alter who a token is and what they may do (from AppConfig.ready)."""
    user_model = get_user_model()
    post_delete.connect(ACCESS.advance, sender=get_token_model(), dispatch_uid="api-access-token-deleted")
    post_save.connect(ACCESS.advance, sender=user_model, dispatch_uid="api-access-user-saved")
    post_delete.connect(ACCESS.advance, sender=user_model, dispatch_uid="api-access-user-deleted")
    post_delete.connect(ACCESS.advance, sender=Group, dispatch_uid="api-access-group-deleted")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(ACCESS.advance, sender=through, dispatch_uid=f"api-access-{through.__name__}")


class CachedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>`` or ``Bearer <token>``, as knox checks it, remembered for a few seconds."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].decode("latin-1").lower() not in {prefix.lower() for prefix in TOKEN_PREFIXES}:
            return None  # no token, or a header for another scheme (a session request has none)
        if len(words) != 2:
            raise AuthenticationFailed("Invalid token header: send `Token <token>` or `Bearer <token>`.")
        return self.authenticate_credentials(words[1])

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        user, auth_token = self._verified(token)
        with unread_writes():  # for the admin's "last used" (at most every few minutes): never read back here
            token_used(auth_token)
        return user, auth_token

    def _verified(self, token: bytes) -> tuple[Any, Any]:
        seconds = settings.FACTCHECK_API_AUTH_CACHE_SECONDS
        if seconds <= 0:
            return super().authenticate_credentials(token)
        key = ACCESS.stored_key(_digest(token))
        remembered = recall(key)
        if remembered is not None and not _expired(remembered[1]):
            return remembered
        user, auth_token = super().authenticate_credentials(token)
        # Worked out now, so that the remembered user carries them (Django keeps permissions
        # on the user object; role_of does the same): a remembered request reads nothing.
        role_of(user)
        user.get_all_permissions()
        remember(key, (user, auth_token), seconds)
        return user, auth_token


def _digest(token: bytes) -> str:
    try:
        return hash_token(token.decode("utf-8"))
    except (UnicodeDecodeError, TypeError, binascii.Error):
        raise AuthenticationFailed("Invalid token.") from None


def _expired(auth_token: Any) -> bool:
    return auth_token.expiry is not None and auth_token.expiry < timezone.now()


class CachedTokenScheme(KnoxTokenScheme):
    """The OpenAPI security schemes of our token class (drf-spectacular matches classes exactly): knox's
    ``Token`` header, or else the standard bearer scheme; either one authenticates a request."""

    target_class = "factcheck.api.auth.CachedTokenAuthentication"
    name = ["knoxApiToken", "bearerAuth"]  # type: ignore[assignment]  # drf-spectacular takes a list too

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return [{name: []} for name in self.name]  # alternatives (OR), not a group (AND)

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        bearer = {
            "type": "http",
            "scheme": "bearer",
            "description": "The same API token, as `Authorization: Bearer <token>`.",
        }
        return [super().get_security_definition(auto_schema), bearer]


class QueryKeyAuthentication(CachedTokenAuthentication):
    """The API token as the ``key`` query parameter, where Google's Fact Check Tools clients put their
    API key: for claims:search only, so that such a client runs unchanged. The header is still read
    first (a token in a URL can end up in logs along the way: clients that can send a header should)."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        key = request.query_params.get("key", "")
        if not key:
            return None
        return self.authenticate_credentials(key.encode("utf-8", "surrogatepass")[:200])


class QueryKeyScheme(KnoxTokenScheme):
    target_class = "factcheck.api.auth.QueryKeyAuthentication"
    name = "apiKeyQuery"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "key",
            "description": "The API token as `?key=<token>`, as Google's clients send it (claims:search only).",
        }
