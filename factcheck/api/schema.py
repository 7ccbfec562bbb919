"""The OpenAPI schema says what the API really answers, errors included.

drf-spectacular documents the success response of each operation; a client (and the
schemathesis run in tests/api/test_fuzz.py) also needs the errors, which all share one
JSON shape (factcheck/api/errors.py). ``ApiSchema`` adds them to every operation, and marks
the optional query parameters whose empty value means "absent" as allowing it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "A stable code: not_found, invalid, precondition_failed, …"},
        "detail": {"type": "string", "description": "What went wrong, for people."},
        # Field errors of an invalid request: an object by field name, or a list of messages.
        "fields": {"description": "For `invalid`: the messages by field name."},
    },
    "required": ["error", "detail"],
}

# Every operation: bad filters or parameters, no or a wrong token, a role that may not, no such
# object (or page), too many requests.
EVERY_OPERATION = {
    400: "The request is not valid (see `fields`).",
    401: "No credentials, or wrong ones.",
    403: "The role may not do this.",
    404: "No such object, or not one this role may see.",
    429: "Too many requests for this role; retry later.",
}
CHANGES = {
    409: "Not allowed in the object's current state.",
    413: "The request body is over the size limit.",
    415: "The body is not JSON (the API reads JSON only).",
}
VERSIONED = {
    412: "The If-Match ETag is stale or malformed: read the object again.",
    428: "If-Match is missing.",
}


class ApiSchema(AutoSchema):
    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_parameters()
        for parameter in parameters:
            # An empty filter, search, ordering or page parameter counts as absent (django-filter
            # and DRF read ``?status=`` as "no filter"), so an empty value is a valid one.
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def get_filter_backends(self) -> list[Any]:
        # An export is its list, whole: the list's filters, search and ordering apply to it
        # (drf-spectacular documents them for lists only).
        if getattr(self.view, "action", None) == "export":
            return list(getattr(self.view, "filter_backends", []))
        backends: list[Any] = super().get_filter_backends()
        return backends

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_codes().items():
            responses.setdefault(str(code), self._error_response(description))
        return responses

    def _error_codes(self) -> dict[int, str]:
        codes = dict(EVERY_OPERATION)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.update(CHANGES)
        if any(getattr(parameter, "name", None) == "If-Match" for parameter in self.get_override_parameters()):
            codes.update(VERSIONED)
        return codes

    def _error_response(self, description: str) -> dict[str, Any]:
        component = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        return {"description": description, "content": {"application/json": {"schema": component.ref}}}


def error_response(description: str) -> OpenApiResponse:
    """An error response for ``@extend_schema(responses=...)``, in the shared Error shape
    (ApiSchema registers the component on every operation)."""
    return OpenApiResponse(response={"$ref": "#/components/schemas/Error"}, description=description)
