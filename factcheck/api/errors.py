"""Every API error is JSON: {"error": code, "detail": message, ...field errors}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.response import Response
from rest_framework.views import exception_handler


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"error": "too_large", "detail": f"The request body is over {limit} bytes."}, status=413)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"error": getattr(data["detail"], "code", code), "detail": str(data["detail"])}
    else:
        response.data = {"error": "invalid", "detail": "The request is not valid.", "fields": data}
    return response
