"""Webhooks: signed POSTs of verdict events, retried with backoff, never to private addresses.

The receivers are real HTTP servers on loopback (so these tests allow private URLs,
except where they test refusing them); the database is PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factcheck import fetching, task_names
from factcheck.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from factcheck.services import webhooks
from factcheck.services.webhooks import (
    DeliveryResult,
    payload_body,
    retry_backoff_seconds,
    retry_countdown,
    stalled_webhook_deliveries_requeue,
    verify_signature,
    webhook_delivery_attempt,
    webhook_event_emit,
)
from workers.tasks import deliver_webhook

SECRET = "s3cret-for-tests"
PAYLOAD: dict[str, Any] = {
    "event": "verdict.published",
    "verdict": {"id": 7, "rating": "Mostly false", "summary": "Not 11 000 soldiers — “about 15,000”."},
    "claim": {"id": 3, "text": "Oskaria sent 11,000 soldiers to Korva.", "claimant": "Teodor Malesh"},
    "sent_at": "2025-04-08T10:00:00+00:00",
}
RECEIVER_TIMEOUT = 5.0  # seconds a receiver thread waits on a silent client, and the fixture on its thread


# --- A receiver on loopback ------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 (a free port) in a thread; it records every connection
    and POST, and answers ``statuses`` in turn, then 200."""

    statuses: list[int] = field(default_factory=list)
    # When given, decides each POST's status instead (a receiver that verifies what it gets).
    answer: Callable[[Received], int] | None = None
    delay: float = 0.0
    gate: threading.Event | None = None  # when set, each POST waits for it before answering
    requests: list[Received] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.server = _RecordingServer(("127.0.0.1", 0), _handler_for(self), receiver=self)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/factcheck?source=tests"

    def start(self) -> Receiver:
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=RECEIVER_TIMEOUT)

    def record(self, request: Received) -> int:
        with self._lock:
            self.requests.append(request)
            if self.answer is not None:
                return self.answer(request)
            return self.statuses.pop(0) if self.statuses else 200


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, receiver: Receiver) -> None:
        super().__init__(address, handler)
        self.receiver = receiver

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.receiver.connections += 1  # every accepted TCP connection, even one that sends nothing
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected in some tests


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = RECEIVER_TIMEOUT

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = receiver.record(Received(self.path, dict(self.headers.items()), body))
            if receiver.gate is not None:
                receiver.gate.wait(RECEIVER_TIMEOUT)
            if receiver.delay:
                threading.Event().wait(receiver.delay)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


def subscribe(url: str, *, events: list[str] | None = None, is_active: bool = True) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        name="Newsroom bot", url=url, secret=SECRET, events=events or [], is_active=is_active
    )


def a_delivery(url: str, *, event: str = WebhookEvent.PUBLISHED) -> WebhookDelivery:
    subscription = subscribe(url)
    [delivery_id] = webhook_event_emit(event=event, payload=PAYLOAD)
    return WebhookDelivery.objects.get(pk=delivery_id, subscription=subscription)


def attempt_log(delivery: WebhookDelivery) -> list[tuple[int | None, str]]:
    return list(delivery.attempt_log.order_by("attempted_at", "id").values_list("status_code", "error"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- Emitting --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_a_delivery_for_each_subscription_that_wants_the_event_and_sends_it_on_commit(
    sent: list[tuple[str, tuple[object, ...]]], django_capture_on_commit_callbacks: Any
) -> None:
    everything = subscribe("https://a.example/hook")
    published = subscribe("https://b.example/hook", events=[WebhookEvent.PUBLISHED])
    subscribe("https://c.example/hook", events=[WebhookEvent.CORRECTED])
    subscribe("https://d.example/hook", is_active=False)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery_ids = webhook_event_emit(event=WebhookEvent.PUBLISHED, payload=PAYLOAD)
        assert sent == [], "nothing is sent before the transaction commits"

    deliveries = WebhookDelivery.objects.filter(pk__in=delivery_ids).order_by("pk")
    assert [d.subscription_id for d in deliveries] == [everything.pk, published.pk]
    assert {(d.event, d.status, d.attempts) for d in deliveries} == {(WebhookEvent.PUBLISHED, "pending", 0)}
    assert all(d.payload == PAYLOAD for d in deliveries)
    assert sent == [(task_names.DELIVER_WEBHOOK, (delivery_id,)) for delivery_id in delivery_ids]


@pytest.mark.django_db
def test_it_refuses_an_unknown_event_or_a_payload_that_is_not_json() -> None:
    subscribe("https://a.example/hook")
    with pytest.raises(ValueError, match="unknown webhook event"):
        webhook_event_emit(event="verdict.deleted", payload=PAYLOAD)
    with pytest.raises(TypeError):
        webhook_event_emit(event=WebhookEvent.PUBLISHED, payload={"sent_at": timezone.now()})
    assert not WebhookDelivery.objects.exists()


# --- Delivering ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_posts_the_payload_signed_with_the_subscription_secret(receiver: Receiver) -> None:
    delivery = a_delivery(receiver.url)

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert (outcome.result, outcome.attempts, outcome.status_code) == (DeliveryResult.DELIVERED, 1, 200)
    [request] = receiver.requests
    assert request.path == "/hooks/factcheck?source=tests"
    assert verify_signature(SECRET, request.body, request.headers["X-Factcheck-Signature"])
    assert not verify_signature("another secret", request.body, request.headers["X-Factcheck-Signature"])
    assert request.headers["X-Factcheck-Event"] == "verdict.published"
    assert request.headers["X-Factcheck-Delivery"] == str(delivery.pk)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("factcheck-webhooks/")
    assert json.loads(request.body) == PAYLOAD
    assert request.body == payload_body(PAYLOAD), "the stored payload, serialised deterministically, is the body"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    assert delivery.delivered_at is not None
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.error) == (200, "")
    assert 0 <= attempt.duration_ms < 5000


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_retries_a_failing_receiver_until_it_answers(receiver: Receiver) -> None:
    receiver.statuses = [500, 500]
    delivery = a_delivery(receiver.url)

    outcomes = [webhook_delivery_attempt(delivery_id=delivery.pk) for _ in range(3)]

    assert [o.result for o in outcomes] == [DeliveryResult.RETRY, DeliveryResult.RETRY, DeliveryResult.DELIVERED]
    assert [o.attempts for o in outcomes] == [1, 2, 3]
    assert attempt_log(delivery) == [(500, ""), (500, ""), (200, "")]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 3)
    assert len({r.body for r in receiver.requests}) == 1, "every retry sends the same bytes"


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 2), (2, 4), (3, 8), (4, 16), (9, 512), (10, 600), (11, 600), (40, 600)]
)
def test_it_backs_off_doubling_from_two_seconds_up_to_ten_minutes(attempts: int, seconds: int) -> None:
    assert retry_backoff_seconds(attempts) == seconds
    countdown = retry_countdown(attempts)
    assert seconds <= countdown <= seconds + 1, "plus at most a second of jitter"


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_makes_the_task_retry_after_a_growing_countdown(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver.statuses = [500, 500, 500]
    delivery = a_delivery(receiver.url)
    countdowns: list[float] = []

    class Retry(Exception):
        pass

    def retry(**options: Any) -> Retry:
        countdowns.append(options["countdown"])
        return Retry()

    monkeypatch.setattr(deliver_webhook, "retry", retry)
    for _ in range(3):
        with pytest.raises(Retry):
            deliver_webhook(delivery.pk)
    assert deliver_webhook(delivery.pk) == "delivered"

    assert [int(c) for c in countdowns] == [2, 4, 8]


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_gives_up_after_the_maximum_attempts(receiver: Receiver, settings: Any) -> None:
    settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [503, 503, 503]
    delivery = a_delivery(receiver.url)

    outcomes = [webhook_delivery_attempt(delivery_id=delivery.pk) for _ in range(3)]

    assert [o.result for o in outcomes] == [DeliveryResult.RETRY, DeliveryResult.FAILED, DeliveryResult.SKIPPED]
    assert len(receiver.requests) == 2
    assert attempt_log(delivery) == [(503, ""), (503, "")]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == (WebhookDelivery.Status.FAILED, 2, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_sends_nothing_for_a_delivery_already_delivered(receiver: Receiver) -> None:
    delivery = a_delivery(receiver.url)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).result == DeliveryResult.DELIVERED

    again = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert again.result == DeliveryResult.SKIPPED
    assert (len(receiver.requests), receiver.connections) == (1, 1)
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 1


@pytest.mark.django_db
def test_it_skips_a_delivery_that_is_gone() -> None:
    assert webhook_delivery_attempt(delivery_id=987654).result == DeliveryResult.SKIPPED


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_does_not_follow_a_redirect(receiver: Receiver) -> None:
    receiver.statuses = [302]
    delivery = a_delivery(receiver.url)

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert (outcome.result, outcome.status_code) == (DeliveryResult.RETRY, 302)
    assert len(receiver.requests) == 1
    [(status_code, error)] = attempt_log(delivery)
    assert status_code == 302
    assert error.startswith("redirect not followed (Location: http://169.254.169.254/")


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_logs_a_receiver_too_slow_to_answer(receiver: Receiver, settings: Any) -> None:
    settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.delay = 1.0
    delivery = a_delivery(receiver.url)

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    timed_out = f"127.0.0.1:{receiver.port} did not answer in time (0.2 s allowed)"
    assert (outcome.result, outcome.error) == (DeliveryResult.RETRY, timed_out)
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.error) == (None, timed_out)
    assert 150 <= attempt.duration_ms < 1000


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_logs_a_receiver_that_is_down() -> None:
    port = free_port()
    delivery = a_delivery(f"http://127.0.0.1:{port}/hook")

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert outcome.result == DeliveryResult.RETRY
    [(status_code, error)] = attempt_log(delivery)
    assert status_code is None
    assert error == f"127.0.0.1:{port} refused the connection"


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_fails_at_once_for_a_deactivated_subscription(receiver: Receiver) -> None:
    delivery = a_delivery(receiver.url)
    WebhookSubscription.objects.update(is_active=False)

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert outcome.result == DeliveryResult.FAILED
    assert receiver.connections == 0
    assert attempt_log(delivery) == [(None, "not sent: the subscription was deactivated")]


# --- Only public addresses ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/hook",
        "http://[::ffff:127.0.0.1]:{port}/hook",
        "http://[::1]:{port}/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "https://192.168.1.20/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0:{port}/hook",
    ],
)
def test_it_refuses_a_private_address_without_connecting(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch, settings: Any, url: str
) -> None:
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = False
    connected: list[object] = []
    real_connect = fetching._connect

    def connect(target: Any, addresses: Any, deadline: float) -> Any:
        connected.append(addresses)
        return real_connect(target, addresses, deadline)

    monkeypatch.setattr(fetching, "_connect", connect)
    delivery = a_delivery(url.format(port=receiver.port))

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert outcome.result == DeliveryResult.FAILED, "a refused URL is not retried"
    assert (connected, receiver.connections) == ([], 0)
    [(status_code, error)] = attempt_log(delivery)
    assert status_code is None
    assert error.startswith("refused: ")
    assert "not a public address" in error
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["ftp://files.example/hook", "file:///etc/passwd", "http:///no-host", f"https://{'a' * 64}.example/hook"],
)
def test_it_refuses_a_url_that_cannot_be_sent(url: str) -> None:
    delivery = a_delivery(url)

    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)

    assert outcome.result == DeliveryResult.FAILED
    [(_, error)] = attempt_log(delivery)
    assert error.startswith("refused: ")


# --- Signatures ----------------------------------------------------------------------------------


def test_it_verifies_a_signature_only_for_the_exact_bytes_and_secret() -> None:
    body = payload_body(PAYLOAD)
    header = webhooks.sign(SECRET, body)
    assert header.startswith("sha256=")
    assert len(header) == len("sha256=") + 64
    assert verify_signature(SECRET, body, header)
    assert not verify_signature(SECRET, body + b" ", header)
    assert not verify_signature(SECRET, json.dumps(PAYLOAD).encode(), header), "re-serialised is other bytes"
    assert not verify_signature("wrong", body, header)
    assert not verify_signature(SECRET, body, header.removeprefix("sha256="))
    assert not verify_signature(SECRET, body, "")


# --- Two workers at once --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
# "sent": the emit commits here; no real worker (one may run for tests/workers/test_webhooks.py) may race us.
@pytest.mark.usefixtures("allow_private", "sent")
def test_it_never_sends_one_delivery_from_two_workers_at_once(receiver: Receiver) -> None:
    receiver.gate = threading.Event()
    delivery = a_delivery(receiver.url)
    outcomes: list[DeliveryResult] = []

    def first_worker() -> None:
        try:
            outcomes.append(webhook_delivery_attempt(delivery_id=delivery.pk).result)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert _wait(lambda: len(receiver.requests) == 1), "the first worker did not POST"
        # The first worker holds the delivery while its POST is unanswered: the second sends nothing.
        assert webhook_delivery_attempt(delivery_id=delivery.pk).result == DeliveryResult.BUSY
    finally:
        receiver.gate.set()
        thread.join(timeout=10)
    assert outcomes == [DeliveryResult.DELIVERED]
    assert (len(receiver.requests), receiver.connections) == (1, 1)
    assert attempt_log(delivery) == [(200, "")]


def _wait(condition: Any, timeout: float = 5.0) -> bool:
    from tests.conftest import wait_for

    return wait_for(condition, timeout=timeout, interval=0.02)


# --- In process (no broker) ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private", "tasks_in_process")
def test_it_delivers_in_process_when_there_is_no_broker(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.statuses = [500]
    subscribe(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        [failing] = webhook_event_emit(event=WebhookEvent.PUBLISHED, payload=PAYLOAD)
    with django_capture_on_commit_callbacks(execute=True):
        [succeeding] = webhook_event_emit(event=WebhookEvent.CORRECTED, payload=PAYLOAD)

    # In process a retry would not wait: the failed delivery stays pending, for the reaper.
    assert WebhookDelivery.objects.get(pk=failing).status == WebhookDelivery.Status.PENDING
    assert WebhookDelivery.objects.get(pk=succeeding).status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.requests) == 2


# --- The reaper -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_resends_pending_deliveries_the_broker_lost(sent: list[tuple[str, tuple[object, ...]]]) -> None:
    now = timezone.now()
    subscription = subscribe("https://a.example/hook")

    def delivery(*, created: dt.timedelta, attempted: tuple[dt.timedelta, ...] = (), status: str = "pending") -> int:
        row = WebhookDelivery.objects.create(
            subscription=subscription, event=WebhookEvent.PUBLISHED, payload=PAYLOAD, status=status
        )
        WebhookDelivery.objects.filter(pk=row.pk).update(created_at=now - created, attempts=len(attempted))
        for ago in attempted:
            WebhookAttempt.objects.create(delivery=row, attempted_at=now - ago, status_code=500)
        return row.pk

    minute = dt.timedelta(minutes=1)
    never_sent = delivery(created=10 * minute)
    just_created = delivery(created=1 * minute)
    retry_overdue = delivery(created=60 * minute, attempted=(40 * minute, 20 * minute))  # its backoff was 4 s
    # After 9 attempts the backoff is 512 s: the retry of an attempt 8 minutes ago is still due.
    retry_scheduled = delivery(created=60 * minute, attempted=(8 * minute,) * 9)
    retry_lost = delivery(created=60 * minute, attempted=(20 * minute,) * 9)
    delivery(created=10 * minute, status="delivered")
    delivery(created=10 * minute, status="failed")

    resent = stalled_webhook_deliveries_requeue(older_than=5 * minute)

    assert resent == [never_sent, retry_overdue, retry_lost]
    assert sent == [(task_names.DELIVER_WEBHOOK, (delivery_id,)) for delivery_id in resent]
    assert just_created not in resent
    assert retry_scheduled not in resent


# --- The admin ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_shows_each_attempt_in_the_admin_delivery_log(admin_client: Client, receiver: Receiver) -> None:
    receiver.statuses = [500]
    delivery = a_delivery(receiver.url)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    WebhookAttempt.objects.create(delivery=delivery, error="<script>alert(1)</script>", duration_ms=12)

    page = admin_client.get(reverse("admin:factcheck_webhookdelivery_change", args=[delivery.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Attempts" in html
    assert [row.status_code for row in page.context["inline_admin_formsets"][0].formset.queryset] == [500, 200, None]
    assert "500" in html
    assert "200" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Mostly false" in html, "the payload is shown"

    changelist = admin_client.get(
        reverse("admin:factcheck_webhookdelivery_changelist"), {"status": "delivered", "event": "verdict.published"}
    )
    assert changelist.status_code == 200
    assert "Newsroom bot" in changelist.content.decode()


@pytest.mark.django_db
def test_it_never_shows_a_subscription_secret_in_the_admin(admin_client: Client) -> None:
    subscription = subscribe("https://a.example/hook", events=[WebhookEvent.PUBLISHED])

    listing = admin_client.get(reverse("admin:factcheck_webhooksubscription_changelist"))
    page = admin_client.get(reverse("admin:factcheck_webhooksubscription_change", args=[subscription.pk]))

    assert listing.status_code == page.status_code == 200
    assert "a.example" in listing.content.decode()
    assert SECRET not in listing.content.decode()
    assert SECRET not in page.content.decode()
    assert 'type="password"' in page.content.decode()


@pytest.mark.django_db
def test_it_adds_a_subscription_in_the_admin_and_keeps_its_secret_when_it_is_left_empty(admin_client: Client) -> None:
    add = reverse("admin:factcheck_webhooksubscription_add")
    form = {
        "name": "Partner",
        "url": "https://partner.example/hook",
        "events": ["verdict.corrected"],
        "is_active": "on",
    }

    # (Left empty on a new subscription, a secret is made: test_a_new_subscription_without_a_secret_…)
    assert admin_client.post(add, {**form, "secret": "first"}).status_code == 302

    subscription = WebhookSubscription.objects.get(name="Partner")
    assert (subscription.secret, subscription.events) == ("first", ["verdict.corrected"])
    change = reverse("admin:factcheck_webhooksubscription_change", args=[subscription.pk])
    assert admin_client.post(change, {**form, "name": "Partner desk", "events": []}).status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.secret, subscription.events) == ("Partner desk", "first", [])


# --- Slow receivers and resolvers: bounded, and never while holding the database -----------------------


class Trickler:
    """A receiver on 127.0.0.1 that reads the request, then answers one byte every 0.2 s,
    for ever (until the test ends, or TRICKLE_LIMIT seconds as a backstop)."""

    TRICKLE_LIMIT = 15.0

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.requested = threading.Event()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/slow?token=s3cret"

    def _serve(self) -> None:
        self.sock.settimeout(self.TRICKLE_LIMIT)
        try:
            client, _ = self.sock.accept()
        except OSError:
            return
        with client:
            client.settimeout(self.TRICKLE_LIMIT)
            received = b""
            while b"\r\n\r\n" not in received:
                received += client.recv(65536)
            self.requested.set()
            reply = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000
            give_up = time.monotonic() + self.TRICKLE_LIMIT
            for index in range(len(reply)):
                if self.stopping.wait(0.2) or time.monotonic() > give_up:
                    return
                try:
                    client.sendall(reply[index : index + 1])
                except OSError:
                    return

    def stop(self) -> None:
        self.stopping.set()
        self.sock.close()
        self._thread.join(timeout=5)


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    slow = Trickler()
    yield slow
    slow.stop()


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_ends_an_attempt_on_a_trickling_receiver_within_the_total_deadline(
    trickler: Trickler, settings: Any
) -> None:
    settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = 1.0
    delivery = a_delivery(trickler.url)

    started = time.monotonic()
    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)
    elapsed = time.monotonic() - started

    assert elapsed < 1.0 + 1.0, f"the attempt took {elapsed:.1f} s"
    assert outcome.result == DeliveryResult.RETRY
    [(status_code, error)] = attempt_log(delivery)
    assert status_code is None
    assert error == f"127.0.0.1:{trickler.port} did not answer in time (1 s allowed)"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("allow_private", "sent")
def test_it_holds_no_lock_and_no_transaction_while_posting(trickler: Trickler, settings: Any) -> None:
    settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = 2.0
    delivery = a_delivery(trickler.url)
    outcomes: list[DeliveryResult] = []

    def worker() -> None:
        try:
            outcomes.append(webhook_delivery_attempt(delivery_id=delivery.pk).result)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert trickler.requested.wait(5), "the worker did not POST"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
            )
            assert cursor.fetchone() == (0,), "a transaction is open during the POST"
        with transaction.atomic():
            # Raises "could not obtain lock" if the worker holds the row during its POST.
            locked = WebhookDelivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)
        assert locked.status == WebhookDelivery.Status.PENDING
    finally:
        thread.join(timeout=20)
    assert outcomes == [DeliveryResult.RETRY]


@pytest.mark.django_db
def test_it_bounds_a_slow_resolver_by_the_deadline(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = 0.5
    real_getaddrinfo = socket.getaddrinfo

    def slow_getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.example":
            time.sleep(3)
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    delivery = a_delivery("http://hooks.example/hook")

    started = time.monotonic()
    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)
    elapsed = time.monotonic() - started

    assert elapsed < 0.5 + 1.0, f"the attempt took {elapsed:.1f} s"
    assert outcome.result == DeliveryResult.RETRY, "a slow resolver may answer next time"
    [(_, error)] = attempt_log(delivery)
    assert error == "looking up hooks.example took longer than the time allowed"


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_reads_only_the_start_of_a_huge_reply(settings: Any) -> None:
    # 200 and then an endless body: the status is the answer, and the reading stops at the cap.
    sock = socket.create_server(("127.0.0.1", 0))
    sent_bytes: list[int] = []

    def serve() -> None:
        client, _ = sock.accept()
        with client:
            client.recv(65536)
            client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            total = 0
            try:
                while total < 50 * 1024 * 1024:
                    client.sendall(b"x" * 65536)
                    total += 65536
            except OSError:
                pass
            sent_bytes.append(total)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    delivery = a_delivery(f"http://127.0.0.1:{sock.getsockname()[1]}/hook")
    try:
        outcome = webhook_delivery_attempt(delivery_id=delivery.pk)
    finally:
        thread.join(timeout=10)
        sock.close()
    assert outcome.result == DeliveryResult.DELIVERED
    assert len(sent_bytes) == 1
    assert sent_bytes[0] < 10 * 1024 * 1024, "the client read far more than the reply cap"


@pytest.mark.django_db
def test_it_does_not_resend_a_delivery_whose_lease_is_held(sent: list[tuple[str, tuple[object, ...]]]) -> None:
    now = timezone.now()
    subscription = subscribe("https://a.example/hook")
    being_sent, worker_died = (
        WebhookDelivery.objects.create(subscription=subscription, event=WebhookEvent.PUBLISHED, payload=PAYLOAD)
        for _ in range(2)
    )
    old = now - dt.timedelta(minutes=10)
    WebhookDelivery.objects.filter(pk=being_sent.pk).update(
        created_at=old, sending_until=now + dt.timedelta(seconds=30)
    )
    WebhookDelivery.objects.filter(pk=worker_died.pk).update(
        created_at=old, sending_until=now - dt.timedelta(seconds=1)
    )

    resent = stalled_webhook_deliveries_requeue(older_than=dt.timedelta(minutes=5))

    assert resent == [worker_died.pk]
    assert webhook_delivery_attempt(delivery_id=being_sent.pk).result == DeliveryResult.BUSY


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_it_never_logs_a_webhook_url(receiver: Receiver, settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS = 1
    receiver.statuses = [500]
    delivery = a_delivery(receiver.url)

    with caplog.at_level("DEBUG", logger="factcheck"):
        assert webhook_delivery_attempt(delivery_id=delivery.pk).result == DeliveryResult.FAILED

    assert "given up" in caplog.text
    assert f"subscription {delivery.subscription_id} (127.0.0.1)" in caplog.text
    assert "source=tests" not in caplog.text
    assert "/hooks/" not in caplog.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("allow_private", "sent")
def test_a_worker_whose_lease_expired_mid_post_cannot_overwrite_the_outcome(receiver: Receiver) -> None:
    receiver.gate = threading.Event()
    receiver.statuses = [500, 200]  # the stale worker's POST fails, its successor's succeeds
    delivery = a_delivery(receiver.url)
    outcomes: dict[str, DeliveryResult] = {}

    def attempt(name: str) -> None:
        try:
            outcomes[name] = webhook_delivery_attempt(delivery_id=delivery.pk).result
        finally:
            connection.close()

    stale = threading.Thread(target=attempt, args=("stale",))
    stale.start()
    assert _wait(lambda: len(receiver.requests) == 1), "the first worker did not POST"
    # Its lease runs out while its POST hangs: another worker may take the delivery.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(sending_until=timezone.now() - dt.timedelta(seconds=1))
    successor = threading.Thread(target=attempt, args=("successor",))
    successor.start()
    try:
        assert _wait(lambda: len(receiver.requests) == 2), "the successor did not POST"
    finally:
        receiver.gate.set()
        stale.join(timeout=10)
        successor.join(timeout=10)

    assert outcomes == {"stale": DeliveryResult.LEASE_LOST, "successor": DeliveryResult.DELIVERED}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sending_until) == (WebhookDelivery.Status.DELIVERED, 1, None)
    assert sorted(attempt_log(delivery)) == [(200, ""), (500, "")], "both tries are logged"


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
@pytest.mark.parametrize("secret", [webhooks.new_standard_secret(), SECRET], ids=["whsec", "earlier-secret"])
def test_a_receiver_verifies_a_real_delivery_with_the_standard_webhooks_library(
    receiver: Receiver, secret: str
) -> None:
    import base64

    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    delivery = a_delivery(receiver.url)
    WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(secret=secret)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    [request] = receiver.requests
    headers = {name.lower(): value for name, value in request.headers.items()}
    # As the README says: a whsec_ secret as it is; an earlier secret as the base64 of its bytes.
    key = secret if secret.startswith("whsec_") else base64.b64encode(secret.encode()).decode()
    assert Webhook(key).verify(request.body, headers) == PAYLOAD
    assert headers["webhook-id"] == f"msg_{delivery.pk}"
    assert verify_signature(secret, request.body, request.headers["X-Factcheck-Signature"])  # the earlier header too
    with pytest.raises(WebhookVerificationError):
        Webhook(key).verify(request.body + b" ", headers)  # a changed body
    # Signed right, but an hour ago: a replay, refused for its time alone.
    replayed = webhooks.standard_headers(
        secret, message_id=headers["webhook-id"], timestamp=int(time.time()) - 3600, body=request.body
    )
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(key).verify(request.body, replayed)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_standard_secret()).verify(request.body, headers)  # another secret


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_a_loopback_receiver_verifying_with_the_library_accepts_our_delivery_and_rejects_it_replayed_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import requests
    from standardwebhooks import webhooks as library
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    secret = webhooks.new_standard_secret()

    def verifying(request: Received) -> int:
        """What the README tells a receiver to write: the library's verify, 204 or 400."""
        try:
            Webhook(secret).verify(request.body, {name.lower(): value for name, value in request.headers.items()})
        except WebhookVerificationError:
            return 400
        return 204

    receiver = Receiver(answer=verifying).start()
    try:
        delivery = a_delivery(receiver.url)
        WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(secret=secret)
        assert webhook_delivery_attempt(delivery_id=delivery.pk).result == DeliveryResult.DELIVERED
        assert attempt_log(delivery) == [(204, "")]

        # Someone who captured it sends it again an hour later, byte for byte.
        class AnHourLater(dt.datetime):
            @classmethod
            def now(cls, tz: Any = None) -> Any:
                return dt.datetime.now(tz) + dt.timedelta(hours=1)

        monkeypatch.setattr(library, "datetime", AnHourLater)
        [captured] = receiver.requests
        replayed = requests.post(receiver.url, data=captured.body, headers=captured.headers, timeout=RECEIVER_TIMEOUT)
        assert replayed.status_code == 400
    finally:
        receiver.stop()


@pytest.mark.django_db
def test_a_new_subscription_without_a_secret_gets_a_standard_one_shown_once(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:factcheck_webhooksubscription_add"),
        {"name": "desk chat", "url": "https://chat.example/hook", "events": ["claims.new"], "is_active": "on"},
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert len(webhooks.standard_key(subscription.secret)) == 32
    assert subscription.secret in response.content.decode()  # shown this once
    page = admin_client.get(reverse("admin:factcheck_webhooksubscription_change", args=[subscription.pk]))
    assert subscription.secret not in page.content.decode()
