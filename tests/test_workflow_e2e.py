"""The whole path as people use it, through the API: ingest → automatic check → assign →
draft → publish by another editor → a reader token fetches the verdict and its ClaimReview →
a new contradicting source makes the verdict stale and subscribers hear of it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.test import APIClient

from factcheck.models import Claim, Verdict, WebhookSubscription
from factcheck.services.webhooks import verify_signature

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles", "sample_corpus")]

SECRET = "e2e-shared-secret"


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver(settings) -> Iterator[str]:
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = True
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def signed_in(name: str, role: str) -> APIClient:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    client = APIClient()
    client.force_login(user)  # people use their browser session
    return client


def reader_with_token() -> APIClient:
    out = StringIO()
    call_command("create_api_client", "Morning Wire", "--role", "reader", stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().split()[-1]}")
    return client


def test_from_ingest_to_a_published_claimreview_and_back_to_the_queue_on_new_evidence(
    receiver, django_capture_on_commit_callbacks
) -> None:
    WebhookSubscription.objects.create(name="Platform", url=receiver, secret=SECRET)
    reviewer, editor = signed_in("rita", "reviewer"), signed_in("eli", "editor")

    # The automatic check ran when the sample corpus was ingested: the Ostrel toll conflicts.
    queue = reviewer.get("/api/v1/claims/", {"assessment": "conflicting", "search": "killed 12 people"}).json()
    claim = queue["results"][0]
    assert claim["status"] == "needs_review"
    evidence = reviewer.get(f"/api/v1/claims/{claim['id']}/evidence/").json()["results"]
    conflict = next(e for e in evidence if e["stance"] == "conflicts")
    assert conflict["outlet"] == "Brightwater Tribune"

    etag = reviewer.get(f"/api/v1/claims/{claim['id']}/")["ETag"]
    taken = reviewer.post(f"/api/v1/claims/{claim['id']}/assign/", {"assignee": "me"}, HTTP_IF_MATCH=etag)
    assert taken.status_code == 200
    draft = reviewer.post(
        f"/api/v1/claims/{claim['id']}/verdicts/",
        {"rating": "mixed", "summary": "Two outlets give 12, one at least 30.", "cited_evidence": [conflict["id"]]},
    )
    assert draft.status_code == 201, draft.content
    with django_capture_on_commit_callbacks(execute=True):
        published = editor.post(f"/api/v1/verdicts/{draft.json()['id']}/publish/", HTTP_IF_MATCH=draft["ETag"])
    assert published.status_code == 200, published.content

    reader = reader_with_token()
    public = reader.get("/api/v1/verdicts/").json()["results"]
    assert [v["id"] for v in public] == [draft.json()["id"]]
    review = reader.get(f"/api/v1/verdicts/{draft.json()['id']}/claimreview/").json()
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Mixed"
    assert review["claimReviewed"] == claim["text"]

    text = "Ostrel officials now say 19 people were killed when the missile hit the main railway station."
    with django_capture_on_commit_callbacks(execute=True):
        created = reviewer.post("/api/v1/sources/", {"text": text, "outlet": "Harbour Herald"})
    assert created.status_code == 201, created.content

    verdict = Verdict.objects.get(pk=draft.json()["id"])
    assert verdict.is_stale
    assert Claim.objects.filter(pk=claim["id"], status="needs_review", has_new_evidence=True).exists()
    events = [(headers["X-Factcheck-Event"], body) for headers, body in Receiver.received]
    assert [event for event, _ in events] == ["verdict.published", "verdict.stale"]
    for headers, body in Receiver.received:
        assert verify_signature(SECRET, body, headers["X-Factcheck-Signature"])
    assert json.loads(events[1][1])["verdict"]["id"] == verdict.pk
