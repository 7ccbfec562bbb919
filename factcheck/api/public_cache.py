"""Readers' verdict pages served from the cache.

Every reader sees the same published verdicts, and platforms poll them constantly, so the
verdict list, a verdict and its ClaimReview are built once and then served from the cache
(bench/README.md: building a page of 50 costs ~30x a bare JSON response). Reviewers and
editors, who see drafts, always get fresh pages.

A page is stored under the *generation* of the public data: any saved or deleted verdict or
rating label, and any saved published claim, moves the generation on, so the next request
builds the page again (in another web process, within ``FACTCHECK_CACHE_GENERATION_SECONDS``:
generations.py). Related rows that change without that (a new appearance of a published
claim) are at most ``FACTCHECK_PUBLIC_API_CACHE_SECONDS`` old. Pages are kept in the shared
cache and copied into each process's memory (generations.py), so that a hit needs no round
trip to Redis nor the unpickling of a page that came over the wire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api.generations import Generation, recall, remember
from factcheck.models import Claim, ClaimStatus, RatingLabel, Verdict
from factcheck.replicas import primary_reads, replicas_configured

PUBLIC_DATA = Generation("public-api")
# Headers a cached page keeps: the rest (Vary, Allow, throttling's) are set per request.
KEPT_HEADERS = ("ETag",)


def claim_saved(instance: Any, **signal: Any) -> None:
    # Claims are saved on every check; only a published one's text and status are on public pages.
    if instance.status == ClaimStatus.PUBLISHED:
        PUBLIC_DATA.advance(**signal)


def connect() -> None:
    """Listen for the changes that alter public pages (called once, from AppConfig.ready)."""
    for model in (Verdict, RatingLabel):
        post_save.connect(PUBLIC_DATA.advance, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
        post_delete.connect(PUBLIC_DATA.advance, sender=model, dispatch_uid=f"public-cache-{model.__name__}-del")
    post_save.connect(claim_saved, sender=Claim, dispatch_uid="public-cache-claim")
    post_delete.connect(PUBLIC_DATA.advance, sender=Claim, dispatch_uid="public-cache-claim-del")


def page_key(request: Request) -> str:
    """The page: its path and query string (parameters sorted, so their order does not matter)."""
    query = "&".join(f"{name}={value}" for name, values in sorted(request.query_params.lists()) for value in values)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return PUBLIC_DATA.stored_key(f"page:{digest}")


def cached_page(request: Request, build: Callable[[], Response]) -> Response:
    """The page ``build`` makes for readers, from the cache when it is there. Only 200s are kept."""
    seconds = settings.FACTCHECK_PUBLIC_API_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = page_key(request)
    stored = recall(key)
    if stored is not None:
        data, headers, content_type = stored
        return Response(data, headers=headers, content_type=content_type)
    response = _built_after_replay(build)
    if response.status_code == 200:
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        remember(key, (response.data, headers, response.content_type), seconds)
    return response


def _built_after_replay(build: Callable[[], Response]) -> Response:
    """A page built just after a change is built from the primary: a replica that has not replayed the
    change yet would build it as it was, and the cache would serve that page, under the new generation,
    to every reader until it expired. Later, the replicas have replayed it (DATABASE_REPLICA_PIN_SECONDS
    is chosen longer than their lag) and pages are built from them again."""
    if replicas_configured() and PUBLIC_DATA.changed_within(settings.DATABASE_REPLICA_PIN_SECONDS):
        with primary_reads():
            return build()
    return build()
