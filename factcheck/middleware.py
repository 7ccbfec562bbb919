"""When the database is unreachable, answer 503 with a clear message instead of a traceback.

Connections are health-checked before reuse (DATABASE_CONN_MAX_AGE with health checks), so
once the database is back the next request simply reconnects: no restart is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.permissions import SAFE_METHODS

from factcheck.replicas import pin_to_primary, request_routing

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"
MESSAGE = "The database is unreachable for the moment; nothing was changed. Try again shortly."


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            # Raised outside a view too (sessions, authentication): caught here, around everything.
            return self.unavailable(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: Exception) -> HttpResponse:
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, error)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"error": "service_unavailable", "detail": MESSAGE}, status=503)
        else:
            response = HttpResponse(MESSAGE, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response


class ReplicaRoutingMiddleware:
    """Installed only when read replicas are configured (factcheck/replicas.py): each request starts
    reading from the primary, and one that may have written (any method but the safe ones) pins its
    client to the primary for DATABASE_REPLICA_PIN_SECONDS, so that client reads their own write
    however far a replica lags."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            with request_routing():
                return self.get_response(request)
        finally:
            if request.method not in SAFE_METHODS:
                # Even when the request failed half-way: it may have written before it did.
                pin_to_primary(getattr(request, "user", None))
