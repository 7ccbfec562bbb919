"""When the database is unreachable, answer 503 with a clear message instead of a traceback.

Connections are health-checked before reuse (DATABASE_CONN_MAX_AGE with health checks), so
once the database is back the next request simply reconnects: no restart is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

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
