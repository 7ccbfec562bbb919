"""Other desks' fact-checks, imported: ClaimReviews read from a page's markup or a JSON feed
(factcheck.claimreview_read) and kept as ImportedReview rows, one per review URL.

- ``reviews_import`` reads one location (an http(s) URL, fetched through the one outbound client,
  or a file) and upserts every review it holds by its URL: a new URL is *imported*, a known one whose
  data differ is *updated* in place, the same data again is *unchanged* (not written, its
  ``updated_at`` kept). Reviews that cannot be read are *refused*, each with its reason. The report
  lists the ids of the rows created or changed (``changed_ids``), for what must follow a change.
- ``reviews_import_sources_due`` (the beat asks every minute) imports every configured source
  (FACTCHECK_CLAIMREVIEW_SOURCES) once FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES have passed; one
  failing source is logged with its location and does not stop the others.

No transaction is open while a document is fetched; each review is then written in its own short
transaction, so two imports of the same review at once still leave one row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from factcheck.claimreview_read import ReadReview, Refusal, Unreadable, read_claimreviews
from factcheck.fetching import REVIEWS, FetchFailed, FetchRefused, fetch_url, host_of
from factcheck.models import ImportedReview
from factcheck.services.hosts import wait_for_host_slot
from factcheck.services.review_matches import reviews_match_claims

logger = logging.getLogger(__name__)

# The cache key that holds off the next periodic import until its interval has passed.
_ROUND_KEY = "claimreview-import-round"


@dataclass
class ImportReport:
    location: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # rows created or changed, in the document's order
    matched: int = 0  # "already fact-checked" matches with our claims found for them (services.review_matches)
    error: str = ""  # the location could not be read at all (nothing else is then set)

    @property
    def failed(self) -> bool:
        return bool(self.error)


def reviews_import(*, location: str) -> ImportReport:
    """Import the ClaimReviews found at location: an http(s) URL or a file path (see the module's docstring)."""
    report = ImportReport(location=location)
    try:
        body, content_type, base_url = _read(location)
        read = read_claimreviews(
            body,
            content_type=content_type,
            base_url=base_url,
            max_reviews=settings.FACTCHECK_CLAIMREVIEW_MAX_REVIEWS,
        )
    except (FetchRefused, FetchFailed, Unreadable, _Unreadable) as error:
        report.error = f"{_kind(error)}: {error}"
        return report
    report.refused = list(read.refused)
    for review in read.reviews:
        outcome, review_id = _upsert(review, imported_from=location[:2000])
        if outcome == "refused":
            report.refused.append(Refusal(review.url, NOT_ITS_SOURCE))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.changed_ids.append(review_id)
    # A new or changed fact-check may cover claims we already have (after the writes: no open transaction).
    report.matched = reviews_match_claims(review_ids=report.changed_ids)
    return report


def reviews_import_sources_due(*, force: bool = False) -> list[ImportReport]:
    """Import every configured source, if FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES have passed since the
    last round (or force); returns a report per source, nothing when no round is due.

    The round is held off in the cache: with CACHE_URL on Redis every worker shares it; with the
    per-process default each worker process keeps its own round, which costs a fetch more, never a
    duplicate (importing is idempotent)."""
    minutes = settings.FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES
    sources = settings.FACTCHECK_CLAIMREVIEW_SOURCES
    if not sources or (minutes <= 0 and not force):
        return []
    if not cache.add(_ROUND_KEY, timezone.now().isoformat(), timeout=max(minutes, 1) * 60) and not force:
        return []
    reports = []
    for location in sources:
        try:
            report = reviews_import(location=location)
        except Exception as error:
            # One source's unforeseen failure (a database error, a parser bug) never stops the others.
            logger.exception("importing ClaimReviews from %s failed", location)
            report = ImportReport(location=location, error=f"unexpected error: {type(error).__name__}")
        else:
            if report.failed:
                logger.warning("importing ClaimReviews from %s failed: %s", location, report.error)
            else:
                logger.info(
                    "imported ClaimReviews from %s: %d new, %d updated, %d unchanged, %d refused; %d claims matched",
                    location,
                    report.imported,
                    report.updated,
                    report.unchanged,
                    len(report.refused),
                    report.matched,
                )
        reports.append(report)
    return reports


class _Unreadable(Exception):
    """A file that cannot be read; the message says why."""


def _kind(error: Exception) -> str:
    if isinstance(error, FetchRefused):
        return "refused"
    if isinstance(error, FetchFailed):
        return "could not fetch"
    return "unreadable"


def _read(location: str) -> tuple[bytes, str, str]:
    """(body, content type, base URL) of a URL, fetched by the one outbound client, or of a file."""
    max_bytes = settings.FACTCHECK_FEED_MAX_BYTES
    if location.lower().startswith(("http://", "https://")):
        wait_for_host_slot(location)
        fetched = fetch_url(
            location,
            wanted=REVIEWS,
            max_bytes=max_bytes,
            timeout=settings.FACTCHECK_FETCH_TIMEOUT_SECONDS,
            max_redirects=settings.FACTCHECK_FETCH_MAX_REDIRECTS,
            allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS,
        )
        return fetched.body, fetched.content_type, fetched.final_url
    if "://" in location:
        raise FetchRefused("only http and https URLs, or files, can be read")
    path = Path(location)
    try:
        if path.stat().st_size > max_bytes:
            raise _Unreadable(f"the file is more than the {max_bytes} bytes allowed")
        with path.open("rb") as file:
            body = file.read(max_bytes + 1)
    except OSError as error:
        raise _Unreadable(f"the file cannot be read ({error.strerror or error})") from None
    if len(body) > max_bytes:
        raise _Unreadable(f"the file is more than the {max_bytes} bytes allowed")
    content_type = {".json": "application/json", ".jsonld": "application/ld+json"}.get(path.suffix.lower(), "")
    if path.suffix.lower() in (".html", ".htm"):
        content_type = "text/html"
    # Relative URLs in a file have nothing to be read against: they are refused as URLs that are not http(s).
    return body, content_type, path.resolve().as_uri()


def _fields(review: ReadReview) -> dict[str, Any]:
    return {
        "publisher_name": review.publisher_name,
        "publisher_site": review.publisher_site,
        "title": review.title,
        "claim_text": review.claim_text,
        "claimant": review.claimant,
        "claim_date": review.claim_date,
        "appearances": list(review.appearances),
        "textual_rating": review.textual_rating,
        "rating_value": review.rating_value,
        "worst_rating": review.worst_rating,
        "best_rating": review.best_rating,
        "review_date": review.review_date,
        "language_code": review.language_code,
    }


# A review is keyed by its URL alone, so any source could name another publisher's review and rewrite
# its rating: only the source it came from, or the publisher's own site, may change it.
NOT_ITS_SOURCE = "already imported from another source; only that source or the review's own site may change it"


def may_change(row: ImportedReview, imported_from: str) -> bool:
    """Whether ``imported_from`` may change a stored review: the source it came from, or a page on its own site."""
    if imported_from == row.imported_from:
        return True
    site = host_of(imported_from)
    return bool(site) and site == host_of(row.url)


def _upsert(review: ReadReview, *, imported_from: str) -> tuple[str, int]:
    """("imported" | "updated" | "unchanged" | "refused", the row's id)."""
    data = _fields(review)
    with transaction.atomic():
        row = ImportedReview.objects.select_for_update().filter(url=review.url).first()
        if row is None:
            try:
                with transaction.atomic():
                    now = timezone.now()
                    row = ImportedReview.objects.create(
                        url=review.url, imported_from=imported_from, first_imported_at=now, updated_at=now, **data
                    )
                return "imported", row.pk
            except IntegrityError:  # another import created it a moment ago: update it instead
                row = ImportedReview.objects.select_for_update().get(url=review.url)
        changed = {name: value for name, value in data.items() if getattr(row, name) != value}
        if not changed:
            return "unchanged", row.pk
        if not may_change(row, imported_from):
            return "refused", row.pk
        for name, value in changed.items():
            setattr(row, name, value)
        row.imported_from, row.updated_at = imported_from, timezone.now()
        row.save(update_fields=[*changed, "imported_from", "updated_at"])
        return "updated", row.pk
