"""Sources from URLs: the API queues a fetch (202) and a worker fetches it, never inside a request
or a transaction; a text the service already holds is never silently dropped (409 says why).

The sites are HTTP servers on loopback, so these tests allow private URLs where they fetch.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from factcheck import task_names
from factcheck.fetching import Fetched
from factcheck.models import Outlet, Source, SourceFetch
from factcheck.services import source_fetches
from factcheck.services.source_fetches import (
    FetchExecution,
    source_fetch_execute,
    source_fetch_request,
    stalled_source_fetches_requeue,
)
from tests.api.test_views import client_for, make_user

pytestmark = [pytest.mark.usefixtures("default_rating_scale", "roles")]

ARTICLE = (
    b"<html><head><title>Harbour bridge reopens</title></head><body><article>"
    b"<p>The harbour bridge reopened on Monday after nine weeks of repairs, the city said.</p>"
    b"<p>Engineers replaced 140 cables. Traffic was light in the morning.</p></article></body></html>"
)


# --- A site on loopback -----------------------------------------------------------------------------


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Page)
        self.port: int = self.server_address[1]
        self.hits = 0

    def url(self, path: str = "/news/bridge") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class _Page(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(ARTICLE)))
        self.end_headers()
        self.wfile.write(ARTICLE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    httpd = Site()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def silent_site() -> Iterator[tuple[socket.socket, int]]:
    """Accepts connections and never answers."""
    sock = socket.create_server(("127.0.0.1", 0))
    yield sock, sock.getsockname()[1]
    sock.close()


@pytest.fixture
def reviewer() -> Any:
    return client_for(make_user("rita", "reviewer"))


# --- The API ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_posting_a_url_answers_202_at_once_and_fetches_nothing_in_the_request(
    reviewer: Any,
    silent_site: tuple[socket.socket, int],
    settings: Any,
    sent: list[tuple[str, tuple[object, ...]]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 3.0
    listener, port = silent_site
    listener.settimeout(0.2)
    url = f"http://127.0.0.1:{port}/slow"

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post("/api/v1/sources/", {"url": url, "outlet": "Slow Times"})
    elapsed = time.monotonic() - started

    assert response.status_code == 202, response.content
    assert elapsed < 1.0, "the request waited for the site"
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody connected: the fetch is the worker's
    fetch = response.json()
    assert (fetch["status"], fetch["url"], fetch["outlet"], fetch["source"]) == ("queued", url, "Slow Times", None)
    assert fetch["requested_by"] == "rita"
    assert response["Location"] == f"http://testserver/api/v1/source-fetches/{fetch['id']}/"
    assert sent == [(task_names.FETCH_SOURCE, (fetch["id"],))]
    polled = reviewer.get(response["Location"])
    assert polled.status_code == 200
    assert polled.json() == fetch


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private", "tasks_in_process")
def test_a_url_is_fetched_in_process_without_a_broker(
    reviewer: Any, site: Site, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post("/api/v1/sources/", {"url": site.url(), "outlet": "Harbour Daily"})

    assert response.status_code == 202
    # (The test's transaction never commits: the task ran when the block ended, after the answer.)
    fetch = reviewer.get(response["Location"]).json()
    assert (fetch["status"], fetch["error"]) == ("succeeded", "")
    assert fetch["source_url"] == f"/api/v1/sources/{fetch['source']}/"
    source = reviewer.get(fetch["source_url"]).json()
    assert (source["url"], source["outlet"], source["title"]) == (site.url(), "Harbour Daily", "Harbour bridge reopens")
    assert site.hits == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private", "tasks_in_process")
def test_a_fetch_that_fails_says_why(reviewer: Any, django_capture_on_commit_callbacks: Any) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        with django_capture_on_commit_callbacks(execute=True):
            response = reviewer.post("/api/v1/sources/", {"url": f"http://127.0.0.1:{port}/gone"})

    fetch = reviewer.get(response["Location"]).json()
    assert (fetch["status"], fetch["source"]) == ("failed", None)
    assert fetch["error"] == f"could not fetch: 127.0.0.1:{port} refused the connection"
    assert Source.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/admin", "is not a public address"),
        ("http://169.254.169.254/latest/meta-data/", "is not a public address"),
        ("ftp://files.example/a.txt", "only http and https URLs can be fetched"),
    ],
)
def test_a_url_that_can_never_be_fetched_is_refused_before_anything_is_queued(
    reviewer: Any, url: str, reason: str, sent: list[tuple[str, tuple[object, ...]]]
) -> None:
    response = reviewer.post("/api/v1/sources/", {"url": url})

    assert response.status_code == 400
    assert reason in str(response.json()["fields"]["url"])
    assert SourceFetch.objects.count() == 0
    assert sent == []


@pytest.mark.django_db
def test_a_url_already_stored_is_a_conflict_naming_its_source(reviewer: Any) -> None:
    outlet = Outlet.objects.create(name="Harbour Herald")
    stored = Source.objects.create(
        outlet=outlet, text="Old text.", content_hash="9" * 64, url="https://harbour.example/a"
    )

    response = reviewer.post("/api/v1/sources/", {"url": "https://harbour.example/a"})

    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert f"already stored as source {stored.pk} from Harbour Herald" in response.json()["detail"]
    assert SourceFetch.objects.count() == 0


@pytest.mark.django_db
def test_the_same_text_from_another_outlet_is_a_conflict_not_a_silent_200(reviewer: Any) -> None:
    text = "The ferry sank. Nine people were rescued from the water."
    first = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Coast Courier"})
    again = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Coast Courier"})
    other = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Bay Gazette"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["id"] == again.json()["id"], "the same article from the same outlet is the stored one"
    detail = other.json()["detail"]
    assert f"already stored as source {first.json()['id']} from Coast Courier" in detail
    assert "Bay Gazette" in detail
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_a_known_url_with_new_text_is_a_conflict_and_keeps_the_stored_text(reviewer: Any) -> None:
    url = "https://coast.example/ferry"
    first = reviewer.post("/api/v1/sources/", {"text": "The ferry sank.", "outlet": "Coast Courier", "url": url})
    changed = reviewer.post(
        "/api/v1/sources/", {"text": "The ferry sank. All were saved.", "outlet": "Coast Courier", "url": url}
    )

    assert (first.status_code, changed.status_code) == (201, 409)
    assert f"this URL is already stored as source {first.json()['id']}" in changed.json()["detail"]
    assert "the stored text was kept" in changed.json()["detail"]
    assert Source.objects.get().text == "The ferry sank."


@pytest.mark.django_db
def test_readers_do_not_see_fetches() -> None:
    reader = client_for(make_user("newsroom", "reader"))
    assert reader.get("/api/v1/source-fetches/").status_code == 403
    assert reader.post("/api/v1/sources/", {"url": "https://news.example/a"}).status_code == 403


# --- The service: no transaction around the network, one worker per fetch ----------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("allow_private")
def test_it_fetches_with_no_transaction_open(
    site: Site, monkeypatch: pytest.MonkeyPatch, sent: list[tuple[str, tuple[object, ...]]]
) -> None:
    fetch = source_fetch_request(url=site.url(), outlet_name="Harbour Daily")
    real_fetch_url = source_fetches.fetch_url
    seen: list[bool] = []

    def watched_fetch_url(url: str, **options: Any) -> Fetched:
        seen.append(connection.in_atomic_block)
        return real_fetch_url(url, **options)

    monkeypatch.setattr(source_fetches, "fetch_url", watched_fetch_url)

    assert source_fetch_execute(fetch_id=fetch.pk) == FetchExecution.SUCCEEDED
    assert seen == [False]
    fetch.refresh_from_db()
    assert (fetch.status, fetch.attempts, fetch.lease_expires_at) == (SourceFetch.Status.SUCCEEDED, 1, None)
    assert fetch.source is not None
    assert fetch.source.url == site.url()
    assert source_fetch_execute(fetch_id=fetch.pk) == FetchExecution.NOT_QUEUED, "a second delivery does nothing"
    assert site.hits == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("allow_private")
def test_a_worker_whose_lease_expired_records_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch, sent: list[tuple[str, tuple[object, ...]]]
) -> None:
    fetch = source_fetch_request(url=site.url())
    real_fetch_url = source_fetches.fetch_url

    def fetch_url_while_reaped(url: str, **options: Any) -> Fetched:
        # While this worker fetches, its lease runs out and the reaper hands the fetch to another.
        SourceFetch.objects.filter(pk=fetch.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
        stalled_source_fetches_requeue(queued_longer_than=dt.timedelta(minutes=5))
        SourceFetch.objects.filter(pk=fetch.pk).update(status="running", attempts=2)
        return real_fetch_url(url, **options)

    monkeypatch.setattr(source_fetches, "fetch_url", fetch_url_while_reaped)

    assert source_fetch_execute(fetch_id=fetch.pk) == FetchExecution.LEASE_LOST
    fetch.refresh_from_db()
    assert (fetch.status, fetch.attempts) == (SourceFetch.Status.RUNNING, 2)


@pytest.mark.django_db
def test_the_reaper_requeues_expired_fetches_and_resends_lost_ones(sent: list[tuple[str, tuple[object, ...]]]) -> None:
    now = timezone.now()

    def a_fetch(status: str, *, attempts: int = 0, lease: dt.timedelta | None = None, queued: dt.timedelta) -> int:
        row = SourceFetch.objects.create(url="https://news.example/a", status=status, attempts=attempts)
        SourceFetch.objects.filter(pk=row.pk).update(
            queued_at=now - queued, lease_expires_at=now + lease if lease is not None else None
        )
        return row.pk

    minute = dt.timedelta(minutes=1)
    died = a_fetch("running", attempts=1, lease=-minute, queued=20 * minute)
    died_too_often = a_fetch("running", attempts=source_fetches.MAX_ATTEMPTS, lease=-minute, queued=20 * minute)
    working = a_fetch("running", attempts=1, lease=5 * minute, queued=20 * minute)
    lost = a_fetch("queued", queued=10 * minute)
    just_queued = a_fetch("queued", queued=minute)

    reaped = stalled_source_fetches_requeue(queued_longer_than=5 * minute)

    assert (reaped.requeued, reaped.failed, reaped.resent) == ([died], [died_too_often], [died, lost])
    assert sent == [(task_names.FETCH_SOURCE, (died,)), (task_names.FETCH_SOURCE, (lost,))]
    statuses = dict(SourceFetch.objects.values_list("pk", "status"))
    assert statuses[working] == "running"
    assert (statuses[died], statuses[died_too_often], statuses[just_queued]) == ("queued", "failed", "queued")
