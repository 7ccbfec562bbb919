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
    default_detail = 'Send the ETag you read in an If-Match header (If-Match: "3") to update this.'


class BadPrecondition(APIException):
    status_code = 412
    default_code = "precondition_failed"
    default_detail = 'If-Match must be an ETag this server sent, like "3".'


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Any) -> int:
    """The version the client last read, from If-Match (weak tags and quotes accepted)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise BadPrecondition()
    return int(tag)
