"""Webhook deliveries through a real Celery worker process, to a receiver on loopback.

The worker reads its settings from the environment: tests/conftest.py's
worker_environment() sets FACTCHECK_ALLOW_PRIVATE_URLS=true for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import transaction

from factcheck.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from factcheck.services.webhooks import payload_body, verify_signature, webhook_event_emit
from tests.conftest import WorkerProcess, wait_for
from tests.services.test_webhooks import PAYLOAD, SECRET, Receiver

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


def emit_to(url: str) -> int:
    WebhookSubscription.objects.create(name="Loopback desk", url=url, secret=SECRET)
    with transaction.atomic():  # sent to the worker when this commits
        [delivery_id] = webhook_event_emit(event=WebhookEvent.PUBLISHED, payload=PAYLOAD)
    return delivery_id


def delivered(delivery_id: int) -> bool:
    return WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.DELIVERED).exists()


def test_it_delivers_an_emitted_event_through_the_worker(receiver: Receiver, celery_worker: WorkerProcess) -> None:
    delivery_id = emit_to(receiver.url)

    assert wait_for(lambda: delivered(delivery_id)), "the worker did not deliver the event in time"
    assert celery_worker.wait_until_idle()
    [request] = receiver.requests
    assert verify_signature(SECRET, request.body, request.headers["X-Factcheck-Signature"])
    assert request.body == payload_body(PAYLOAD)
    assert json.loads(request.body) == PAYLOAD
    assert request.headers["X-Factcheck-Event"] == WebhookEvent.PUBLISHED
    assert request.headers["X-Factcheck-Delivery"] == str(delivery_id)
    assert list(WebhookDelivery.objects.get(pk=delivery_id).attempt_log.values_list("status_code", flat=True)) == [200]


def test_it_retries_through_the_worker_after_a_backoff(receiver: Receiver, celery_worker: WorkerProcess) -> None:
    receiver.statuses = [500]
    delivery_id = emit_to(receiver.url)

    assert wait_for(lambda: delivered(delivery_id), timeout=30), "the worker did not retry the delivery in time"
    assert celery_worker.wait_until_idle()
    attempts = list(WebhookDelivery.objects.get(pk=delivery_id).attempt_log.order_by("attempted_at"))
    assert [a.status_code for a in attempts] == [500, 200]
    waited = (attempts[1].attempted_at - attempts[0].attempted_at).total_seconds()
    assert waited >= 2, "the retry waits for its backoff"
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
