"""Fetching a source from a URL, in a worker: a SourceFetch goes queued → running → succeeded | failed.

Fetching takes up to FACTCHECK_FETCH_TIMEOUT_SECONDS of a slow site's time, so it is never
done inside an API request (two slow sites would stall every request) nor inside a
transaction. Contracts, as for check runs (factcheck/services/checks.py):

- ``source_fetch_request`` records the request and sends its id to a worker once the
  transaction commits; the URL's shape and scheme (and an address literal) are checked
  first, so a URL that can never be fetched is refused at once, before anything is queued,
  and so is the URL of a stored source (one URL is one source; nothing is silently dropped).
- ``source_fetch_execute`` claims the fetch with a conditional UPDATE under a lease (only
  one worker wins it), fetches through the one outbound client with no transaction open,
  ingests through ``source_ingest`` (its own short transaction), and records the outcome
  only while the fetch is still its own attempt's. A worker that dies leaves a lease that
  expires; the reaper queues the fetch again, and a second ingest of the same article
  stores nothing twice (it finds the source the first one stored).
- The reaper also re-sends fetches that waited in the queue too long (a lost message).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck import task_names
from factcheck.documents import DocumentError, parse_document
from factcheck.fetching import FetchFailed, FetchRefused, check_url, fetch_url
from factcheck.models import Source, SourceFetch
from factcheck.services.dispatch import TRANSIENT_ERRORS, Reaped, enqueue_now, enqueue_on_commit
from factcheck.services.hosts import wait_for_host_slot
from factcheck.services.ingest import IngestRefused, Outcome, source_ingest, source_revise

logger = logging.getLogger(__name__)

# A fetch whose worker died this many times is failed instead of retried.
MAX_ATTEMPTS = 3
ERROR_MAX_CHARS = 2000


def _lease_seconds() -> int:
    # The task's hard time limit ends a worker stuck in parsing; the lease outlasts it, so a
    # fetch is re-taken only from a worker that is gone (the same rule as check runs).
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


# --- Requesting ------------------------------------------------------------------------------


class UrlAlreadyStored(Exception):
    """The URL is a stored source's; the message names it (a 409 for the API user)."""

    def __init__(self, source: Source) -> None:
        super().__init__(
            f"this URL is already stored as source {source.pk} from {source.outlet.name}; it is not fetched again"
        )
        self.source = source


def source_fetch_request(
    *,
    url: str,
    requested_by: Any = None,
    outlet_name: str = "",
    title: str = "",
    published_at: dt.datetime | None = None,
    revise: Source | None = None,
) -> SourceFetch:
    """Record a fetch of ``url`` and send it to a worker once the transaction commits.

    Raises, before anything is stored: FetchRefused for a URL that could never be fetched
    (not http(s), no valid host, credentials in it, a private address literal; where its
    host name resolves to is checked when it is fetched), UrlAlreadyStored for the URL of
    a stored source (one URL is one source: a fetch would store nothing), unless ``revise`` names
    that source: its article was edited, and a new text is recorded as a revision of it.
    """
    url = url.strip()
    check_url(url, allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS)
    stored = Source.objects.select_related("outlet").filter(url=url).first()
    if stored is not None and revise is None:
        raise UrlAlreadyStored(stored)
    with transaction.atomic():
        fetch = SourceFetch.objects.create(
            url=url,
            requested_by=requested_by if getattr(requested_by, "pk", None) else None,
            outlet_name=outlet_name.strip()[:200],
            title=title.strip()[:500],
            published_at=published_at,
            revise=revise,
        )
        enqueue_on_commit(task_names.FETCH_SOURCE, fetch.pk)
    return fetch


# --- Executing ---------------------------------------------------------------------------------


class FetchExecution(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_QUEUED = "not_queued"  # someone else claimed it, or it is finished: nothing done
    LEASE_LOST = "lease_lost"  # it ran too long and was re-taken: this outcome is discarded


@dataclass(frozen=True)
class _Result:
    source_id: int | None = None
    error: str = ""


def source_fetch_execute(*, fetch_id: int) -> FetchExecution:
    """Claim the fetch, fetch the page (no transaction open), ingest it, record the outcome.

    Idempotent: a second delivery finds the fetch no longer queued and does nothing. A
    transient error (the database away) puts it back in the queue and is raised for the
    task to retry; any other unexpected error fails it and is raised to be logged.
    """
    attempt = _claim(fetch_id)
    if attempt is None:
        return FetchExecution.NOT_QUEUED
    fetch = SourceFetch.objects.get(pk=fetch_id)
    try:
        result = _fetch_and_ingest(fetch)
    except Exception as error:
        _release(fetch_id, attempt, error)
        raise
    return _record(fetch_id, attempt, result)


def _claim(fetch_id: int) -> int | None:
    """The conditional UPDATE that lets one worker win the fetch; returns its attempt number."""
    now = timezone.now()
    claimed = SourceFetch.objects.filter(pk=fetch_id, status=SourceFetch.Status.QUEUED).update(
        status=SourceFetch.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + dt.timedelta(seconds=_lease_seconds()),
        error="",
    )
    if claimed != 1:
        return None
    return SourceFetch.objects.values_list("attempts", flat=True).get(pk=fetch_id)


def _fetch_and_ingest(fetch: SourceFetch) -> _Result:
    """The page, fetched and stored; what the user is told when it cannot be."""
    wait_for_host_slot(fetch.url)
    try:
        fetched = fetch_url(
            fetch.url,
            max_bytes=settings.FACTCHECK_MAX_SOURCE_BYTES,
            timeout=settings.FACTCHECK_FETCH_TIMEOUT_SECONDS,
            max_redirects=settings.FACTCHECK_FETCH_MAX_REDIRECTS,
            allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS,
        )
    except FetchRefused as error:
        return _Result(error=f"refused: {error}")
    except FetchFailed as error:
        return _Result(error=f"could not fetch: {error}")
    file_format = "html" if "html" in fetched.content_type else "txt"
    try:
        document = parse_document(fetched.body, file_format=file_format, max_bytes=settings.FACTCHECK_MAX_SOURCE_BYTES)
    except DocumentError as error:
        return _Result(error=f"the page could not be read: {error}")
    if fetch.title:
        document = replace(document, title=fetch.title)
    if fetch.revise_id is not None:
        # A new text is recorded; the same text again is nothing to record: the fetch succeeded either way.
        source_revise(source_id=fetch.revise_id, document=document)
        return _Result(source_id=fetch.revise_id)
    try:
        ingested = source_ingest(
            document=document, outlet_name=fetch.outlet_name, url=fetch.url, published_at=fetch.published_at
        )
    except IngestRefused as error:
        return _Result(error=f"not stored: {error}")
    if ingested.outcome == Outcome.CONFLICT:
        # The source in the way is named (and linked): nothing was stored, and the user sees why.
        return _Result(source_id=ingested.source.pk, error=f"not stored: {ingested.detail}")
    return _Result(source_id=ingested.source.pk)


def _record(fetch_id: int, attempt: int, result: _Result) -> FetchExecution:
    status = SourceFetch.Status.FAILED if result.error else SourceFetch.Status.SUCCEEDED
    recorded = SourceFetch.objects.filter(pk=fetch_id, status=SourceFetch.Status.RUNNING, attempts=attempt).update(
        status=status,
        source_id=result.source_id,
        error=result.error[:ERROR_MAX_CHARS],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )
    if not recorded:
        logger.warning("source fetch %s was re-taken after its lease expired; attempt %s discarded", fetch_id, attempt)
        return FetchExecution.LEASE_LOST
    return FetchExecution.FAILED if result.error else FetchExecution.SUCCEEDED


def _release(fetch_id: int, attempt: int, error: Exception) -> None:
    """After an unexpected error: transient ones put the fetch back in the queue (the task
    retries it), others fail it. Best effort: with the database away this fails too, and
    the reaper finds the fetch when its lease expires."""
    still_ours = SourceFetch.objects.filter(pk=fetch_id, status=SourceFetch.Status.RUNNING, attempts=attempt)
    try:
        if isinstance(error, TRANSIENT_ERRORS):
            still_ours.update(status=SourceFetch.Status.QUEUED, lease_expires_at=None)
        else:
            still_ours.update(
                status=SourceFetch.Status.FAILED,
                finished_at=timezone.now(),
                lease_expires_at=None,
                error=f"internal error ({type(error).__name__})",
            )
    except Exception:
        logger.exception("could not release source fetch %s after %s", fetch_id, type(error).__name__)


# --- The reaper --------------------------------------------------------------------------------


def stalled_source_fetches_requeue(*, queued_longer_than: dt.timedelta) -> Reaped:
    """Put fetches whose worker died (lease expired) back in the queue, give up on those that
    did so MAX_ATTEMPTS times, and send again every fetch that has waited longer than
    ``queued_longer_than`` (the broker may have lost it). Sending twice is harmless: a fetch
    is claimed by one worker only."""
    now = timezone.now()
    reaped = Reaped()
    expired = SourceFetch.objects.filter(status=SourceFetch.Status.RUNNING, lease_expires_at__lt=now)
    for fetch_id, attempts in expired.values_list("pk", "attempts"):
        still_expired = SourceFetch.objects.filter(pk=fetch_id, status=SourceFetch.Status.RUNNING, attempts=attempts)
        if attempts >= MAX_ATTEMPTS:
            message = f"gave up after {attempts} attempts whose worker stopped before finishing"
            if still_expired.update(status=SourceFetch.Status.FAILED, finished_at=now, error=message):
                reaped.failed.append(fetch_id)
        elif still_expired.update(status=SourceFetch.Status.QUEUED, lease_expires_at=None):
            reaped.requeued.append(fetch_id)
    cutoff = now - queued_longer_than
    stale = SourceFetch.objects.filter(status=SourceFetch.Status.QUEUED, queued_at__lt=cutoff)
    for fetch_id in [*reaped.requeued, *stale.values_list("pk", flat=True)]:
        if fetch_id not in reaped.resent and enqueue_now(task_names.FETCH_SOURCE, fetch_id):
            reaped.resent.append(fetch_id)
    # Sent again now: wait a full period before the next resend, so a long queue is not flooded.
    SourceFetch.objects.filter(pk__in=reaped.resent, status=SourceFetch.Status.QUEUED).update(queued_at=now)
    return reaped
