"""Webhooks: verdict events POSTed, signed, to the subscribers' URLs.

A ``WebhookDelivery`` is one event for one subscription; the database is the truth and
the broker only delivers its id. Contracts:

- ``webhook_event_emit`` creates the deliveries inside the caller's transaction and
  sends their ids to a worker only once it commits.
- ``webhook_delivery_attempt`` makes one attempt: the delivery row is locked
  (``SELECT … FOR UPDATE SKIP LOCKED``) for the whole POST, so two workers never send it
  at the same moment, and a delivery already delivered or given up is never sent
  again. Every try is logged as a ``WebhookAttempt``. Delivery is at least once: a
  worker that dies after the POST but before its commit leaves the delivery pending,
  and it is sent again; receivers deduplicate on ``X-Factcheck-Delivery``.
- The body is the stored payload serialised once, deterministically; the signature is
  ``sha256=`` + hex HMAC-SHA256 of exactly those bytes under the subscription's secret.
- SSRF: the URL's host is resolved once, every address must be public (unless
  ``FACTCHECK_ALLOW_PRIVATE_URLS``), and the connection goes to those vetted addresses,
  never to a second lookup. Redirects are not followed. A refused URL fails the
  delivery at once: it would be refused again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import random
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from factcheck.fetching import is_public_address
from factcheck.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from factcheck.services.dispatch import enqueue_now, enqueue_on_commit

logger = logging.getLogger(__name__)

DELIVER_WEBHOOK_TASK = "factcheck.deliver_webhook"
REQUEUE_STALLED_WEBHOOKS_TASK = "factcheck.requeue_stalled_webhooks"

USER_AGENT = "factcheck-webhooks/1.0"
SIGNATURE_PREFIX = "sha256="
RETRY_BASE_SECONDS = 2
RETRY_MAX_SECONDS = 600  # backoff doubles from 2 s and stops growing at 10 min
RETRY_JITTER_SECONDS = 1.0
ERROR_MAX_CHARS = 2000


# --- Signing ---------------------------------------------------------------------------------


def payload_body(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): keys sorted, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, body: bytes) -> str:
    """The X-Factcheck-Signature header value for ``body``."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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
            enqueue_on_commit(DELIVER_WEBHOOK_TASK, delivery.pk)
            delivery_ids.append(delivery.pk)
    return delivery_ids


# --- Attempting a delivery -----------------------------------------------------------------------


class DeliveryResult(StrEnum):
    DELIVERED = "delivered"  # the receiver answered 2xx
    RETRY = "retry"  # this attempt failed; the task should try again after a backoff
    FAILED = "failed"  # given up: too many attempts, or a URL that is refused
    SKIPPED = "skipped"  # already delivered or given up (or gone): nothing sent
    BUSY = "busy"  # another worker is sending it right now: nothing sent


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


class RefusedURL(Exception):
    """The URL may not be contacted (not http(s), or not a public address); never retried."""


@dataclass(frozen=True)
class _Response:
    status_code: int | None
    error: str = ""
    refused: bool = False


def webhook_delivery_attempt(*, delivery_id: int) -> DeliveryOutcome:
    """Make one attempt at a delivery and log it; see the module docstring for the contract.

    2xx delivers it. Anything else (another status, a 3xx included, a timeout, a refused
    connection) is logged, and the outcome asks for a retry until the delivery has had
    FACTCHECK_WEBHOOK_MAX_ATTEMPTS attempts, when it fails. A URL that is not allowed, or
    a subscription deactivated since the event, fails it at once, without connecting.
    The row lock is held during the POST, which the timeout bounds (a lock, not a lease:
    a worker that dies releases it with its connection).
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            if WebhookDelivery.objects.filter(pk=delivery_id).exists():
                return DeliveryOutcome(delivery_id, DeliveryResult.BUSY)
            return DeliveryOutcome(delivery_id, DeliveryResult.SKIPPED)
        if delivery.status != WebhookDelivery.Status.PENDING:
            return DeliveryOutcome(delivery_id, DeliveryResult.SKIPPED, attempts=delivery.attempts)

        attempted_at = timezone.now()
        started = time.monotonic()
        response = _post(delivery)
        duration_ms = round((time.monotonic() - started) * 1000)

        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=attempted_at,
            status_code=response.status_code,
            error=response.error[:ERROR_MAX_CHARS],
            duration_ms=duration_ms,
        )
        delivery.attempts += 1
        if response.status_code is not None and 200 <= response.status_code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            result = DeliveryResult.DELIVERED
        elif response.refused or delivery.attempts >= settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            result = DeliveryResult.FAILED
        else:
            result = DeliveryResult.RETRY
        delivery.save(update_fields=["status", "attempts", "delivered_at"])
    if result == DeliveryResult.FAILED:
        logger.warning(
            "webhook delivery %s to %s given up after %s attempt(s): %s",
            delivery_id,
            delivery.subscription.url,
            delivery.attempts,
            response.error or response.status_code,
        )
    return DeliveryOutcome(delivery_id, result, delivery.attempts, response.status_code, response.error)


def _post(delivery: WebhookDelivery) -> _Response:
    """One POST of the delivery; never raises: whatever happens is the attempt's result."""
    subscription = delivery.subscription
    if not subscription.is_active:
        return _Response(None, "not sent: the subscription was deactivated", refused=True)
    body = payload_body(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Factcheck-Event": delivery.event,
        "X-Factcheck-Delivery": str(delivery.pk),
        "X-Factcheck-Signature": sign(subscription.secret, body),
    }
    try:
        # Only builds the connection: the host is resolved and vetted when it connects.
        connection = _connection_for(subscription.url, timeout=settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS)
    except RefusedURL as error:
        return _Response(None, f"refused: {error}", refused=True)
    try:
        connection.request("POST", _request_target(subscription.url), body=body, headers=headers)
        response = connection.getresponse()
        status = response.status
        if 300 <= status < 400:
            location = response.getheader("Location", "")
            return _Response(status, f"redirect not followed (Location: {location[:500]})")
        return _Response(status)
    except RefusedURL as error:
        return _Response(None, f"refused: {error}", refused=True)
    except (
        ValueError,
        http.client.InvalidURL,
    ) as error:  # a host or path that cannot be sent (IDNA, control characters)
        return _Response(None, f"refused: invalid URL: {error}", refused=True)
    except (OSError, http.client.HTTPException) as error:  # socket.gaierror, timeouts, TLS, bad answers
        return _Response(None, _describe(error))
    except Exception as error:
        # Logged as an attempt rather than raised: an error that rolled the attempt back
        # would leave the delivery pending for the reaper to re-send forever.
        logger.exception("webhook delivery %s: unexpected error", delivery.pk)
        return _Response(None, _describe(error))
    finally:
        connection.close()


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timed out"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- Connecting only where it is allowed -------------------------------------------------------------


def address_is_public(address: str) -> bool:
    """The one rule for where the service may connect: factcheck.fetching.is_public_address."""
    return is_public_address(ipaddress.ip_address(address))


def resolve_allowed(host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
    """Resolve ``host`` once; returns (family, socket address) pairs to connect to.

    Raises RefusedURL unless every address is public (or FACTCHECK_ALLOW_PRIVATE_URLS):
    one private answer among public ones is enough to refuse, since the connection
    could go to any of them.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    if not infos:
        raise OSError(f"{host} has no address")
    if not settings.FACTCHECK_ALLOW_PRIVATE_URLS:
        for *_, sockaddr in infos:
            address = str(sockaddr[0]).split("%", 1)[0]
            if not address_is_public(address):
                raise RefusedURL(f"{host} resolves to {address}, which is not a public address")
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in infos]


def _connect_any(addresses: list[tuple[int, tuple[Any, ...]]], timeout: float) -> socket.socket:
    """Like socket.create_connection, but only to these (vetted) addresses."""
    last_error: OSError | None = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        return sock
    raise last_error or OSError("no address to connect to")


class _VettedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection whose host is resolved and checked when it connects, and
    reached only at the addresses that passed (no second lookup to rebind)."""

    def connect(self) -> None:
        self.sock = _connect_any(resolve_allowed(self.host, self.port), self.timeout)  # type: ignore[arg-type]


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, *, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._tls = ssl.create_default_context()

    def connect(self) -> None:
        sock = _connect_any(resolve_allowed(self.host, self.port), self.timeout)  # type: ignore[arg-type]
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _connection_for(url: str, *, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RefusedURL(f"scheme {parts.scheme!r} is not http or https")
    if not parts.hostname:
        raise RefusedURL("the URL has no host")
    try:
        port = parts.port
    except ValueError as error:
        raise RefusedURL(str(error)) from error
    if parts.scheme == "https":
        return _VettedHTTPSConnection(parts.hostname, port, timeout=timeout)
    return _VettedHTTPConnection(parts.hostname, port, timeout=timeout)


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
    backoff its last attempt scheduled (its creation when it has none). Sending twice
    is harmless: a delivered delivery is not sent again, and one being sent is skipped.
    """
    now = timezone.now()
    pending = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .annotate(last_activity=Coalesce(Max("attempt_log__attempted_at"), "created_at"))
        .filter(last_activity__lt=now - older_than)
        .order_by("pk")
        .values_list("pk", "attempts", "last_activity")
    )
    resent: list[int] = []
    for delivery_id, attempts, last_activity in pending:
        waited = now - last_activity
        due = older_than + (dt.timedelta(seconds=retry_backoff_seconds(attempts)) if attempts else dt.timedelta())
        if waited > due and enqueue_now(DELIVER_WEBHOOK_TASK, delivery_id):
            resent.append(delivery_id)
    return resent
