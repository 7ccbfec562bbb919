"""ETags from the ``version`` field, and If-Match on every update: no silent overwrite.

A response for one claim or verdict carries ``ETag: "<version>"``. An update must send it
back in ``If-Match``: without it the server answers 428 Precondition Required; with a stale
one, 412 Precondition Failed (the services check the version on a locked row, so two
concurrent updates from one ETag give one success and one 412).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import APIException


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    # An instruction, not a tag to copy: a client that pasted the current ETag without reading the
    # object would overwrite what it never saw, which is what If-Match is there to prevent.
    default_detail = "Read this object first (GET) and send the ETag header of that response back in If-Match."


class BadPrecondition(APIException):
    status_code = 412
    default_code = "precondition_failed"
    default_detail = "If-Match must be the ETag header of this object as this server sent it; read it again."


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version_if_given(request: Any) -> int | None:
    """The version from If-Match when the client sent one (None when it did not)."""
    return expected_version(request) if request.headers.get("If-Match", "").strip() else None


def expected_version(request: Any) -> int:
    """The version the client last read, from If-Match (weak tags and quotes accepted)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise BadPrecondition()
    return int(tag)
