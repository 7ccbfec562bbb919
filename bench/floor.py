"""The floor of the API benchmark: a bare Django view returning JSON of a given size through the
same stack as the API (gunicorn, every middleware in settings), with no authentication, no
throttling, no serializer and no database query. ``GET /bench/floor/?bytes=N`` answers a page
shaped like the verdict list (``count``, ``next``, ``previous``, ``results``: 50 objects), padded
to N bytes of compact JSON; the object is built once per size and encoded on every request, as
the API encodes its own."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, JsonResponse

ITEMS = 50
MAX_BYTES = 2_000_000
COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def _page(items: int, padding: int) -> dict[str, Any]:
    results = [
        {
            "id": index + 1,
            "claim": index + 1,
            "claim_text": "Officials said 1,200 people were evacuated.",
            "rating": "mostly-true",
            "rating_name": "Mostly true",
            "rating_value": 4,
            "summary": "x" * padding,
            "status": "published",
            "is_current": True,
            "is_stale": False,
            "author": "reviewer",
            "approved_by": "editor",
            "published_at": "2025-04-08T09:00:00Z",
            "slug": f"fact-check-{index + 1}",
            "cited_evidence": [1, 2],
            "version": 2,
        }
        for index in range(items)
    ]
    return {"count": items, "next": None, "previous": None, "results": results}


@lru_cache(maxsize=16)
def payload(size: int) -> dict[str, Any]:
    """A page whose compact JSON is ``size`` bytes (or as close as the shape allows)."""
    items = ITEMS if size >= 2 * len(json.dumps(_page(ITEMS, 0), **COMPACT)) else 1  # type: ignore[arg-type]
    bare = len(json.dumps(_page(items, 0), **COMPACT))  # type: ignore[arg-type]
    padding = max(0, (size - bare) // items)
    page = _page(items, padding)
    short = size - len(json.dumps(page, **COMPACT))  # type: ignore[arg-type]
    if short > 0:
        page["results"][0]["summary"] += "x" * short
    return page


def floor(request: HttpRequest) -> JsonResponse:
    try:
        size = min(MAX_BYTES, max(2, int(request.GET.get("bytes", "40000"))))
    except ValueError:
        size = 40000
    return JsonResponse(payload(size), json_dumps_params=COMPACT)
