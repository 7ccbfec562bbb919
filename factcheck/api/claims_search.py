"""``GET /api/v1/claims:search``: Google's Fact Check Tools ``claims:search``, served from here.

A client written against Google's documentation runs unchanged: the same parameters (``query``,
``languageCode``, ``reviewPublisherSiteFilter``, ``maxAgeDays``, ``pageSize``, ``pageToken``,
``offset``), the same response (``claims`` with their ``claimReview``, and ``nextPageToken``),
and errors in Google's shape (``{"error": {"code": 400, "message", "status": "INVALID_ARGUMENT"}}``).
It serves our published and corrected fact-checks (a retracted one never) and the ones imported
from other desks. Everything it returns is public already (our fact-check pages, their publishers'
pages), but like the rest of the API it is for clients with a token: in the ``Authorization`` header,
or as ``key``, the query parameter where Google's clients send their API key.

``pageToken`` is opaque: signed, and bound to the other parameters of the call that produced it;
a token replayed with other parameters, altered or forged is a 400.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from factcheck import selectors
from factcheck.api.auth import QueryKeyAuthentication
from factcheck.claimreview import fact_check_title, fact_check_url
from factcheck.models import ImportedReview, Verdict

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
MAX_QUERY_LENGTH = 500
MAX_OFFSET = 10_000
# Google's APIs take these on every method; they change nothing here (``fields`` and ``prettyPrint``
# shape the response there: the full response is always a valid answer to them).
SYSTEM_PARAMETERS = frozenset({"key", "alt", "fields", "prettyPrint", "quotaUser"})  # "key": the token
PARAMETERS = frozenset(
    {"query", "languageCode", "reviewPublisherSiteFilter", "maxAgeDays", "pageSize", "pageToken", "offset"}
)
# What the page token binds: every parameter that selects the results.
SELECTING = ("query", "languageCode", "reviewPublisherSiteFilter", "maxAgeDays", "pageSize")
PAGE_TOKEN_SIGNING_SALT = "factcheck.claims-search.page"  # noqa: S105 - a namespace, not a secret


class InvalidArgument(Exception):
    """A bad parameter: a 400 in Google's shape."""


def search_error(message: str) -> Response:
    return Response({"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}, status=400)


# The response's shape, for the OpenAPI schema (the view writes plain dicts: fields without a value
# are left out, as Google leaves them out).
class _ErrorBody(serializers.Serializer):
    code = serializers.IntegerField()
    message = serializers.CharField()
    status = serializers.CharField()


class ClaimsSearchError(serializers.Serializer):
    error = _ErrorBody()


class ClaimsSearchPublisher(serializers.Serializer):
    name = serializers.CharField(required=False)
    site = serializers.CharField(required=False)


class ClaimsSearchReview(serializers.Serializer):
    publisher = ClaimsSearchPublisher()
    url = serializers.URLField()
    title = serializers.CharField(required=False)
    reviewDate = serializers.DateTimeField(required=False)
    textualRating = serializers.CharField(required=False)
    languageCode = serializers.CharField(required=False)


class ClaimsSearchClaim(serializers.Serializer):
    text = serializers.CharField()
    claimant = serializers.CharField(required=False)
    claimDate = serializers.DateTimeField(required=False)
    claimReview = ClaimsSearchReview(many=True)


class ClaimsSearchResponse(serializers.Serializer):
    claims = ClaimsSearchClaim(many=True)
    nextPageToken = serializers.CharField(allow_blank=True)


def _parameter(name: str, kind: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description)


@extend_schema(
    operation_id="claims_search",
    summary="Search fact-checks (Google Fact Check Tools' claims:search)",
    parameters=[
        _parameter(
            "query", str, "Words to find in the claim and its review; required unless reviewPublisherSiteFilter is set."
        ),
        _parameter("languageCode", str, 'BCP 47, e.g. "en-US"; only the language is compared, not the region.'),
        _parameter("reviewPublisherSiteFilter", str, 'A publisher\'s site, e.g. "example.org" (its subdomains too).'),
        _parameter("maxAgeDays", int, "Only claims or reviews this many days old at most (the newer date counts)."),
        _parameter("pageSize", int, f"Claims per page: default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}."),
        _parameter("pageToken", str, "The nextPageToken of the previous page, with the same other parameters."),
        _parameter("offset", int, "Where to start; only read when pageToken is not given."),
    ],
    responses={
        200: ClaimsSearchResponse,
        400: OpenApiResponse(ClaimsSearchError, description="A parameter is missing, malformed or out of range."),
        429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many requests; retry later."),
    },
    tags=["claims:search"],
)
@api_view(["GET"])
@authentication_classes([*api_settings.DEFAULT_AUTHENTICATION_CLASSES, QueryKeyAuthentication])
@permission_classes([IsAuthenticated])
def claims_search(request: Request) -> Response:
    try:
        query, offset, size = _read_parameters(request.query_params)
    except InvalidArgument as error:
        return search_error(str(error))
    found = selectors.fact_checks_found(query, offset=offset, limit=size + 1)
    more = len(found) > size
    claims = [_claim(fact_check) for fact_check in selectors.fact_checks_by_kind(found[:size])]
    token = _page_token(request.query_params, offset + size) if more else ""
    return Response({"claims": claims, "nextPageToken": token})


# --- Parameters --------------------------------------------------------------------------------


def _read_parameters(params: Any) -> tuple[selectors.FactCheckQuery, int, int]:
    unknown = sorted(set(params) - PARAMETERS - SYSTEM_PARAMETERS)
    if unknown:
        raise InvalidArgument(f"Unknown parameter {unknown[0]!r}.")
    for name in params:
        if len(params.getlist(name)) > 1:
            raise InvalidArgument(f"{name} is given more than once.")
    text = params.get("query", "").strip()
    site = params.get("reviewPublisherSiteFilter", "").strip().lower()
    if not text and not site:
        raise InvalidArgument("Either query or reviewPublisherSiteFilter must be set.")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidArgument(f"query is longer than {MAX_QUERY_LENGTH} characters.")
    if "\x00" in text:
        raise InvalidArgument("query holds a character it may not (NUL).")
    if len(site) > 253 or not all(char.isalnum() or char in "-." for char in site):
        raise InvalidArgument(f"reviewPublisherSiteFilter is not a site name, e.g. example.org: {site[:40]!r}.")
    size = _whole_number(params, "pageSize", default=0) or DEFAULT_PAGE_SIZE
    max_age = _whole_number(params, "maxAgeDays", default=-1)
    newer_than = timezone.now() - dt.timedelta(days=max_age) if max_age >= 0 else None
    query = selectors.FactCheckQuery(
        text=text, site=site, language=_language(params.get("languageCode", "")), newer_than=newer_than
    )
    token = params.get("pageToken", "")
    offset = _offset_from(token, params) if token else _whole_number(params, "offset", default=0)
    if offset > MAX_OFFSET:
        raise InvalidArgument(f"offset may be at most {MAX_OFFSET}.")
    return query, offset, min(size, MAX_PAGE_SIZE)


def _whole_number(params: Any, name: str, *, default: int) -> int:
    value = params.get(name, "")
    if value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise InvalidArgument(f"{name} must be a whole number from 0 to 999999999, not {value[:40]!r}.")
    return int(value)


def _language(code: str) -> str:
    """The primary language subtag of a BCP 47 tag ("en-US" -> "en"); "" for none."""
    primary = code.strip().split("-")[0].split("_")[0].lower()
    if code and not (primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 8):
        raise InvalidArgument(f"languageCode is not a BCP 47 language tag: {code[:40]!r}.")
    return primary


def _binding(params: Any) -> str:
    """A digest of the parameters that select the results: a token is valid only with the same ones."""
    selecting = {name: params.get(name, "") for name in SELECTING}
    return hashlib.sha256(json.dumps(selecting, sort_keys=True).encode()).hexdigest()[:32]


def _page_token(params: Any, offset: int) -> str:
    return signing.dumps({"o": offset, "p": _binding(params)}, salt=PAGE_TOKEN_SIGNING_SALT, compress=True)


def _offset_from(token: str, params: Any) -> int:
    try:
        data = signing.loads(token[:1000], salt=PAGE_TOKEN_SIGNING_SALT)
    except signing.BadSignature:
        raise InvalidArgument("Invalid pageToken.") from None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or data.get("p") != _binding(params):
        raise InvalidArgument("pageToken does not belong to these parameters: repeat the first call's parameters.")
    return int(data["o"])


# --- The response ------------------------------------------------------------------------------


def _claim(fact_check: Verdict | ImportedReview) -> dict[str, Any]:
    if isinstance(fact_check, Verdict):
        return _present(
            {
                "text": fact_check.claim.text,
                "claimant": fact_check.claim.claimant,
                "claimDate": _timestamp(fact_check.claim.claim_date),
                "claimReview": [
                    _present(
                        {
                            "publisher": _present(
                                {"name": settings.FACTCHECK_ORGANIZATION_NAME, "site": selectors.our_site()}
                            ),
                            "url": fact_check_url(fact_check),
                            "title": fact_check_title(fact_check),
                            "reviewDate": _timestamp(fact_check.published_at),
                            "textualRating": fact_check.rating.name,
                            "languageCode": selectors.our_language(),
                        }
                    )
                ],
            }
        )
    return _present(
        {
            "text": fact_check.claim_text,
            "claimant": fact_check.claimant,
            "claimDate": _timestamp(fact_check.claim_date),
            "claimReview": [
                _present(
                    {
                        "publisher": _present({"name": fact_check.publisher_name, "site": fact_check.publisher_site}),
                        "url": fact_check.url,
                        "title": fact_check.title,
                        "reviewDate": _timestamp(fact_check.review_date),
                        "textualRating": fact_check.textual_rating,
                        "languageCode": fact_check.language_code,
                    }
                )
            ],
        }
    )


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """Google leaves out the fields it has no value for; so do we."""
    return {name: value for name, value in fields.items() if value not in ("", None)}


def _timestamp(moment: dt.datetime | dt.date | None) -> str | None:
    """RFC 3339 in UTC, as Google writes it ("2024-10-01T00:00:00Z"); a date is its midnight UTC."""
    if moment is None:
        return None
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
