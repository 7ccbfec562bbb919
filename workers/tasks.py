"""Celery tasks. Each is an API: ids in, one service call, nothing else.

Names are explicit and stable (services enqueue by name). Retries cover only
errors that can pass on the next try: the database being briefly unreachable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from factcheck import task_names
from factcheck.services import checks, claims, feeds, imported_reviews, passages, pipeline, source_fetches, webhooks
from factcheck.services import digest as digest_service
from factcheck.services.dispatch import TRANSIENT_ERRORS, as_the_system


class SystemTask(Task):
    """A task's changes are recorded as the system's, whoever's request ran it in-process."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with as_the_system():
            return super().__call__(*args, **kwargs)


def reliable_task(name: str) -> Any:
    """shared_task with the delivery guarantees of DESIGN.md: acknowledged after the work,
    redelivered if the worker dies, retried with jittered backoff on transient errors only."""
    return shared_task(
        name=name,
        base=SystemTask,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=TRANSIENT_ERRORS,
        retry_backoff=2,
        retry_backoff_max=120,
        retry_jitter=True,
        max_retries=8,
    )


@reliable_task(task_names.SPLIT_SOURCE)
def split_source(source_id: int) -> int:
    return passages.source_split(source_id=source_id)


@reliable_task(task_names.EXTRACT_CLAIMS)
def extract_claims(source_id: int) -> dict[str, Any]:
    return asdict(claims.source_extract_claims(source_id=source_id))


@reliable_task(task_names.CHECK_CLAIM)
def check_claim(run_id: int) -> str:
    return checks.check_run_execute(run_id=run_id).value


@reliable_task(task_names.REQUEUE_STALLED_SOURCES)
def requeue_stalled_sources() -> dict[str, list[int]]:
    older_than = dt.timedelta(seconds=settings.FACTCHECK_REQUEUE_AFTER_SECONDS)
    return asdict(pipeline.stalled_sources_requeue(older_than=older_than))


@reliable_task(task_names.REQUEUE_STALLED_CHECKS)
def requeue_stalled_checks() -> dict[str, list[int]]:
    queued_longer_than = dt.timedelta(seconds=settings.FACTCHECK_REQUEUE_AFTER_SECONDS)
    return asdict(checks.stalled_check_runs_requeue(queued_longer_than=queued_longer_than))


@reliable_task(task_names.FETCH_SOURCE)
def fetch_source(fetch_id: int) -> str:
    return source_fetches.source_fetch_execute(fetch_id=fetch_id).value


@reliable_task(task_names.REQUEUE_STALLED_FETCHES)
def requeue_stalled_source_fetches() -> dict[str, list[int]]:
    queued_longer_than = dt.timedelta(seconds=settings.FACTCHECK_REQUEUE_AFTER_SECONDS)
    return asdict(source_fetches.stalled_source_fetches_requeue(queued_longer_than=queued_longer_than))


# reliable_task's options plus bind=True, for self.retry: failed attempts are retried after the
# service's backoff (2, 4, 8 … s, capped at 10 min) for as long as it asks, so the limit is
# FACTCHECK_WEBHOOK_MAX_ATTEMPTS, counted in the database, and Celery's max_retries is None.
# (A database outage is retried, with backoff, until the database is back: the delivery waits.
# An attempt that POSTed but could not record its outcome leaves its lease to expire; the retry
# finds it leased ("busy") and stops, and the reaper sends the delivery again once it has.)
@shared_task(
    bind=True,
    name=task_names.DELIVER_WEBHOOK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=None,
)
def deliver_webhook(self: Any, delivery_id: int) -> str:
    outcome = webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome.should_retry and not self.request.is_eager:
        # In process (no broker) a retry would run at once, without waiting: the delivery
        # stays pending instead, for the reaper.
        raise self.retry(countdown=webhooks.retry_countdown(outcome.attempts))
    return outcome.result.value


@reliable_task(task_names.REQUEUE_STALLED_WEBHOOKS)
def requeue_stalled_webhooks() -> list[int]:
    older_than = dt.timedelta(seconds=settings.FACTCHECK_REQUEUE_AFTER_SECONDS)
    return webhooks.stalled_webhook_deliveries_requeue(older_than=older_than)


@reliable_task(task_names.POLL_FEED)
def poll_feed(feed_id: int) -> dict[str, Any]:
    return asdict(feeds.feed_poll(feed_id=feed_id))


@reliable_task(task_names.POLL_DUE_FEEDS)
def poll_due_feeds() -> list[int]:
    return feeds.feeds_poll_due()


@reliable_task(task_names.IMPORT_CLAIMREVIEW_SOURCES)
def import_claimreview_sources() -> list[dict[str, Any]]:
    return [asdict(report) for report in imported_reviews.reviews_import_sources_due()]


@reliable_task(task_names.SEND_CLAIMS_DIGEST)
def send_claims_digest() -> list[int]:
    digest = digest_service.claims_digest_send()
    return digest.claim_ids if digest is not None else []


@reliable_task(task_names.PREPARE_PASSAGE_MONTHS)
def prepare_passage_months() -> list[str]:
    return passages.passage_months_prepare(today=timezone.now().date())
