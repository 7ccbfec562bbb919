"""Webhooks: verdict events POSTed, signed, to the subscribers' URLs.

A ``WebhookDelivery`` is one event for one subscription; the database is the truth and
the broker only delivers its id. Contracts:

- ``webhook_event_emit`` creates the deliveries inside the caller's transaction and
  sends their ids to a worker only once it commits.
- ``webhook_delivery_attempt`` makes one attempt, in three steps, and never holds a row
  lock or an open transaction across the network call:
  1. claim: one conditional UPDATE sets a short lease (``sending_until``: the POST's total
     deadline plus a margin) on a delivery that is pending and not leased (or whose lease
     expired), and commits. Two workers never send it at the same moment (the loser sends
     nothing: ``busy``), and a delivery already delivered or given up is never sent again.
  2. POST, with no transaction open, through the one outbound client
     (``factcheck.fetching.post_url``): a total deadline of FACTCHECK_WEBHOOK_TIMEOUT_SECONDS
     for resolving, connecting, sending and reading, at most MAX_REPLY_BYTES of the reply.
  3. record, in a second short transaction: the try is logged as a ``WebhookAttempt``; the
     outcome (delivered, retry, failed) is written and the lease released only if the lease
     is still this attempt's, so a stale worker cannot overwrite a newer one.
  Delivery is at least once: a worker that dies after the POST but before step 3 leaves the
  delivery pending with a lease that expires, and it is sent again; receivers deduplicate
  on ``X-Factcheck-Delivery`` (the delivery id, the same on every attempt).
- The body is the stored payload serialised once, deterministically; the signature is
  ``sha256=`` + hex HMAC-SHA256 of exactly those bytes under the subscription's secret.
- SSRF: the one client resolves the URL's host once (within the deadline), refuses it
  unless every address is public (the one rule, ``factcheck.fetching.is_public_address``,
  unless ``FACTCHECK_ALLOW_PRIVATE_URLS``), and connects to those vetted addresses, never
  to a second lookup. Redirects are not followed (a 3xx is a failed attempt). A refused
  URL fails the delivery at once: it would be refused again.
- Logs name a subscription by its id and host, never by its URL, which often carries a
  secret in its query.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from factcheck import task_names
from factcheck.fetching import FetchFailed, FetchRefused, host_of, post_url
from factcheck.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from factcheck.services.dispatch import enqueue_now, enqueue_on_commit

logger = logging.getLogger(__name__)


USER_AGENT = "factcheck-webhooks/1.0"
SIGNATURE_PREFIX = "sha256="
RETRY_BASE_SECONDS = 2
RETRY_MAX_SECONDS = 600  # backoff doubles from 2 s and stops growing at 10 min
RETRY_JITTER_SECONDS = 1.0
ERROR_MAX_CHARS = 2000
# Of a receiver's reply only this much is read: its status is the answer.
MAX_REPLY_BYTES = 64 * 1024
# An attempt's lease lasts the POST's deadline plus this: time for its two short transactions.
LEASE_MARGIN_SECONDS = 30


# --- Signing ---------------------------------------------------------------------------------


def payload_body(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): keys sorted, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, body: bytes) -> str:
    """The X-Factcheck-Signature header value for ``body``."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# Standard Webhooks (standardwebhooks.com): a secret written "whsec_<base64>" is that key's bytes;
# any other secret (set before this convention) signs with its own UTF-8 bytes, which a receiver's
# library takes as the base64 of them (README, Webhooks).
STANDARD_SECRET_PREFIX = "whsec_"  # noqa: S105 - the convention's prefix, not a secret


def standard_key(secret: str) -> bytes:
    if secret.startswith(STANDARD_SECRET_PREFIX):
        return base64.b64decode(secret.removeprefix(STANDARD_SECRET_PREFIX))
    return secret.encode()


def standard_headers(secret: str, *, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt: its message id (the same on every attempt of a
    delivery, for the receiver to deduplicate on), the attempt's time (for the receiver to refuse
    replays), and ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(standard_key(secret), signed, hashlib.sha256).digest()).decode()
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp), "webhook-signature": f"v1,{signature}"}


def new_standard_secret() -> str:
    """A new subscription's secret, as Standard Webhooks writes them: "whsec_" and 32 random bytes in base64."""
    return STANDARD_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """True if ``header`` is the signature of exactly these bytes under ``secret`` (for receivers)."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())


# --- Emitting ----------------------------------------------------------------------------------


def webhook_event_emit(*, event: str, payload: dict[str, Any]) -> list[int]:
    """Create a pending delivery of ``payload`` for every active subscription that wants
    ``event``, each sent to a worker once the transaction commits; returns their ids.

    The payload is stored as given and is exactly what is POSTed (every retry sends the
    same bytes), so it must be JSON-serialisable: a payload that is not raises here,
    inside the caller's transaction.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    payload_body(payload)  # fail now, not in a worker
    delivery_ids: list[int] = []
    with transaction.atomic():
        for subscription in WebhookSubscription.objects.filter(is_active=True).order_by("pk"):
            if not subscription.wants(event):
                continue
            delivery = WebhookDelivery.objects.create(subscription=subscription, event=event, payload=payload)
            enqueue_on_commit(task_names.DELIVER_WEBHOOK, delivery.pk)
            delivery_ids.append(delivery.pk)
    return delivery_ids


# --- Attempting a delivery -----------------------------------------------------------------------


class DeliveryResult(StrEnum):
    DELIVERED = "delivered"  # the receiver answered 2xx
    RETRY = "retry"  # this attempt failed; the task should try again after a backoff
    FAILED = "failed"  # given up: too many attempts, or a URL that is refused
    SKIPPED = "skipped"  # already delivered or given up (or gone): nothing sent
    BUSY = "busy"  # another worker is sending it right now: nothing sent
    LEASE_LOST = "lease_lost"  # this attempt outlived its lease: logged, its outcome not recorded


@dataclass(frozen=True)
class DeliveryOutcome:
    delivery_id: int
    result: DeliveryResult
    attempts: int = 0  # attempts made so far, this one included
    status_code: int | None = None
    error: str = ""

    @property
    def should_retry(self) -> bool:
        return self.result == DeliveryResult.RETRY


@dataclass(frozen=True)
class _Response:
    status_code: int | None
    error: str = ""
    refused: bool = False


@dataclass(frozen=True)
class _Claimed:
    """What one attempt needs, read once it holds the lease; nothing of it is locked."""

    lease: dt.datetime  # this attempt's lease: the token its outcome is recorded under
    subscription_id: int
    url: str
    secret: str
    is_active: bool
    event: str
    payload: dict[str, Any]


def webhook_delivery_attempt(*, delivery_id: int) -> DeliveryOutcome:
    """Make one attempt at a delivery and log it; see the module docstring for the contract.

    2xx delivers it. Anything else (another status, a 3xx included, a timeout, a refused
    connection) is logged, and the outcome asks for a retry until the delivery has had
    FACTCHECK_WEBHOOK_MAX_ATTEMPTS attempts, when it fails. A URL that is not allowed, or
    a subscription deactivated since the event, fails it at once, without connecting.
    No transaction is open and no row is locked while the POST is under way: the attempt
    holds a lease instead (``sending_until``), taken before and checked after.
    """
    claimed = _claim(delivery_id)
    if isinstance(claimed, DeliveryOutcome):
        return claimed
    attempted_at = timezone.now()
    started = time.monotonic()
    response = _post(delivery_id, claimed)
    duration_ms = round((time.monotonic() - started) * 1000)
    return _record(delivery_id, claimed, response, attempted_at=attempted_at, duration_ms=duration_ms)


def _lease_seconds() -> float:
    # The POST ends by its deadline; the margin covers the two short transactions around it.
    return settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS


def _claim(delivery_id: int) -> _Claimed | DeliveryOutcome:
    """Take the delivery's lease with one conditional UPDATE (only a pending delivery whose
    lease is free or expired), then read what the POST needs; or say why nothing is sent."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=_lease_seconds())
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    taken = WebhookDelivery.objects.filter(free, pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        sending_until=lease
    )
    if not taken:
        state = WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", "attempts").first()
        if state is None:
            return DeliveryOutcome(delivery_id, DeliveryResult.SKIPPED)
        status, attempts = state
        if status != WebhookDelivery.Status.PENDING:
            return DeliveryOutcome(delivery_id, DeliveryResult.SKIPPED, attempts=attempts)
        return DeliveryOutcome(delivery_id, DeliveryResult.BUSY, attempts=attempts)
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    return _Claimed(
        lease=lease,
        subscription_id=subscription.pk,
        url=subscription.url,
        secret=subscription.secret,
        is_active=subscription.is_active,
        event=delivery.event,
        payload=delivery.payload,
    )


def _record(
    delivery_id: int, claimed: _Claimed, response: _Response, *, attempted_at: dt.datetime, duration_ms: int
) -> DeliveryOutcome:
    """Log the attempt and, if the lease is still this attempt's, its outcome; releases the lease.

    An attempt whose lease expired (it outlived the deadline and the margin, so another
    worker may have taken the delivery) is logged, as it happened, but changes nothing.
    """
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:  # deleted (with its subscription) during the POST
            return DeliveryOutcome(delivery_id, DeliveryResult.SKIPPED, 0, response.status_code, response.error)
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=attempted_at,
            status_code=response.status_code,
            error=response.error[:ERROR_MAX_CHARS],
            duration_ms=duration_ms,
        )
        if delivery.status != WebhookDelivery.Status.PENDING or delivery.sending_until != claimed.lease:
            logger.warning("webhook delivery %s: lease lost during the attempt; outcome not recorded", delivery_id)
            return DeliveryOutcome(
                delivery_id, DeliveryResult.LEASE_LOST, delivery.attempts, response.status_code, response.error
            )
        delivery.attempts += 1
        delivery.sending_until = None
        if response.status_code is not None and 200 <= response.status_code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            result = DeliveryResult.DELIVERED
        elif response.refused or delivery.attempts >= settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            result = DeliveryResult.FAILED
        else:
            result = DeliveryResult.RETRY
        delivery.save(update_fields=["status", "attempts", "delivered_at", "sending_until"])
    if result == DeliveryResult.FAILED:
        # Never the URL: it often carries a secret in its query.
        logger.warning(
            "webhook delivery %s to subscription %s (%s) given up after %s attempt(s): %s",
            delivery_id,
            claimed.subscription_id,
            _host(claimed.url),
            delivery.attempts,
            response.error or response.status_code,
        )
    return DeliveryOutcome(delivery_id, result, delivery.attempts, response.status_code, response.error)


def _post(delivery_id: int, claimed: _Claimed) -> _Response:
    """One POST of the delivery; never raises: whatever happens is the attempt's result."""
    if not claimed.is_active:
        return _Response(None, "not sent: the subscription was deactivated", refused=True)
    body = payload_body(claimed.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Factcheck-Event": claimed.event,
        "X-Factcheck-Delivery": str(delivery_id),
        # Kept for the subscribers who verify it, besides the Standard Webhooks headers (README, Webhooks).
        "X-Factcheck-Signature": sign(claimed.secret, body),
        **standard_headers(claimed.secret, message_id=f"msg_{delivery_id}", timestamp=int(time.time()), body=body),
    }
    try:
        answer = post_url(
            claimed.url,
            body=body,
            headers=headers,
            timeout=settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS,
            max_reply_bytes=MAX_REPLY_BYTES,
            allow_private=settings.FACTCHECK_ALLOW_PRIVATE_URLS,
        )
    except FetchRefused as error:
        return _Response(None, f"refused: {error}", refused=True)
    except FetchFailed as error:
        return _Response(None, str(error))
    except Exception as error:
        # Logged as an attempt rather than raised: an error that skipped the record would
        # leave the delivery pending, for the reaper to re-send forever.
        logger.exception("webhook delivery %s: unexpected error", delivery_id)
        return _Response(None, f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
    if 300 <= answer.status < 400:
        return _Response(answer.status, f"redirect not followed (Location: {answer.location[:500]})")
    return _Response(answer.status)


def _host(url: str) -> str:
    return host_of(url) or "?"


# --- Retrying ----------------------------------------------------------------------------------------


def retry_backoff_seconds(attempts: int) -> int:
    """Seconds to wait after ``attempts`` failed attempts: 2, 4, 8 … capped at 600."""
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS ** max(1, min(attempts, 10)))


def retry_countdown(attempts: int) -> float:
    """The backoff plus up to a second of jitter, so many deliveries do not retry in lockstep."""
    return retry_backoff_seconds(attempts) + random.uniform(0, RETRY_JITTER_SECONDS)  # noqa: S311 - not crypto


# --- The reaper ----------------------------------------------------------------------------------------


def stalled_webhook_deliveries_requeue(*, older_than: dt.timedelta) -> list[int]:
    """Send again pending deliveries the broker may have lost; returns their ids.

    A delivery is stalled when nothing happened to it for ``older_than`` beyond the
    backoff its last attempt scheduled (its creation when it has none), and no worker holds
    its lease. Sending twice is harmless: a delivered delivery is not sent again, and one
    being sent is skipped.
    """
    now = timezone.now()
    pending = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        # Being sent right now: its worker records the outcome. An expired lease is a worker
        # that died mid-attempt: the delivery may be sent again.
        .exclude(sending_until__gte=now)
        .annotate(last_activity=Coalesce(Max("attempt_log__attempted_at"), "created_at"))
        .filter(last_activity__lt=now - older_than)
        .order_by("pk")
        .values_list("pk", "attempts", "last_activity")
    )
    resent: list[int] = []
    for delivery_id, attempts, last_activity in pending:
        waited = now - last_activity
        due = older_than + (dt.timedelta(seconds=retry_backoff_seconds(attempts)) if attempts else dt.timedelta())
        if waited > due and enqueue_now(task_names.DELIVER_WEBHOOK, delivery_id):
            resent.append(delivery_id)
    return resent
